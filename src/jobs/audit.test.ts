import { afterEach, describe, expect, it } from "vitest";
import {
  type AuditRepository,
  auditHash,
  createAuditRepository,
  kyselyOf,
} from "../store/audit-repository.js";
import type { Store } from "../store/index.js";
import { sql } from "../store/kysely-runtime.js";
import { availableBackends } from "../store/testing/backends.js";
import { auditRange, exportAudit, verifyAudit } from "./audit.js";

const backends = await availableBackends();

describe("auditRange", () => {
  it.each([
    ["2026-11-01", "2026-11-30", { from: "2026-11-01", to: "2026-12-01" }],
    [undefined, "2026-12-31", { from: "0000", to: "2027-01-01" }],
    [
      "2026-11-01T10:00:00Z",
      "2026-11-01T11:00:00Z",
      { from: "2026-11-01T10:00:00Z", to: "2026-11-01T11:00:00Z" },
    ],
  ])("%s .. %s", (from, to, range) => {
    expect(auditRange(from, to)).toEqual(range);
  });
  it("refuses a non-date", () => {
    expect(() => auditRange("yesterday", undefined)).toThrow(/--from must be a date/);
  });
});

describe.each(backends)("audit verify on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;
  let audit: AuditRepository;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  /** A store with `count` chained records, one a day from 2026-11-01. */
  async function open(count = 10) {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    audit = createAuditRepository(kyselyOf(store));
    await audit.append(
      Array.from({ length: count }, (_, i) => ({
        actor: "alice",
        action: "case.decision",
        subject: `case:${i + 1}`,
        payload: { decision: "clear", reason: `reason ${i + 1}` },
        at: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      })),
    );
  }
  const db = () => kyselyOf<{ audit_log: Record<string, unknown> }>(store);

  it("passes an untouched chain, reading it in pages", async () => {
    await open(25);
    const pages: number[] = [];
    const result = await verifyAudit(audit, { pageSize: 10, onProgress: (n) => pages.push(n) });
    expect(result).toMatchObject({ ok: true, records: 25, problems: [], head: { seq: 25 } });
    expect(pages).toEqual([10, 20, 25]);
  });

  it("names an edited record", async () => {
    await open();
    await sql`update audit_log set payload = ${'{"decision":"confirm","reason":"reason 4"}'} where seq = 4`.execute(
      db(),
    );
    const result = await verifyAudit(audit);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 4, kind: "edited" })]);
  });

  it("names an edited record whose hash was recomputed to cover it up", async () => {
    await open();
    const [row] = await audit.rowsAfter(5, 1);
    const payload = '{"decision":"confirm","reason":"forged"}';
    const hash = auditHash(row!.prev_hash, { ...row!, payload });
    await sql`update audit_log set payload = ${payload}, hash = ${hash} where seq = 6`.execute(db());
    const result = await verifyAudit(audit);
    expect(result.problems[0]).toMatchObject({ seq: 6, kind: "edited" });
  });

  it("names a deleted record, in the middle and at the end", async () => {
    await open();
    await sql`delete from audit_log where seq = 3`.execute(db());
    expect((await verifyAudit(audit)).problems).toEqual([
      expect.objectContaining({ seq: 3, kind: "deleted" }),
    ]);
    await sql`delete from audit_log where seq = 10`.execute(db());
    const result = await verifyAudit(audit);
    expect(result.problems.map((p) => [p.seq, p.kind])).toEqual([
      [3, "deleted"],
      [10, "deleted"],
    ]);
  });

  it("names an inserted record, even one chained correctly at the end", async () => {
    await open();
    const [last] = await audit.rowsAfter(9, 1);
    const forged = {
      seq: 11,
      at: "2026-12-01T00:00:00.000Z",
      actor: "mallory",
      action: "case.decision",
      subject: "case:99",
      payload: '{"decision":"clear"}',
    };
    const hash = auditHash(last!.hash, forged);
    await sql`insert into audit_log (seq, at, actor, action, subject, payload, prev_hash, hash)
      values (${forged.seq}, ${forged.at}, ${forged.actor}, ${forged.action}, ${forged.subject}, ${forged.payload}, ${last!.hash}, ${hash})`.execute(
      db(),
    );
    const result = await verifyAudit(audit);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 11, kind: "inserted" })]);
  });

  it("names a record inserted in the middle with the later ones renumbered", async () => {
    await open();
    // Shift 5..10 up by one (highest first, so the primary key never collides), then forge seq 5.
    for (let seq = 10; seq >= 5; seq--)
      await sql`update audit_log set seq = ${seq + 1} where seq = ${seq}`.execute(db());
    const [four] = await audit.rowsAfter(3, 1);
    const forged = {
      seq: 5,
      at: "2026-11-04T12:00:00.000Z",
      actor: "mallory",
      action: "case.decision",
      subject: "case:99",
      payload: "{}",
    };
    await sql`insert into audit_log (seq, at, actor, action, subject, payload, prev_hash, hash)
      values (5, ${forged.at}, ${forged.actor}, ${forged.action}, ${forged.subject}, ${forged.payload}, ${four!.hash}, ${auditHash(four!.hash, forged)})`.execute(
      db(),
    );
    const result = await verifyAudit(audit);
    expect(result.problems[0]).toMatchObject({ seq: 5, kind: "inserted" });
  });

  it("exports a date range as JSON lines with the chain fields", async () => {
    await open();
    const lines: string[] = [];
    for await (const line of exportAudit(audit, auditRange("2026-11-03", "2026-11-04"))) lines.push(line);
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.seq)).toEqual([3, 4]);
    expect(records[1]).toMatchObject({
      payload: { decision: "clear", reason: "reason 4" },
      prevHash: records[0].hash,
    });
  });
});
