import type { Kysely } from "kysely";
import type { MatchResult, PartyQuery } from "../matching/index.js";
import {
  type Case,
  type CaseDecisionInput,
  type CaseEvent,
  type Clearance,
  caseDecisionInputSchema,
} from "../model/case.js";
import { type AuditEntry, atomic, createAuditRepository, kyselyOf } from "../store/audit-repository.js";
import { type CasesRepository, createCasesRepository, type HitOutcome } from "../store/cases-repository.js";
import { type Store, StoreError } from "../store/index.js";

/**
 * What a screening ran with, recorded with every outcome so it can be reproduced: the list
 * versions, the match threshold, the review level and (for orders) the rule-pack version.
 *
 * @example
 * { listVersions: { un: 3, "ofac-sdn": 2 }, threshold: 0.76, reviewLevel: 0.76 }
 */
export interface ScreeningContext {
  listVersions: Record<string, number>;
  threshold: number;
  /** Hits scoring at least this open cases; absent = the screener's own yes/no (`match`). */
  reviewLevel?: number;
  rulePackVersion?: string;
}

/**
 * Whether a hit is at or above the review level.
 *
 * @example
 * needsReview({ score: 0.7, match: false }, 0.65) // true
 */
export function needsReview(match: Pick<MatchResult, "score" | "match">, reviewLevel?: number): boolean {
  return reviewLevel === undefined ? match.match : match.score >= reviewLevel;
}

/**
 * One party screening to record: who was screened, as what query, and what the screener said.
 *
 * @example
 * { subjectId: "C-001", subjectName: "Gulf Star FZE", query: { name: "Gulf Star FZE" }, matches: [...] }
 */
export interface PartyScreeningRecord {
  subjectId: string;
  subjectName: string;
  query: PartyQuery;
  matches: readonly MatchResult[];
}

/** What recording a party screening did to cases; `outcome` is the decision for the subject. */
export interface PartyScreeningOutcome {
  subjectId: string;
  outcome: "clear" | "review" | "suppressed";
  hits: Array<{ entityId: string; score: number; outcome: HitOutcome; caseId: number; reason?: string }>;
}

/**
 * Records party screenings: every hit at or above the review level opens or updates a case (or is
 * suppressed by a clearance that still holds, and recorded as such); every subject with a hit gets
 * an audit record with the query, list versions, thresholds and outcome. With `auditClear`, subjects
 * without hits are audited too (one record each). One transaction for the whole batch.
 *
 * @example
 * await recordPartyScreenings(store, [{ subjectId: "C-1", subjectName: "ACME", query, matches }], context, { actor: "alice" });
 */
export async function recordPartyScreenings(
  store: Store,
  screenings: readonly PartyScreeningRecord[],
  context: ScreeningContext,
  options: { actor: string; at?: string; auditClear?: boolean; action?: string },
): Promise<PartyScreeningOutcome[]> {
  const db = kyselyOf<unknown>(store);
  const at = options.at ?? new Date().toISOString();
  const reviewIds = screenings.flatMap((s) =>
    s.matches.filter((m) => needsReview(m, context.reviewLevel)).map((m) => m.entityId),
  );
  // Read before the transaction: on SQLite the transaction holds the only connection.
  const records = await createCasesRepository(db).entityRecords(reviewIds);
  return atomic(db, async (trx) => {
    const cases = createCasesRepository(trx);
    const audit: AuditEntry[] = [];
    const outcomes: PartyScreeningOutcome[] = [];
    for (const screening of screenings) {
      const hits: PartyScreeningOutcome["hits"] = [];
      for (const match of screening.matches) {
        if (!needsReview(match, context.reviewLevel)) continue;
        const record = records.get(match.entityId);
        const result = await cases.recordHit({
          subjectKind: "party",
          subjectId: screening.subjectId,
          subjectName: screening.subjectName,
          query: screening.query,
          targetId: match.entityId,
          listId: match.list,
          targetName: match.name,
          score: match.score,
          entityHash: record?.hash,
          listVersion: record?.version ?? context.listVersions[match.list],
          match,
          actor: options.actor,
          at,
        });
        hits.push({ entityId: match.entityId, score: match.score, ...result });
      }
      const outcome: PartyScreeningOutcome["outcome"] =
        hits.length === 0 ? "clear" : hits.every((h) => h.outcome === "suppressed") ? "suppressed" : "review";
      outcomes.push({ subjectId: screening.subjectId, outcome, hits });
      if (hits.length > 0 || options.auditClear) {
        audit.push({
          actor: options.actor,
          action: options.action ?? "screening.party",
          subject: `party:${screening.subjectId}`,
          at,
          payload: {
            query: screening.query,
            listVersions: context.listVersions,
            threshold: context.threshold,
            reviewLevel: context.reviewLevel ?? null,
            candidates: screening.matches.map((m) => ({
              entityId: m.entityId,
              score: m.score,
              match: m.match,
              entityHash: records.get(m.entityId)?.hash ?? null,
            })),
            hits,
            outcome,
          },
        });
      }
    }
    await createAuditRepository(trx).append(audit);
    return outcomes;
  });
}

