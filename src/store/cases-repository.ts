import type { Kysely } from "kysely";
import {
  CASE_STATES,
  type Case,
  type CaseDecisionInput,
  type CaseEvent,
  type CaseEventType,
  type CaseState,
  type Clearance,
  type Customer,
  DECISION_STATES,
  OPEN_CASE_STATES,
  type SubjectKind,
} from "../model/case.js";
import { atomic, lockFeature } from "./audit-repository.js";
import type { Database } from "./schema.js";
import { StoreError } from "./types.js";

// Parameters per statement stay far below SQLite's 32,766 and PostgreSQL's 65,535.
const IN_BATCH = 500;

/** The cases tables as Kysely sees them (JSON as text), plus the list tables they read. */
export interface CasesTables extends Pick<Database, "version_entities" | "list_versions"> {
  customers: { id: string; name: string; data: string; created_at: string; updated_at: string };
  cases: {
    id: number;
    subject_kind: string;
    subject_id: string;
    subject_name: string;
    query_json: string;
    target_id: string;
    list_id: string | null;
    target_name: string;
    score: number;
    entity_hash: string | null;
    list_version: number | null;
    match_json: string;
    state: string;
    assignee: string | null;
    version: number;
    hit_count: number;
    opened_at: string;
    updated_at: string;
    last_hit_at: string;
  };
  case_events: {
    case_id: number;
    seq: number;
    at: string;
    actor: string;
    type: string;
    from_state: string | null;
    to_state: string | null;
    reason: string | null;
    data_json: string | null;
  };
  clearances: {
    subject_kind: string;
    subject_id: string;
    entity_id: string;
    entity_hash: string;
    list_id: string;
    list_version: number;
    case_id: number;
    cleared_by: string;
    cleared_at: string;
    reason: string;
    expires_at: string | null;
  };
  monitor_state: { list_id: string; version: number; monitored_at: string };
}

type CaseRow = CasesTables["cases"];

/**
 * One hit to record: a subject against a target at a score, with the listed record's hash and
 * list version so the allow-list can tell whether the record changed since it was cleared.
 *
 * @example
 * { subjectKind: "party", subjectId: "C-001", subjectName: "Gulf Star FZE", query: {...},
 *   targetId: "un:QDi.440", listId: "un", targetName: "…", score: 0.93, entityHash: "ab…",
 *   listVersion: 2, match: {...}, actor: "system", at: "2026-11-25T10:00:00Z" }
 */
export interface CaseHit {
  subjectKind: SubjectKind;
  subjectId: string;
  subjectName: string;
  query: unknown;
  targetId: string;
  listId?: string | undefined;
  targetName: string;
  score: number;
  entityHash?: string | undefined;
  listVersion?: number | undefined;
  match: unknown;
  actor: string;
  at: string;
}

/** What recording a hit did. `suppressed` hits are recorded on the cleared case's history. */
export const HIT_OUTCOMES = ["opened", "updated", "reopened", "suppressed"] as const;
export type HitOutcome = (typeof HIT_OUTCOMES)[number];

/** Filters for the review queue; they combine with AND. */
export interface CaseFilter {
  states?: CaseState[];
  assignee?: string;
  subjectId?: string;
  limit?: number;
  /** Keyset paging: cases with id greater than this. */
  afterId?: number;
}

/** The current stored record of a listed entity: what a clearance is pinned to. */
export interface EntityRecordRef {
  listId: string;
  version: number;
  hash: string;
}

/** Cases, customers, allow-list and monitoring state. */
export interface CasesRepository {
  upsertCustomers(customers: Customer[], at: string): Promise<{ created: number; updated: number }>;
  customers(): Promise<Customer[]>;
  customerCount(): Promise<number>;
  /** Opens, updates, reopens or suppresses, atomically; never drops a hit. */
  recordHit(hit: CaseHit): Promise<{ outcome: HitOutcome; caseId: number; reason?: string }>;
  get(id: number): Promise<Case | undefined>;
  events(id: number): Promise<CaseEvent[]>;
  list(filter?: CaseFilter): Promise<Case[]>;
  counts(): Promise<Record<CaseState, number>>;
  /**
   * A decision by a named user with a reason. A stale `expectedVersion` (or a concurrent change)
   * is a `conflict` StoreError; clearing adds the pair to the allow-list.
   */
  decide(id: number, input: CaseDecisionInput, at: string): Promise<{ case: Case; clearance?: Clearance }>;
  assign(
    id: number,
    input: { assignee: string; user: string; reason?: string; expectedVersion?: number },
    at: string,
  ): Promise<Case>;
  comment(id: number, input: { user: string; text: string }, at: string): Promise<CaseEvent>;
  clearance(subjectKind: SubjectKind, subjectId: string, entityId: string): Promise<Clearance | undefined>;
  /** Current record (list, version, hash) of each entity id still listed. */
  entityRecords(entityIds: string[]): Promise<Map<string, EntityRecordRef>>;
  monitorState(): Promise<Map<string, number>>;
  setMonitorState(listId: string, version: number, at: string): Promise<void>;
}

