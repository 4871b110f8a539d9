import { afterEach, describe, expect, it } from "vitest";
import type { MatchResult } from "../matching/index.js";
import { createAuditRepository, kyselyOf } from "../store/audit-repository.js";
import type { Store } from "../store/index.js";
import { availableBackends } from "../store/testing/backends.js";
import { verifyAudit } from "./audit.js";
import {
  assignCase,
  CaseInputError,
  casesOf,
  commentCase,
  decideCase,
  needsReview,
  recordOrderScreening,
  recordPartyScreenings,
} from "./cases.js";

const backends = await availableBackends();
const CONTEXT = { listVersions: { test: 1 }, threshold: 0.76 };

function match(entityId: string, score: number, isMatch = score >= 0.76): MatchResult {
  return {
    entityId,
    list: "test",
    name: entityId.toUpperCase(),
    score,
    match: isMatch,
    explanation: {
      queryForm: "x",
      listName: "X",
      listNameKind: "primary",
      tokens: [],
      unmatchedQuery: [],
      unmatchedList: [],
      nameScore: score,
      evidence: [],
      summary: "",
    },
  };
}

describe("needsReview", () => {
  it.each([
    [0.8, true, undefined, true],
    [0.7, false, undefined, false],
    [0.7, false, 0.65, true],
    [0.9, true, 0.95, false],
  ])("score %s match %s at review level %s → %s", (score, isMatch, level, expected) => {
    expect(needsReview({ score, match: isMatch }, level)).toBe(expected);
  });
});

describe.each(backends)("case decisions on $name", (backend) => {
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
    const outcomes = await recordPartyScreenings(
      store,
      [
        {
          subjectId: "C-1",
          subjectName: "Anna Ivanova",
          query: { name: "Anna Ivanova" },
          matches: [match("test:1", 0.95), match("test:2", 0.7)],
        },
        { subjectId: "C-2", subjectName: "Nobody", query: { name: "Nobody" }, matches: [] },
      ],
      CONTEXT,
      { actor: "alice", auditClear: true },
    );
    return outcomes;
  }

  it("opens cases only at or above the review level and audits each screening", async () => {
    const outcomes = await open();
    expect(outcomes).toEqual([
      {
        subjectId: "C-1",
        outcome: "review",
        hits: [{ entityId: "test:1", score: 0.95, outcome: "opened", caseId: 1 }],
      },
      { subjectId: "C-2", outcome: "clear", hits: [] },
    ]);
    const records = [];
    for await (const r of createAuditRepository(kyselyOf(store)).range("0", "9")) records.push(r);
    expect(records.map((r) => [r.action, r.subject])).toEqual([
      ["screening.party", "party:C-1"],
      ["screening.party", "party:C-2"],
    ]);
    expect(records[0]!.payload).toMatchObject({
      query: { name: "Anna Ivanova" },
      listVersions: { test: 1 },
      threshold: 0.76,
      outcome: "review",
      candidates: [{ entityId: "test:1" }, { entityId: "test:2" }],
    });
  });

  it.each([
    ["no reason", { decision: "clear", user: "alice" }, /reason/],
    ["a blank reason", { decision: "clear", reason: "   ", user: "alice" }, /a decision needs a reason/],
    ["no user", { decision: "clear", reason: "x" }, /user/],
    ["an unknown decision", { decision: "ignore", reason: "x", user: "alice" }, /decision/],
  ])("refuses a decision with %s and changes nothing", async (_label, input, message) => {
    await open();
    const auditBefore = await createAuditRepository(kyselyOf(store)).count();
    const refused = decideCase(store, 1, input);
    await expect(refused).rejects.toBeInstanceOf(CaseInputError);
    await expect(refused).rejects.toThrow(message);
    expect(await casesOf(store).get(1)).toMatchObject({ state: "open", version: 1 });
    expect(await createAuditRepository(kyselyOf(store)).count()).toBe(auditBefore);
  });

  it("a stale decision is a conflict; the winner's decision is audited with what was decided on", async () => {
    await open();
    await assignCase(store, 1, { assignee: "bob", user: "alice" });
    await commentCase(store, 1, { user: "bob", text: "DOB on file is 1990" });
    const stale = decideCase(store, 1, {
      decision: "confirm",
      reason: "same",
      user: "carol",
      expectedVersion: 1,
    });
    await expect(stale).rejects.toMatchObject({ kind: "conflict" });
    const { case: decided, clearance } = await decideCase(store, 1, {
      decision: "clear",
      reason: "DOB 1990 vs 1961",
      user: "bob",
      expectedVersion: 2,
    });
    expect(decided).toMatchObject({ state: "cleared", version: 3 });
    expect(clearance).toBeUndefined(); // no listed record hash known for test:1 in this store
    const records = [];
    for await (const r of createAuditRepository(kyselyOf(store)).range("0", "9")) records.push(r);
    expect(records.map((r) => r.action)).toEqual([
      "screening.party",
      "screening.party",
      "case.assign",
      "case.comment",
      "case.decision",
    ]);
    expect(records[4]!.payload).toMatchObject({
      caseId: 1,
      decision: "clear",
      reason: "DOB 1990 vs 1961",
      fromState: "in_review",
      toState: "cleared",
      expectedVersion: 2,
      target: { id: "test:1" },
      listVersion: 1,
    });
    expect((await verifyAudit(createAuditRepository(kyselyOf(store)))).ok).toBe(true);
  });

  it("order screenings are audited with the rule-pack version; review and block open a case", async () => {
    await open();
    const context = { ...CONTEXT, rulePackVersion: "2026.11" };
    expect(
      await recordOrderScreening(
        store,
        { orderId: "SO-1", name: "Gulf Star", decision: "clear", order: { id: "SO-1" }, result: {} },
        context,
        { actor: "alice" },
      ),
    ).toEqual({});
    const review = await recordOrderScreening(
      store,
      {
        orderId: "SO-2",
        name: "Gulf Star",
        decision: "review",
        order: { id: "SO-2" },
        result: { flags: [] },
      },
      context,
      { actor: "alice" },
    );
    expect(review).toEqual({ caseId: 2, outcome: "opened" });
    expect(await casesOf(store).get(2)).toMatchObject({ subjectKind: "order", targetId: "order:decision" });
    const records = [];
    for await (const r of createAuditRepository(kyselyOf(store)).range("0", "9")) records.push(r);
    expect(records.at(-1)!.payload).toMatchObject({
      rulePackVersion: "2026.11",
      outcome: "review",
      caseId: 2,
    });
  });
});