/**
 * An order screening to record: every order is audited (decision, rule-pack version, list versions);
 * a `review` or `block` decision opens or updates the order's case.
 *
 * @example
 * await recordOrderScreening(store, { orderId: "SO-1001", name: "Gulf Star FZE", decision: "review", order, result }, context, { actor: "alice" });
 */
export async function recordOrderScreening(
  store: Store,
  screening: {
    orderId: string;
    name: string;
    decision: "block" | "review" | "clear";
    order: unknown;
    result: unknown;
  },
  context: ScreeningContext,
  options: { actor: string; at?: string },
): Promise<{ caseId?: number; outcome?: HitOutcome }> {
  const db = kyselyOf<unknown>(store);
  const at = options.at ?? new Date().toISOString();
  return atomic(db, async (trx) => {
    let hit: { caseId: number; outcome: HitOutcome } | undefined;
    if (screening.decision !== "clear") {
      hit = await createCasesRepository(trx).recordHit({
        subjectKind: "order",
        subjectId: screening.orderId,
        subjectName: screening.name,
        query: screening.order,
        targetId: "order:decision",
        targetName: `order decision: ${screening.decision}`,
        score: screening.decision === "block" ? 1 : 0.5,
        match: screening.result,
        actor: options.actor,
        at,
      });
    }
    await createAuditRepository(trx).append([
      {
        actor: options.actor,
        action: "screening.order",
        subject: `order:${screening.orderId}`,
        at,
        payload: {
          order: screening.order,
          listVersions: context.listVersions,
          threshold: context.threshold,
          reviewLevel: context.reviewLevel ?? null,
          rulePackVersion: context.rulePackVersion ?? null,
          outcome: screening.decision,
          result: screening.result,
          ...(hit ? { caseId: hit.caseId, caseOutcome: hit.outcome } : {}),
        },
      },
    ]);
    return hit ?? {};
  });
}

/** A decision input that failed validation (no reason, no user, unknown decision). */
export class CaseInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CaseInputError";
  }
}

function parseDecision(input: unknown): CaseDecisionInput {
  const parsed = caseDecisionInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new CaseInputError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  if (parsed.data.expiresAt && Number.isNaN(Date.parse(parsed.data.expiresAt)))
    throw new CaseInputError(`expiresAt: not a date: ${parsed.data.expiresAt}`);
  return parsed.data;
}

/**
 * An analyst's decision on a case, with its audit record in the same transaction. Refused (and
 * nothing changed) without a reason or user; a stale `expectedVersion` is a `conflict` StoreError.
 *
 * @example
 * await decideCase(store, 12, { decision: "clear", reason: "DOB 1981 vs 1937", user: "alice", expectedVersion: 2 });
 */
export async function decideCase(
  store: Store,
  caseId: number,
  input: unknown,
  options: { at?: string } = {},
): Promise<{ case: Case; clearance?: Clearance }> {
  const decision = parseDecision(input);
  const at = options.at ?? new Date().toISOString();
  return atomic(kyselyOf<unknown>(store), async (trx) => {
    const cases = createCasesRepository(trx);
    const before = await cases.get(caseId);
    if (!before) throw new StoreError("not-found", `no case ${caseId}`);
    const result = await cases.decide(caseId, decision, at);
    await createAuditRepository(trx).append([
      {
        actor: decision.user,
        action: "case.decision",
        subject: `case:${caseId}`,
        at,
        payload: {
          caseId,
          decision: decision.decision,
          reason: decision.reason,
          fromState: before.state,
          toState: result.case.state,
          expectedVersion: decision.expectedVersion ?? null,
          version: result.case.version,
          subject: { kind: before.subjectKind, id: before.subjectId, name: before.subjectName },
          query: before.query,
          target: { id: before.targetId, name: before.targetName, list: before.listId ?? null },
          score: before.score,
          entityHash: before.entityHash ?? null,
          listVersion: before.listVersion ?? null,
          clearance: result.clearance ?? null,
        },
      },
    ]);
    return result;
  });
}

/**
 * Assigns a case (an open case moves to in review), audited.
 *
 * @example
 * await assignCase(store, 12, { assignee: "bob", user: "alice" });
 */
export async function assignCase(
  store: Store,
  caseId: number,
  input: { assignee: string; user: string; reason?: string; expectedVersion?: number },
  options: { at?: string } = {},
): Promise<Case> {
  const at = options.at ?? new Date().toISOString();
  return atomic(kyselyOf<unknown>(store), async (trx) => {
    const updated = await createCasesRepository(trx).assign(caseId, input, at);
    await createAuditRepository(trx).append([
      {
        actor: input.user,
        action: "case.assign",
        subject: `case:${caseId}`,
        at,
        payload: {
          caseId,
          assignee: input.assignee,
          reason: input.reason ?? null,
          state: updated.state,
          version: updated.version,
        },
      },
    ]);
    return updated;
  });
}

