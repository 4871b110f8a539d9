import { afterEach, describe, expect, it } from "vitest";
import type { Clearance } from "../model/case.js";
import { type ListEntity, listEntitySchema } from "../model/index.js";
import { kyselyOf } from "./audit-repository.js";
import {
  type CaseHit,
  type CasesRepository,
  clearanceHolds,
  createCasesRepository,
} from "./cases-repository.js";
import { availableBackends } from "./testing/backends.js";
import { type Store, StoreError } from "./types.js";

const backends = await availableBackends();
const T0 = "2026-11-25T10:00:00.000Z";
const T1 = "2026-11-25T11:00:00.000Z";

function person(id: string, name: string): ListEntity {
  return listEntitySchema.parse({
    id: `test:${id}`,
    listId: "test",
    nativeId: id,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
    raw: {},
  });
}

function hit(overrides: Partial<CaseHit> = {}): CaseHit {
  return {
    subjectKind: "party",
    subjectId: "C-1",
    subjectName: "Anna Ivanova",
    query: { name: "Anna Ivanova" },
    targetId: "test:1",
    listId: "test",
    targetName: "ANNA IVANOVA",
    score: 0.95,
    entityHash: "h-1",
    listVersion: 1,
    match: { score: 0.95 },
    actor: "system",
    at: T0,
    ...overrides,
  };
}

describe("clearanceHolds", () => {
  const clearance: Clearance = {
    subjectKind: "party",
    subjectId: "C-1",
    entityId: "test:1",
    entityHash: "h-1",
    listId: "test",
    listVersion: 1,
    caseId: 1,
    clearedBy: "alice",
    clearedAt: T0,
    reason: "different person",
    expiresAt: "2027-01-01",
  };
  it.each([
    ["same record, before expiry", "h-1", "2026-12-01T00:00:00Z", true],
    ["record changed", "h-2", "2026-12-01T00:00:00Z", false],
    ["record gone", undefined, "2026-12-01T00:00:00Z", false],
    ["expired", "h-1", "2027-01-02T00:00:00Z", false],
  ])("%s", (_label, hash, at, holds) => {
    expect(clearanceHolds(clearance, hash, at).holds).toBe(holds);
  });
});

