import { afterEach, describe, expect, it } from "vitest";
import { type ListEntity, listEntitySchema } from "../model/index.js";
import { availableBackends } from "./testing/backends.js";
import type { NewListVersion, Store } from "./types.js";

const backends = await availableBackends();

function person(id: string, name: string, extra: Partial<ListEntity> = {}): ListEntity {
  return listEntitySchema.parse({
    id: `test:${id}`,
    listId: "test",
    nativeId: id,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
    raw: { id, name },
    ...extra,
  });
}

function version(entities: ListEntity[], hash: string): NewListVersion {
  return {
    listId: "test",
    format: "ftm-jsonl",
    sourceFiles: ["test.jsonl"],
    contentHash: hash,
    publishedAt: "2026-01-01",
    entities,
    issues: [
      { code: "bad-date", severity: "warning", message: "could not read 'x'", file: "test.jsonl", line: 2 },
    ],
  };
}

describe.each(backends)("store on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  async function open() {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    return opened;
  }

  it("stores versions and reports the current one", async () => {
    await open();
    const first = await store.saveListVersion(
      version([person("1", "ANNA IVANOVA"), person("2", "IVAN PETROV")], "h1"),
    );
    expect(first.status).toBe("created");
    expect(first.version).toMatchObject({
      listId: "test",
      version: 1,
      entityCount: 2,
      issueCount: 1,
      publishedAt: "2026-01-01",
    });
    const current = await store.currentVersions();
    expect(current.map((v) => [v.listId, v.version, v.entityCount])).toEqual([["test", 1, 2]]);
    expect((await store.entities()).map((e) => e.id)).toEqual(["test:1", "test:2"]);
    expect(await store.entity("test:2")).toMatchObject({ name: "IVAN PETROV" });
    expect(await store.issues("test", 1)).toEqual([
      { code: "bad-date", severity: "warning", message: "could not read 'x'", file: "test.jsonl", line: 2 },
    ]);
  });

  it("treats identical content as a no-op", async () => {
    await open();
    await store.saveListVersion(version([person("1", "ANNA IVANOVA")], "same"));
    const again = await store.saveListVersion(version([person("1", "ANNA IVANOVA")], "same"));
    expect(again.status).toBe("unchanged");
    expect(await store.versions("test")).toHaveLength(1);
  });

  it("diffs two versions down to the field", async () => {
    await open();
    await store.saveListVersion(version([person("1", "ANNA IVANOVA"), person("2", "IVAN PETROV")], "h1"));
    await store.saveListVersion(
      version([person("2", "IVAN PETROV", { gender: "male" }), person("3", "OLGA SIDOROVA")], "h2"),
    );
    const diff = await store.diff("test", 1, 2);
    expect(diff.added).toEqual(["test:3"]);
    expect(diff.removed).toEqual(["test:1"]);
    expect(diff.changed).toEqual([
      { id: "test:2", fields: [{ field: "gender", before: undefined, after: "male" }] },
    ]);
    // The old version stays readable for audits.
    expect(await store.entity("test:1", 1)).toMatchObject({ name: "ANNA IVANOVA" });
    expect(await store.entity("test:1")).toBeUndefined();
    await expect(store.diff("test", 1, 9)).rejects.toThrow(/no version 9/);
  });

  it("rejects a version with duplicate ids and keeps the previous one", async () => {
    await open();
    await store.saveListVersion(version([person("1", "ANNA IVANOVA")], "h1"));
    await expect(store.saveListVersion(version([person("1", "A"), person("1", "B")], "h2"))).rejects.toThrow(
      /duplicate entity id test:1/,
    );
    expect((await store.currentVersions())[0]?.version).toBe(1);
  });

  it("reopens with its data", async () => {
    const opened = await open();
    await store.saveListVersion(version([person("1", "ANNA IVANOVA")], "h1"));
    await store.close();
    store = await opened.reopen();
    expect((await store.currentVersions())[0]?.entityCount).toBe(1);
  });

  it("keeps screened orders as history", async () => {
    await open();
    const base = {
      decision: "review",
      order: { id: "SO-1" },
      result: { flags: [] },
      rulePackVersion: "default@1",
    };
    await store.saveScreenedOrder({
      ...base,
      orderId: "SO-1",
      screenedAt: "2026-01-01T10:00:00Z",
      orderDate: "2026-01-01",
      customerKey: "acme|AE",
    });
    await store.saveScreenedOrder({
      ...base,
      orderId: "SO-2",
      screenedAt: "2026-01-02T10:00:00Z",
      orderDate: "2026-01-02",
      customerKey: "acme|AE",
    });
    await store.saveScreenedOrder({
      ...base,
      orderId: "SO-3",
      screenedAt: "2026-01-03T10:00:00Z",
      orderDate: "2026-01-03",
      customerKey: "other|DE",
    });
    const acme = await store.screenedOrders({ customerKeys: ["acme|AE"] });
    expect(acme.map((o) => o.orderId)).toEqual(["SO-2", "SO-1"]);
    expect(acme[0]?.order).toEqual({ id: "SO-1" });
    expect((await store.screenedOrders({ since: "2026-01-02" })).map((o) => o.orderId)).toEqual([
      "SO-3",
      "SO-2",
    ]);
    expect(await store.screenedOrders({ customerKeys: [] })).toEqual([]);
  });
});