/**
 * Adds a comment to a case's history, audited.
 *
 * @example
 * await commentCase(store, 12, { user: "alice", text: "asked the customer for a passport copy" });
 */
export async function commentCase(
  store: Store,
  caseId: number,
  input: { user: string; text: string },
  options: { at?: string } = {},
): Promise<CaseEvent> {
  const at = options.at ?? new Date().toISOString();
  return atomic(kyselyOf<unknown>(store), async (trx) => {
    const event = await createCasesRepository(trx).comment(caseId, input, at);
    await createAuditRepository(trx).append([
      {
        actor: input.user,
        action: "case.comment",
        subject: `case:${caseId}`,
        at,
        payload: { caseId, text: event.reason },
      },
    ]);
    return event;
  });
}

/**
 * The cases repository of a store (shortcut for the doors: list, get, events, counts).
 *
 * @example
 * const queue = await casesOf(store).list({ states: ["open"] });
 */
export function casesOf(store: Store): CasesRepository {
  return createCasesRepository(kyselyOf<unknown>(store) as Kysely<unknown>);
}

/**
 * The list versions a screening ran on, as recorded in audit payloads.
 *
 * @example
 * await currentListVersions(store) // { un: 3, "ofac-sdn": 2 }
 */
export async function currentListVersions(
  store: Store,
  lists?: readonly string[],
): Promise<Record<string, number>> {
  const versions = await store.currentVersions();
  return Object.fromEntries(
    versions.filter((v) => !lists || lists.includes(v.listId)).map((v) => [v.listId, v.version]),
  );
}

/**
 * One classified item line, as item screening hands it to cases.
 *
 * @example
 * { lineId: "L-7", description: "STM32F405 MCU", controls: [{ list: "chpl", code: "854231", tier: "Tier 1" }], review: false, result }
 */
export interface ItemScreeningRecord {
  lineId: string;
  description: string;
  controls: ReadonlyArray<{ list: string; code?: string; tier?: string; category?: string }>;
  /** The classifier found conflicting evidence and wants a person to look. */
  review: boolean;
  result: unknown;
}

/** Whether an item line reaches the review level: a Tier 1/2 CHPL code, a UAV key item, or conflicting evidence. */
export function itemNeedsReview(record: Pick<ItemScreeningRecord, "controls" | "review">): boolean {
  return (
    record.review ||
    record.controls.some(
      (c) => c.list === "uav-key-items" || (c.list === "chpl" && /Tier [12]\b/.test(c.tier ?? "")),
    )
  );
}

/**
 * Records item screenings: a line at the review level (see `itemNeedsReview`) opens or updates
 * one case per line, with an audit record of what was classified, its control hits and outcome.
 *
 * @example
 * await recordItemScreenings(store, [record], { actor: "alice" });
 */
export async function recordItemScreenings(
  store: Store,
  screenings: readonly ItemScreeningRecord[],
  options: { actor: string; at?: string },
): Promise<Array<{ lineId: string; caseId?: number; outcome?: HitOutcome }>> {
  const db = kyselyOf<unknown>(store);
  const at = options.at ?? new Date().toISOString();
  return atomic(db, async (trx) => {
    const cases = createCasesRepository(trx);
    const audit: AuditEntry[] = [];
    const outcomes: Array<{ lineId: string; caseId?: number; outcome?: HitOutcome }> = [];
    for (const screening of screenings) {
      if (!itemNeedsReview(screening)) {
        outcomes.push({ lineId: screening.lineId });
        continue;
      }
      const strongest =
        screening.controls.find((c) => c.list === "chpl" && /Tier 1\b/.test(c.tier ?? "")) ??
        screening.controls.find((c) => c.list === "chpl") ??
        screening.controls[0];
      const target = strongest
        ? strongest.list === "chpl"
          ? `chpl:${strongest.code ?? "?"}`
          : `uav-key-items:${strongest.category ?? "?"}`
        : "items:conflicting-evidence";
      const hit = await cases.recordHit({
        subjectKind: "item",
        subjectId: screening.lineId,
        subjectName: screening.description || screening.lineId,
        query: screening.result,
        targetId: target,
        targetName: strongest
          ? strongest.list === "chpl"
            ? `CHPL ${strongest.tier ?? ""} ${strongest.code ?? ""}`.trim()
            : `UAV key item: ${strongest.category ?? ""}`
          : "conflicting evidence: needs review",
        score: strongest?.list === "chpl" && /Tier 1\b/.test(strongest.tier ?? "") ? 1 : 0.8,
        match: screening.result,
        actor: options.actor,
        at,
      });
      outcomes.push({ lineId: screening.lineId, caseId: hit.caseId, outcome: hit.outcome });
      audit.push({
        actor: options.actor,
        action: "screening.item",
        subject: `item:${screening.lineId}`,
        at,
        payload: {
          result: screening.result,
          outcome: "review",
          caseId: hit.caseId,
          caseOutcome: hit.outcome,
        },
      });
    }
    if (audit.length > 0) await createAuditRepository(trx).append(audit);
    return outcomes;
  });
}