function toCase(row: CaseRow): Case {
  return {
    id: Number(row.id),
    subjectKind: row.subject_kind as SubjectKind,
    subjectId: row.subject_id,
    subjectName: row.subject_name,
    query: JSON.parse(row.query_json),
    targetId: row.target_id,
    ...(row.list_id ? { listId: row.list_id } : {}),
    targetName: row.target_name,
    score: Number(row.score),
    ...(row.entity_hash ? { entityHash: row.entity_hash } : {}),
    ...(row.list_version !== null ? { listVersion: Number(row.list_version) } : {}),
    match: JSON.parse(row.match_json),
    state: row.state as CaseState,
    ...(row.assignee ? { assignee: row.assignee } : {}),
    version: Number(row.version),
    hitCount: Number(row.hit_count),
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    lastHitAt: row.last_hit_at,
  };
}

function toClearance(row: CasesTables["clearances"]): Clearance {
  return {
    subjectKind: row.subject_kind as SubjectKind,
    subjectId: row.subject_id,
    entityId: row.entity_id,
    entityHash: row.entity_hash,
    listId: row.list_id,
    listVersion: Number(row.list_version),
    caseId: Number(row.case_id),
    clearedBy: row.cleared_by,
    clearedAt: row.cleared_at,
    reason: row.reason,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
  };
}

/**
 * Whether a clearance still holds for a hit on a listed record with `entityHash` at time `at`.
 * Pure, so the rule is tested on its own: a changed record or a passed expiry ends it.
 *
 * @example
 * clearanceHolds(clearance, "ab12…", "2026-11-25T10:00:00Z") // { holds: true }
 */
export function clearanceHolds(
  clearance: Clearance,
  entityHash: string | undefined,
  at: string,
): { holds: true } | { holds: false; reason: string } {
  if (clearance.expiresAt && clearance.expiresAt <= at)
    return { holds: false, reason: `clearance expired on ${clearance.expiresAt}` };
  if (entityHash !== clearance.entityHash)
    return {
      holds: false,
      reason: `listed record ${clearance.entityId} changed since it was cleared on ${clearance.listId} v${clearance.listVersion}`,
    };
  return { holds: true };
}

/**
 * The cases repository over a Kysely handle (the store's or a transaction's).
 *
 * @example
 * const cases = createCasesRepository(kyselyOf(store));
 * const queue = await cases.list({ states: ["open", "in_review"] });
 */
