import { afterEach, describe, expect, it } from "vitest";
import { createKeysRepository, type KeysRepository } from "./keys-repository.js";
import { availableBackends } from "./testing/backends.js";
import type { Store } from "./types.js";

const backends = await availableBackends();

describe.each(backends)("keys repository on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  async function open(): Promise<KeysRepository> {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    let tick = 0;
    return createKeysRepository(store, () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)));
  }

  it("creates a key whose token verifies, and stores no secret", async () => {
    const keys = await open();
    const { key, token } = await keys.create({ role: "analyst", label: "ERP" });
    expect(token).toMatch(/^ck_[0-9a-f]{12}_[0-9a-f]{64}$/);
    expect(key).toEqual({
      id: token.slice(3, 15),
      role: "analyst",
      label: "ERP",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    expect(await keys.verify(token)).toEqual(key);
    expect(JSON.stringify(await keys.list())).not.toContain(token.slice(16));
  });

  it.each([
    ["empty", ""],
    ["malformed", "hello"],
    ["unknown id", `ck_000000000000_${"a".repeat(64)}`],
  ])("rejects a %s token", async (_label, token) => {
    const keys = await open();
    await keys.create({ role: "admin" });
    expect(await keys.verify(token)).toBeUndefined();
  });

  it("rejects a right id with a wrong secret", async () => {
    const keys = await open();
    const { token } = await keys.create({ role: "admin" });
    const wrong = `${token.slice(0, 16)}${token.slice(16).split("").reverse().join("")}`;
    expect(await keys.verify(wrong)).toBeUndefined();
  });

  it("lists keys oldest first and revokes once", async () => {
    const keys = await open();
    const a = await keys.create({ role: "viewer" });
    const b = await keys.create({ role: "admin" });
    expect((await keys.list()).map((k) => k.id)).toEqual([a.key.id, b.key.id]);
    expect(await keys.revoke(a.key.id)).toBe(true);
    expect(await keys.revoke(a.key.id)).toBe(true);
    expect(await keys.revoke("nope")).toBe(false);
    expect(await keys.verify(a.token)).toBeUndefined();
    expect((await keys.verify(b.token))?.role).toBe("admin");
    const listed = await keys.list();
    expect(listed[0]?.revokedAt).toBe("2026-01-01T00:00:02.000Z");
    expect(listed[1]?.revokedAt).toBeUndefined();
  });
});
