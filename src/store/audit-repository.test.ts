import { afterEach, describe, expect, it } from "vitest";
import {
  type AuditRepository,
  auditHash,
  canonicalJson,
  createAuditRepository,
  GENESIS_HASH,
  kyselyOf,
} from "./audit-repository.js";
import { availableBackends } from "./testing/backends.js";
import type { Store } from "./types.js";

const backends = await availableBackends();

describe("canonical JSON and the record hash", () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: [{ y: 1, x: null }], a: "é" }, '{"a":"é","z":[{"x":null,"y":1}]}'],
    [undefined, "null"],
    [[3, 1], "[3,1]"],
  ])("canonicalJson(%j)", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it("hashes sha256(prevHash + canonical JSON of the rest)", async () => {
    const { createHash } = await import("node:crypto");
    const row = {
      seq: 1,
      at: "2026-01-01T00:00:00.000Z",
      actor: "a",
      action: "x",
      subject: "s",
      payload: '{"k":1}',
    };
    const expected = createHash("sha256")
      .update(GENESIS_HASH + canonicalJson({ ...row, payload: { k: 1 } }))
      .digest("hex");
    expect(auditHash(GENESIS_HASH, row)).toBe(expected);
  });
});

describe.each(backends)("audit repository on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;
  let audit: AuditRepository;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  async function open() {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    audit = createAuditRepository(kyselyOf(store));
  }

  it("appends chained records and keeps the head", async () => {
    await open();
    expect(await audit.head()).toBeUndefined();
    const first = await audit.append([
      {
        actor: "alice",
        action: "a",
        subject: "s",
        payload: { b: 1, a: [1, 2] },
        at: "2026-11-01T00:00:00.000Z",
      },
      { actor: "bob", action: "b", subject: "s", payload: null, at: "2026-11-02T00:00:00.000Z" },
    ]);
    const [second] = await audit.append([
      { actor: "carol", action: "c", subject: "t", payload: "x", at: "2026-11-03T00:00:00.000Z" },
    ]);
    expect(first.map((r) => r.seq)).toEqual([1, 2]);
    expect(first[0]!.prevHash).toBe(GENESIS_HASH);
    expect(first[1]!.prevHash).toBe(first[0]!.hash);
    expect(second).toMatchObject({ seq: 3, prevHash: first[1]!.hash });
    expect(await audit.head()).toEqual({ seq: 3, hash: second!.hash });
    expect(await audit.count()).toBe(3);
    const rows = await audit.rowsAfter(1, 10);
    expect(rows.map((r) => r.seq)).toEqual([2, 3]);
    expect(rows[0]!.payload).toBe("null");
    const range: unknown[] = [];
    for await (const record of audit.range("2026-11-02", "2026-11-03", 1)) range.push(record);
    expect(range).toEqual([first[1]]);
  });

  it("concurrent appends never fork the chain", async () => {
    await open();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        audit.append([{ actor: "x", action: "a", subject: String(i), payload: i }]),
      ),
    );
    const rows = await audit.rowsAfter(0, 100);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });
});