export function createCasesRepository(handle: Kysely<unknown>): CasesRepository {
  const db = handle as unknown as Kysely<CasesTables>;

  async function addEvent(
    trx: Kysely<CasesTables>,
    caseId: number,
    event: {
      at: string;
      actor: string;
      type: CaseEventType;
      fromState?: CaseState;
      toState?: CaseState;
      reason?: string;
      data?: unknown;
    },
  ): Promise<CaseEvent> {
    const last = await trx
      .selectFrom("case_events")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .where("case_id", "=", caseId)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    await trx
      .insertInto("case_events")
      .values({
        case_id: caseId,
        seq,
        at: event.at,
        actor: event.actor,
        type: event.type,
        from_state: event.fromState ?? null,
        to_state: event.toState ?? null,
        reason: event.reason ?? null,
        data_json: event.data === undefined ? null : JSON.stringify(event.data),
      })
      .execute();
    return {
      caseId,
      seq,
      at: event.at,
      actor: event.actor,
      type: event.type,
      ...(event.fromState ? { fromState: event.fromState } : {}),
      ...(event.toState ? { toState: event.toState } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.data !== undefined ? { data: event.data } : {}),
    };
  }

  async function caseRow(trx: Kysely<CasesTables>, id: number): Promise<CaseRow> {
    const row = await trx.selectFrom("cases").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new StoreError("not-found", `no case ${id}`);
    return row;
  }

  /** Writes a change only if nobody else changed the case since `version` was read. */
  async function updateAtVersion(
    trx: Kysely<CasesTables>,
    row: CaseRow,
    expectedVersion: number | undefined,
    changes: Partial<CaseRow>,
  ): Promise<CaseRow> {
    const current = Number(row.version);
    if (expectedVersion !== undefined && expectedVersion !== current) {
      throw new StoreError(
        "conflict",
        `case ${row.id} is at version ${current}, not ${expectedVersion}: someone changed it since you read it; reload and decide again`,
      );
    }
    const result = await trx
      .updateTable("cases")
      .set({ ...changes, version: current + 1 })
      .where("id", "=", Number(row.id))
      .where("version", "=", current)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new StoreError("conflict", `case ${row.id} was changed by someone else; reload and decide again`);
    }
    return caseRow(trx, Number(row.id));
  }

  return {
    async upsertCustomers(customers, at) {
      return atomic(db, async (trx) => {
        let created = 0;
        let updated = 0;
        for (let i = 0; i < customers.length; i += IN_BATCH) {
          const batch = customers.slice(i, i + IN_BATCH);
          const existing = new Set(
            (
              await trx
                .selectFrom("customers")
                .select("id")
                .where(
                  "id",
                  "in",
                  batch.map((c) => c.id),
                )
                .execute()
            ).map((r) => r.id),
          );
          for (const customer of batch) {
            const { createdAt: _c, updatedAt: _u, ...fields } = customer;
            const data = JSON.stringify(fields);
            if (existing.has(customer.id)) {
              await trx
                .updateTable("customers")
                .set({ name: customer.name, data, updated_at: at })
                .where("id", "=", customer.id)
                .execute();
              updated++;
            } else {
              existing.add(customer.id);
              await trx
                .insertInto("customers")
                .values({ id: customer.id, name: customer.name, data, created_at: at, updated_at: at })
                .execute();
              created++;
            }
          }
        }
        return { created, updated };
      });
    },

    async customers() {
      const rows = await db.selectFrom("customers").selectAll().orderBy("id").execute();
      return rows.map((row) => ({
        ...(JSON.parse(row.data) as Customer),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }));
    },

    async customerCount() {
      const row = await db
        .selectFrom("customers")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async recordHit(hit) {
      return atomic(db, async (trx) => {
        await lockFeature(trx, "cases");
        const existing = await trx
          .selectFrom("cases")
          .selectAll()
          .where("subject_kind", "=", hit.subjectKind)
          .where("subject_id", "=", hit.subjectId)
          .where("target_id", "=", hit.targetId)
          .executeTakeFirst();
        const clearanceRow = await trx
          .selectFrom("clearances")
          .selectAll()
          .where("subject_kind", "=", hit.subjectKind)
          .where("subject_id", "=", hit.subjectId)
          .where("entity_id", "=", hit.targetId)
          .executeTakeFirst();
        const hitData = {
          score: hit.score,
          listId: hit.listId,
          listVersion: hit.listVersion,
          entityHash: hit.entityHash,
        };
        let staleReason: string | undefined;
        if (clearanceRow) {
          const verdict = clearanceHolds(toClearance(clearanceRow), hit.entityHash, hit.at);
          if (verdict.holds) {
            const caseId = Number(clearanceRow.case_id);
            // Recorded on the cleared case (no version bump: nothing an analyst reads has changed).
            await addEvent(trx, caseId, {
              at: hit.at,
              actor: hit.actor,
              type: "suppressed",
              reason: `cleared by ${clearanceRow.cleared_by} on ${clearanceRow.cleared_at}: ${clearanceRow.reason}`,
              data: hitData,
            });
            return { outcome: "suppressed" as const, caseId };
          }
          staleReason = verdict.reason;
        }
        const fields = {
          subject_name: hit.subjectName,
          query_json: JSON.stringify(hit.query ?? null),
          list_id: hit.listId ?? null,
          target_name: hit.targetName,
          score: hit.score,
          entity_hash: hit.entityHash ?? null,
          list_version: hit.listVersion ?? null,
          match_json: JSON.stringify(hit.match ?? null),
          updated_at: hit.at,
          last_hit_at: hit.at,
        };
        if (!existing) {
          const last = await trx
            .selectFrom("cases")
            .select((eb) => eb.fn.max("id").as("id"))
            .executeTakeFirst();
          const id = Number(last?.id ?? 0) + 1;
          await trx
            .insertInto("cases")
            .values({
              id,
              subject_kind: hit.subjectKind,
              subject_id: hit.subjectId,
              target_id: hit.targetId,
              ...fields,
              state: "open",
              assignee: null,
              version: 1,
              hit_count: 1,
              opened_at: hit.at,
            })
            .execute();
          await addEvent(trx, id, {
            at: hit.at,
            actor: hit.actor,
            type: "opened",
            toState: "open",
            data: hitData,
          });
          return { outcome: "opened" as const, caseId: id };
        }
        const id = Number(existing.id);
        const state = existing.state as CaseState;
        const hitCount = Number(existing.hit_count) + 1;
        if (state === "cleared") {
          // The clearance no longer holds (record changed, clearance expired, or none was kept):
          // the same case comes back to the queue with its history.
          const reason = staleReason ?? "hit again with no clearance on record";
          await updateAtVersion(trx, existing, undefined, { ...fields, state: "open", hit_count: hitCount });
          await addEvent(trx, id, {
            at: hit.at,
            actor: hit.actor,
            type: "reopened",
            fromState: "cleared",
            toState: "open",
            reason,
            data: hitData,
          });
          return { outcome: "reopened" as const, caseId: id, reason };
        }
        await updateAtVersion(trx, existing, undefined, { ...fields, hit_count: hitCount });
        await addEvent(trx, id, { at: hit.at, actor: hit.actor, type: "hit", data: hitData });
        return { outcome: "updated" as const, caseId: id };
      });
    },

    async get(id) {
      const row = await db.selectFrom("cases").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toCase(row) : undefined;
    },

    async events(id) {
      const rows = await db
        .selectFrom("case_events")
        .selectAll()
        .where("case_id", "=", id)
        .orderBy("seq")
        .execute();
      return rows.map((row) => ({
        caseId: Number(row.case_id),
        seq: Number(row.seq),
        at: row.at,
        actor: row.actor,
        type: row.type as CaseEventType,
        ...(row.from_state ? { fromState: row.from_state as CaseState } : {}),
        ...(row.to_state ? { toState: row.to_state as CaseState } : {}),
        ...(row.reason ? { reason: row.reason } : {}),
        ...(row.data_json ? { data: JSON.parse(row.data_json) } : {}),
      }));
    },

    async list(filter = {}) {
      let query = db.selectFrom("cases").selectAll();
      if (filter.states) {
        if (filter.states.length === 0) return [];
        query = query.where("state", "in", filter.states);
      }
      if (filter.assignee) query = query.where("assignee", "=", filter.assignee);
      if (filter.subjectId) query = query.where("subject_id", "=", filter.subjectId);
      if (filter.afterId !== undefined) query = query.where("id", ">", filter.afterId);
      const rows = await query
        .orderBy("id")
        .limit(filter.limit ?? 10_000)
        .execute();
      return rows.map(toCase);
    },

    async counts() {
      const rows = await db
        .selectFrom("cases")
        .select(["state"])
        .select((eb) => eb.fn.countAll().as("n"))
        .groupBy("state")
        .execute();
      const counts = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
      for (const row of rows) counts[row.state as CaseState] = Number(row.n);
      return counts;
    },

    async decide(id, input, at) {
      return atomic(db, async (trx) => {
        await lockFeature(trx, "cases");
        const row = await caseRow(trx, id);
        const from = row.state as CaseState;
        const to = DECISION_STATES[input.decision];
        if (input.expectedVersion !== undefined && input.expectedVersion !== Number(row.version)) {
          throw new StoreError(
            "conflict",
            `case ${id} is at version ${row.version}, not ${input.expectedVersion}: someone changed it since you read it; reload and decide again`,
          );
        }
        if (from === to) throw new StoreError("invalid", `case ${id} is already ${to}`);
        const updated = await updateAtVersion(trx, row, input.expectedVersion, {
          state: to,
          updated_at: at,
        });
        await addEvent(trx, id, {
          at,
          actor: input.user,
          type: "state",
          fromState: from,
          toState: to,
          reason: input.reason,
          ...(input.expiresAt ? { data: { expiresAt: input.expiresAt } } : {}),
        });
        let clearance: Clearance | undefined;
        if (to === "cleared" && row.entity_hash && row.list_id && row.list_version !== null) {
          const values: CasesTables["clearances"] = {
            subject_kind: row.subject_kind,
            subject_id: row.subject_id,
            entity_id: row.target_id,
            entity_hash: row.entity_hash,
            list_id: row.list_id,
            list_version: Number(row.list_version),
            case_id: id,
            cleared_by: input.user,
            cleared_at: at,
            reason: input.reason,
            expires_at: input.expiresAt ?? null,
          };
          await trx
            .deleteFrom("clearances")
            .where("subject_kind", "=", values.subject_kind)
            .where("subject_id", "=", values.subject_id)
            .where("entity_id", "=", values.entity_id)
            .execute();
          await trx.insertInto("clearances").values(values).execute();
          clearance = toClearance(values);
        } else if (from === "cleared") {
          // Un-clearing (e.g. confirming after a second look) takes the pair off the allow-list.
          await trx
            .deleteFrom("clearances")
            .where("subject_kind", "=", row.subject_kind)
            .where("subject_id", "=", row.subject_id)
            .where("entity_id", "=", row.target_id)
            .execute();
        }
        return { case: toCase(updated), ...(clearance ? { clearance } : {}) };
      });
    },

    async assign(id, input, at) {
      if (!input.assignee.trim()) throw new StoreError("invalid", "assign needs an assignee");
      if (!input.user.trim()) throw new StoreError("invalid", "assign needs a named user");
      return atomic(db, async (trx) => {
        const row = await caseRow(trx, id);
        const from = row.state as CaseState;
        // Taking an open case means someone is reviewing it.
        const to: CaseState = from === "open" ? "in_review" : from;
        const updated = await updateAtVersion(trx, row, input.expectedVersion, {
          assignee: input.assignee,
          state: to,
          updated_at: at,
        });
        await addEvent(trx, id, {
          at,
          actor: input.user,
          type: "assigned",
          ...(to !== from ? { fromState: from, toState: to } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          data: { assignee: input.assignee, previous: row.assignee },
        });
        return toCase(updated);
      });
    },

    async comment(id, input, at) {
      if (!input.text.trim()) throw new StoreError("invalid", "a comment needs text");
      if (!input.user.trim()) throw new StoreError("invalid", "a comment needs a named user");
      return atomic(db, async (trx) => {
        await caseRow(trx, id);
        // Comments add to the history without bumping the version: they overwrite nothing.
        return addEvent(trx, id, { at, actor: input.user, type: "comment", reason: input.text.trim() });
      });
    },

    async clearance(subjectKind, subjectId, entityId) {
      const row = await db
        .selectFrom("clearances")
        .selectAll()
        .where("subject_kind", "=", subjectKind)
        .where("subject_id", "=", subjectId)
        .where("entity_id", "=", entityId)
        .executeTakeFirst();
      return row ? toClearance(row) : undefined;
    },

    async entityRecords(entityIds) {
      const out = new Map<string, EntityRecordRef>();
      const byList = new Map<string, string[]>();
      for (const id of new Set(entityIds)) {
        const listId = id.slice(0, id.indexOf(":"));
        byList.set(listId, [...(byList.get(listId) ?? []), id]);
      }
      for (const [listId, ids] of byList) {
        const current = await db
          .selectFrom("list_versions")
          .select((eb) => eb.fn.max("version").as("version"))
          .where("list_id", "=", listId)
          .executeTakeFirst();
        if (current?.version === null || current?.version === undefined) continue;
        const version = Number(current.version);
        for (let i = 0; i < ids.length; i += IN_BATCH) {
          const rows = await db
            .selectFrom("version_entities")
            .select(["entity_id", "hash"])
            .where("list_id", "=", listId)
            .where("version", "=", version)
            .where("entity_id", "in", ids.slice(i, i + IN_BATCH))
            .execute();
          for (const row of rows) out.set(row.entity_id, { listId, version, hash: row.hash });
        }
      }
      return out;
    },

    async monitorState() {
      const rows = await db.selectFrom("monitor_state").selectAll().execute();
      return new Map(rows.map((row) => [row.list_id, Number(row.version)]));
    },

    async setMonitorState(listId, version, at) {
      await atomic(db, async (trx) => {
        await trx.deleteFrom("monitor_state").where("list_id", "=", listId).execute();
        await trx
          .insertInto("monitor_state")
          .values({ list_id: listId, version, monitored_at: at })
          .execute();
      });
    },
  };
}

/** States that still need a person, re-exported for queue filters. */
export const QUEUE_STATES: CaseState[] = [...OPEN_CASE_STATES];