describe.each(backends)("cases repository on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;
  let cases: CasesRepository;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
  });

  async function open() {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    cases = createCasesRepository(kyselyOf(store));
  }

  it("stores and updates customers", async () => {
    await open();
    expect(
      await cases.upsertCustomers(
        [
          { id: "C-1", name: "Anna" },
          { id: "C-2", name: "Ivan", country: "RU" },
        ],
        T0,
      ),
    ).toEqual({ created: 2, updated: 0 });
    expect(await cases.upsertCustomers([{ id: "C-2", name: "Ivan Petrov" }], T1)).toEqual({
      created: 0,
      updated: 1,
    });
    const all = await cases.customers();
    expect(all.map((c) => [c.id, c.name])).toEqual([
      ["C-1", "Anna"],
      ["C-2", "Ivan Petrov"],
    ]);
    expect(all[1]).toMatchObject({ createdAt: T0, updatedAt: T1 });
    expect(await cases.customerCount()).toBe(2);
  });

  it("opens one case per pair and updates it on the next hit", async () => {
    await open();
    expect(await cases.recordHit(hit())).toEqual({ outcome: "opened", caseId: 1 });
    expect(await cases.recordHit(hit({ targetId: "test:2" }))).toEqual({ outcome: "opened", caseId: 2 });
    expect(await cases.recordHit(hit({ score: 0.97, at: T1 }))).toEqual({ outcome: "updated", caseId: 1 });
    const one = await cases.get(1);
    expect(one).toMatchObject({
      state: "open",
      version: 2,
      hitCount: 2,
      score: 0.97,
      lastHitAt: T1,
      openedAt: T0,
    });
    expect((await cases.events(1)).map((e) => e.type)).toEqual(["opened", "hit"]);
    expect(await cases.counts()).toMatchObject({ open: 2, cleared: 0 });
    expect((await cases.list({ states: ["open"], limit: 1 })).map((c) => c.id)).toEqual([1]);
    expect((await cases.list({ states: ["open"], afterId: 1 })).map((c) => c.id)).toEqual([2]);
  });

  it("keeps a score as written (no float4 rounding)", async () => {
    await open();
    await cases.recordHit(hit({ score: 0.934 }));
    expect((await cases.get(1))?.score).toBe(0.934);
  });

  it("refuses a stale version with a conflict and changes nothing", async () => {
    await open();
    await cases.recordHit(hit());
    await cases.assign(1, { assignee: "bob", user: "alice" }, T0); // version 2, in review
    const stale = cases.decide(
      1,
      { decision: "clear", reason: "not him", user: "carol", expectedVersion: 1 },
      T1,
    );
    await expect(stale).rejects.toMatchObject({ kind: "conflict" });
    await expect(stale).rejects.toBeInstanceOf(StoreError);
    expect(await cases.get(1)).toMatchObject({ state: "in_review", version: 2, assignee: "bob" });
    expect(await cases.clearance("party", "C-1", "test:1")).toBeUndefined();
    const done = await cases.decide(
      1,
      { decision: "clear", reason: "not him", user: "carol", expectedVersion: 2 },
      T1,
    );
    expect(done.case).toMatchObject({ state: "cleared", version: 3 });
    expect(done.clearance).toMatchObject({
      entityHash: "h-1",
      clearedBy: "carol",
      reason: "not him",
      caseId: 1,
    });
  });

  it("two writers who read the same version: the second gets a conflict", async () => {
    await open();
    await cases.recordHit(hit());
    const read = (await cases.get(1))!.version;
    const results = await Promise.allSettled([
      cases.decide(1, { decision: "confirm", reason: "same DOB", user: "alice", expectedVersion: read }, T1),
      cases.decide(1, { decision: "clear", reason: "other person", user: "bob", expectedVersion: read }, T1),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: "conflict" });
    expect((await cases.events(1)).filter((e) => e.type === "state")).toHaveLength(1);
  });

  it("suppresses a cleared pair while the record is unchanged, reopens when it changes", async () => {
    await open();
    await cases.recordHit(hit());
    await cases.decide(1, { decision: "clear", reason: "DOB differs", user: "alice" }, T0);
    expect(await cases.recordHit(hit({ at: T1 }))).toEqual({ outcome: "suppressed", caseId: 1 });
    expect(await cases.get(1)).toMatchObject({ state: "cleared", version: 2 });
    const suppressed = (await cases.events(1)).filter((e) => e.type === "suppressed");
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.data).toMatchObject({ score: 0.95, entityHash: "h-1" });
    const changed = await cases.recordHit(hit({ entityHash: "h-2", listVersion: 2, at: T1 }));
    expect(changed).toMatchObject({ outcome: "reopened", caseId: 1 });
    expect(changed.reason).toContain("changed");
    expect(await cases.get(1)).toMatchObject({ state: "open", listVersion: 2, entityHash: "h-2" });
  });

  it("an expired clearance no longer suppresses", async () => {
    await open();
    await cases.recordHit(hit());
    await cases.decide(1, { decision: "clear", reason: "ok", user: "alice", expiresAt: "2026-12-01" }, T0);
    expect((await cases.recordHit(hit({ at: "2026-11-30T00:00:00.000Z" }))).outcome).toBe("suppressed");
    const later = await cases.recordHit(hit({ at: "2026-12-02T00:00:00.000Z" }));
    expect(later.outcome).toBe("reopened");
    expect(later.reason).toContain("expired");
  });

  it("comments, assigns and refuses bad input", async () => {
    await open();
    await cases.recordHit(hit());
    await cases.comment(1, { user: "alice", text: "asked for a passport" }, T0);
    await expect(cases.comment(1, { user: "alice", text: "  " }, T0)).rejects.toMatchObject({
      kind: "invalid",
    });
    await expect(cases.comment(9, { user: "alice", text: "x" }, T0)).rejects.toMatchObject({
      kind: "not-found",
    });
    await expect(cases.decide(1, { decision: "escalate", reason: "x", user: "a" }, T0)).resolves.toBeTruthy();
    await expect(cases.decide(1, { decision: "escalate", reason: "x", user: "a" }, T0)).rejects.toMatchObject(
      { kind: "invalid" },
    );
    const events = await cases.events(1);
    expect(events.map((e) => e.type)).toEqual(["opened", "comment", "state"]);
    expect(events[1]).toMatchObject({ actor: "alice", reason: "asked for a passport" });
    expect(events[2]).toMatchObject({ fromState: "open", toState: "escalated" });
  });

  it("finds the current record of listed entities, and keeps monitoring state", async () => {
    await open();
    await store.saveListVersion({
      listId: "test",
      format: "ftm-jsonl",
      sourceFiles: ["t"],
      contentHash: "v1",
      entities: [person("1", "ANNA IVANOVA"), person("2", "IVAN PETROV")],
      issues: [],
    });
    await store.saveListVersion({
      listId: "test",
      format: "ftm-jsonl",
      sourceFiles: ["t"],
      contentHash: "v2",
      entities: [person("1", "ANNA IVANOVNA"), person("2", "IVAN PETROV")],
      issues: [],
    });
    const records = await cases.entityRecords(["test:1", "test:2", "test:3", "other:1"]);
    expect([...records.keys()].sort()).toEqual(["test:1", "test:2"]);
    expect(records.get("test:1")).toMatchObject({ listId: "test", version: 2 });
    expect(records.get("test:1")!.hash).not.toBe(records.get("test:2")!.hash);
    await cases.setMonitorState("test", 1, T0);
    await cases.setMonitorState("test", 2, T1);
    expect(await cases.monitorState()).toEqual(new Map([["test", 2]]));
  });
});
