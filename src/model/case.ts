import { z } from "zod";
import { ENTITY_SCHEMAS } from "./entity.js";

/**
 * Where a case stands. `cleared` = false positive (the pair goes on the allow-list), `confirmed` =
 * true match, `escalated` = handed to someone with more authority; `open` and `in_review` are work
 * still to do.
 *
 * @example
 * const state: CaseState = "in_review";
 */
export const CASE_STATES = ["open", "in_review", "cleared", "confirmed", "escalated"] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const caseStateSchema = z.enum(CASE_STATES);

/** States that still need a person: the review queue. */
export const OPEN_CASE_STATES = ["open", "in_review", "escalated"] as const satisfies readonly CaseState[];

/**
 * What an analyst can decide, and the state each decision leads to.
 *
 * @example
 * DECISION_STATES.clear // "cleared"
 */
export const CASE_DECISIONS = ["clear", "confirm", "escalate"] as const;
export type CaseDecision = (typeof CASE_DECISIONS)[number];
export const caseDecisionSchema = z.enum(CASE_DECISIONS);
export const DECISION_STATES: Record<CaseDecision, CaseState> = {
  clear: "cleared",
  confirm: "confirmed",
  escalate: "escalated",
};

/** What was screened: a stored customer (party), an item line or a whole order. */
export const SUBJECT_KINDS = ["party", "item", "order"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * A stored customer, screened at import and re-screened by monitoring. Same columns as a
 * screening CSV.
 *
 * @example
 * customerSchema.parse({ id: "C-001", name: "Gulf Star FZE", country: "AE" })
 */
export const customerSchema = z.object({
  id: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(1000),
  schema: z.enum(ENTITY_SCHEMAS).optional(),
  country: z.string().optional(),
  dob: z.string().optional(),
  address: z.string().optional(),
  identifier: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

/**
 * One review case: one subject (a customer, an order) against one target (a listed entity, or the
 * order's decision). A new hit on the same pair updates the case instead of opening another.
 * `version` grows with every change: a writer that read version 3 and finds 4 gets a conflict.
 *
 * @example
 * { id: 12, subjectKind: "party", subjectId: "C-001", subjectName: "Gulf Star FZE",
 *   targetId: "ofac-sdn:36501", listId: "ofac-sdn", targetName: "GULF STAR FZE", score: 0.97,
 *   entityHash: "ab12…", listVersion: 3, state: "open", version: 1, hitCount: 1, ... }
 */
export const caseSchema = z.object({
  id: z.number().int().positive(),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectId: z.string(),
  subjectName: z.string(),
  /** What was screened, as screened (a party query, an order). */
  query: z.unknown(),
  /** Listed entity id for party hits; `order:<decision>` for order cases. */
  targetId: z.string(),
  listId: z.string().optional(),
  targetName: z.string(),
  score: z.number(),
  /** Hash of the listed record when the case was last hit: the allow-list compares it. */
  entityHash: z.string().optional(),
  listVersion: z.number().int().optional(),
  /** The latest hit as the screener reported it (score, explanation), or the order result. */
  match: z.unknown(),
  state: caseStateSchema,
  assignee: z.string().optional(),
  version: z.number().int().positive(),
  hitCount: z.number().int().nonnegative(),
  openedAt: z.string(),
  updatedAt: z.string(),
  lastHitAt: z.string(),
});
export type Case = z.infer<typeof caseSchema>;

/**
 * What can happen to a case. `suppressed` records a hit the allow-list held back: never silently
 * dropped.
 */
export const CASE_EVENT_TYPES = [
  "opened",
  "hit",
  "reopened",
  "suppressed",
  "state",
  "assigned",
  "comment",
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/**
 * One entry in a case's history, by a named actor at a time.
 *
 * @example
 * { caseId: 12, seq: 3, at: "2026-11-25T10:00:00.000Z", actor: "alice", type: "state",
 *   fromState: "open", toState: "cleared", reason: "different date of birth" }
 */
export const caseEventSchema = z.object({
  caseId: z.number().int().positive(),
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  type: z.enum(CASE_EVENT_TYPES),
  fromState: caseStateSchema.optional(),
  toState: caseStateSchema.optional(),
  reason: z.string().optional(),
  data: z.unknown().optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

/**
 * An allow-list entry: this subject is not this listed entity, as long as the listed record stays
 * the one that was reviewed (`entityHash`) and the clearance has not expired.
 *
 * @example
 * { subjectKind: "party", subjectId: "C-001", entityId: "un:QDi.440", entityHash: "ab12…",
 *   listId: "un", listVersion: 2, caseId: 12, clearedBy: "alice", clearedAt: "…", reason: "…" }
 */
export const clearanceSchema = z.object({
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectId: z.string(),
  entityId: z.string(),
  entityHash: z.string(),
  listId: z.string(),
  listVersion: z.number().int(),
  caseId: z.number().int().positive(),
  clearedBy: z.string(),
  clearedAt: z.string(),
  reason: z.string(),
  expiresAt: z.string().optional(),
});
export type Clearance = z.infer<typeof clearanceSchema>;

/**
 * A decision by an analyst: the reason is mandatory (blank is refused) and `expectedVersion` makes
 * a stale edit a conflict instead of an overwrite.
 *
 * @example
 * caseDecisionInputSchema.parse({ decision: "clear", reason: "DOB differs", user: "alice", expectedVersion: 2 })
 */
export const caseDecisionInputSchema = z.object({
  decision: caseDecisionSchema,
  reason: z.string().trim().min(1, "a decision needs a reason"),
  user: z.string().trim().min(1, "a decision needs a named user"),
  expectedVersion: z.number().int().positive().optional(),
  /** ISO date or timestamp after which a clearance no longer suppresses the hit. */
  expiresAt: z.string().optional(),
});
export type CaseDecisionInput = z.infer<typeof caseDecisionInputSchema>;

/**
 * One record of the audit trail. `hash = sha256(prevHash + canonical JSON of {action, actor, at,
 * payload, seq, subject})`, so editing, inserting or deleting any record breaks the chain.
 *
 * @example
 * { seq: 1, at: "2026-11-25T10:00:00.000Z", actor: "alice", action: "case.decision",
 *   subject: "case:12", payload: { decision: "clear", reason: "…" }, prevHash: "000…", hash: "9f2…" }
 */
export const auditRecordSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
