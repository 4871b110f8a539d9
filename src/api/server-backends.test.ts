import { afterEach, describe, expect, it } from "vitest";
import { createKeysRepository } from "../store/keys-repository.js";
import { availableBackends } from "../store/testing/backends.js";
import { saveTestLists } from "../store/testing/lists.js";
import type { Store } from "../store/types.js";
import { buildServer } from "./server.js";
import { FIXTURE_ENTITIES } from "./testing/fixtures.js";

// The API over each storage backend: keys, lists, entities and screening read the same way from
// SQLite and PostgreSQL.
const backends = await availableBackends();

describe.each(backends)("HTTP API on $name", (backend) => {
  let store: Store | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  it("authenticates, lists, reads entities and screens", async () => {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    await saveTestLists(store, FIXTURE_ENTITIES);
    const { token } = await createKeysRepository(store).create({ role: "viewer" });
    const app = await buildServer({ store, location: { home: "/nonexistent" } });
    const headers = { authorization: `Bearer ${token}` };
    try {
      const lists = await app.inject({ method: "GET", url: "/lists", headers });
      expect(lists.json().lists.map((l: { listId: string }) => l.listId)).toEqual(["test-sdn", "test-un"]);
      const entity = await app.inject({ method: "GET", url: "/entities/test-sdn:7843", headers });
      expect(entity.json()).toMatchObject({ id: "test-sdn:7843", schema: "Person" });
      const match = await app.inject({
        method: "POST",
        url: "/match/default",
        headers,
        payload: {
          queries: { q: { schema: "Person", properties: { name: ["Saddam Hussein al-Tikriti"] } } },
        },
      });
      expect(match.json().responses.q.results[0]).toMatchObject({ id: "test-sdn:7843", match: true });
      const wrong = await app.inject({
        method: "GET",
        url: "/lists",
        headers: { authorization: "Bearer nope" },
      });
      expect(wrong.statusCode).toBe(401);
      // A batch too big for one request goes to a job where jobs run (PostgreSQL), else in parts.
      const tooBig = await app.inject({
        method: "POST",
        url: "/match/default",
        headers: { ...headers, "content-type": "application/json" },
        payload: JSON.stringify({ queries: { q: { properties: { name: ["x".repeat(3 * 1024 * 1024)] } } } }),
      });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json().message).toMatch(
        backend.name === "postgres"
          ? /send big batches to \/jobs\/screen$/
          : /split the batch into smaller requests$/,
      );
    } finally {
      await app.close();
    }
  });
});
