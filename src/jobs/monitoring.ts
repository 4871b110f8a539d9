import { createScreener, DEFAULT_MATCH_THRESHOLD, type PartyQuery } from "../matching/index.js";
import { type Customer, customerSchema } from "../model/case.js";
import type { ListEntity, ParseIssue } from "../model/index.js";
import { createAuditRepository, kyselyOf } from "../store/audit-repository.js";
import { createCasesRepository } from "../store/cases-repository.js";
import type { Store } from "../store/index.js";
import { casesOf, currentListVersions, type PartyScreeningRecord, recordPartyScreenings } from "./cases.js";
import { readPartyRows } from "./party-rows.js";

/** Candidates kept per customer; hits beyond ten on one list update are not credible anyway. */
const CANDIDATE_LIMIT = 10;

// Screenings recorded per transaction: keeps one monitoring run from holding the write lock long.
const RECORD_BATCH = 500;

export interface MonitoringOptions {
  /** Who the audit trail names (default "monitor"). */
  actor?: string;
  threshold?: number;
  reviewLevel?: number;
  /** Only these lists. */
  lists?: string[];
  /** The clock, for tests. */
  at?: string;
}

/**
 * What one list update did to the customers.
 *
 * @example
 * { listId: "un", fromVersion: 1, toVersion: 2, added: 1, changed: 3, removed: 0, entitiesScreened: 4,
 *   entitiesInList: 1002, customersScreened: 10000, customersTotal: 10000, customersWithCandidates: 2,
 *   newCases: 1, updatedCases: 0, suppressed: 0, caseIds: [31] }
 */
export interface ListMonitoringSummary {
  listId: string;
  /** 0 = the list had never been monitored: every entity counts as added. */
  fromVersion: number;
  toVersion: number;
  added: number;
  changed: number;
  removed: number;
  /** Entities the customers were screened against (added + changed), vs the list's size. */
  entitiesScreened: number;
  entitiesInList: number;
  customersScreened: number;
  customersTotal: number;
  /** Customers with at least one candidate among the affected entities (what the diff touched). */
  customersWithCandidates: number;
  /** Cases opened, or cleared cases reopened because the listed record changed. */
  newCases: number;
  updatedCases: number;
  suppressed: number;
  caseIds: number[];
  seconds: number;
}

/**
 * A monitoring run: one summary per list with a version newer than the one last monitored.
 *
 * @example
 * { customersTotal: 10000, lists: [{ listId: "un", ... }], newCases: 1 }
 */
export interface MonitoringSummary {
  customersTotal: number;
  lists: ListMonitoringSummary[];
  newCases: number;
}

function customerQuery(customer: Customer): PartyQuery {
  return {
    name: customer.name,
    ...(customer.schema ? { schema: customer.schema } : {}),
    ...(customer.country ? { country: customer.country } : {}),
    ...(customer.dob ? { dob: customer.dob } : {}),
    ...(customer.identifier ? { identifiers: [{ value: customer.identifier }] } : {}),
  };
}

/** The entities of one list a diff can affect: added or changed since `from` (all when from = 0). */
async function affectedEntities(
  store: Store,
  listId: string,
  from: number,
  to: number,
): Promise<{ entities: ListEntity[]; added: number; changed: number; removed: number }> {
  if (from === 0) {
    const entities = await store.entities([listId]);
    return { entities, added: entities.length, changed: 0, removed: 0 };
  }
  const diff = await store.diff(listId, from, to);
  const ids = [...diff.added, ...diff.changed.map((c) => c.id)];
  let entities: ListEntity[];
  if (ids.length > 2000) {
    // A big update: one query for the whole list beats thousands of single-record reads.
    const wanted = new Set(ids);
    entities = (await store.entities([listId])).filter((e) => wanted.has(e.id));
  } else {
    entities = [];
    for (const id of ids) {
      const entity = await store.entity(id, to);
      if (entity) entities.push(entity);
    }
  }
  return { entities, added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
}

/**
 * Re-screens stored customers after list updates. For each list whose current version is newer
 * than the last one monitored, only the entities the diff can affect (added or changed records) are
 * indexed, and every customer is screened against that small index — so the work is proportional
 * to the change, not to the list. Hits open cases (the allow-list applies: an unchanged cleared
 * record stays suppressed, a changed one reopens its case). Removed entities cannot create hits.
 *
 * @example
 * const summary = await runMonitoring(store);
 * // { customersTotal: 10000, newCases: 1, lists: [{ listId: "un", added: 1, changed: 3, customersWithCandidates: 2, ... }] }
 */
export async function runMonitoring(
  store: Store,
  options: MonitoringOptions = {},
): Promise<MonitoringSummary> {
  const actor = options.actor ?? "monitor";
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const cases = casesOf(store);
  const state = await cases.monitorState();
  const customers = await cases.customers();
  const versions = (await store.currentVersions()).filter(
    (v) => !options.lists || options.lists.includes(v.listId),
  );
  const summaries: ListMonitoringSummary[] = [];
  for (const version of versions) {
    const from = state.get(version.listId) ?? 0;
    if (from >= version.version) continue;
    const started = performance.now();
    const at = options.at ?? new Date().toISOString();
    const affected = await affectedEntities(store, version.listId, from, version.version);
    const summary: ListMonitoringSummary = {
      listId: version.listId,
      fromVersion: from,
      toVersion: version.version,
      added: affected.added,
      changed: affected.changed,
      removed: affected.removed,
      entitiesScreened: affected.entities.length,
      entitiesInList: version.entityCount,
      customersScreened: 0,
      customersTotal: customers.length,
      customersWithCandidates: 0,
      newCases: 0,
      updatedCases: 0,
      suppressed: 0,
      caseIds: [],
      seconds: 0,
    };
    if (affected.entities.length > 0 && customers.length > 0) {
      for (const entity of affected.entities) entity.raw = undefined;
      const screener = createScreener(affected.entities, { threshold });
      const context = {
        listVersions: { [version.listId]: version.version },
        threshold,
        ...(options.reviewLevel !== undefined ? { reviewLevel: options.reviewLevel } : {}),
      };
      let pending: PartyScreeningRecord[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const outcomes = await recordPartyScreenings(store, pending, context, {
          actor,
          at,
          action: "monitoring.screening",
        });
        for (const outcome of outcomes) {
          for (const hit of outcome.hits) {
            if (hit.outcome === "opened" || hit.outcome === "reopened") {
              summary.newCases++;
              summary.caseIds.push(hit.caseId);
            } else if (hit.outcome === "updated") summary.updatedCases++;
            else summary.suppressed++;
          }
        }
        pending = [];
      };
      for (const customer of customers) {
        const query = customerQuery(customer);
        const matches = screener.screen(query, { limit: CANDIDATE_LIMIT });
        summary.customersScreened++;
        if (matches.length === 0) continue;
        summary.customersWithCandidates++;
        pending.push({ subjectId: customer.id, subjectName: customer.name, query, matches });
        if (pending.length >= RECORD_BATCH) await flush();
      }
      await flush();
    }
    summary.seconds = Math.round(performance.now() - started) / 1000;
    // The run's own record says whom it screened against what, so "no hit" outcomes are reproducible too.
    const db = kyselyOf<unknown>(store);
    await createAuditRepository(db).append([
      {
        actor,
        action: "monitoring.run",
        subject: `list:${version.listId}`,
        at,
        payload: {
          ...summary,
          seconds: undefined,
          threshold,
          reviewLevel: options.reviewLevel ?? null,
          entityIds: affected.entities.map((e) => e.id),
        },
      },
    ]);
    await createCasesRepository(db).setMonitorState(version.listId, version.version, at);
    summaries.push(summary);
  }
  return {
    customersTotal: customers.length,
    lists: summaries,
    newCases: summaries.reduce((n, s) => n + s.newCases, 0),
  };
}

/**
 * Runs monitoring when an import created at least one new list version (call it after `lists
 * import`); returns undefined when nothing changed.
 *
 * @example
 * const report = await importLists(store, paths);
 * const summary = await monitorAfterImport(store, report.results);
 */
export async function monitorAfterImport(
  store: Store,
  results: ReadonlyArray<{ status: string }>,
  options: MonitoringOptions = {},
): Promise<MonitoringSummary | undefined> {
  if (!results.some((r) => r.status === "created")) return undefined;
  return runMonitoring(store, options);
}

/**
 * What a customer import did.
 *
 * @example
 * { read: 10, created: 10, updated: 0, rejected: [], screened: 10, newCases: 2 }
 */
export interface CustomerImportSummary {
  read: number;
  created: number;
  updated: number;
  rejected: Array<{ line: number; id: string; message: string }>;
  screened: number;
  newCases: number;
  caseIds: number[];
}

/**
 * Stores the customers of a screening CSV (same columns as `screen`) and, unless `screen: false`,
 * screens them against every current list so their hits open cases at once. Rows without a name
 * are rejected and reported; the others are stored.
 *
 * @example
 * const summary = await importCustomers(store, "customers.csv", { actor: "alice" });
 */
export async function importCustomers(
  store: Store,
  file: string,
  options: {
    actor?: string;
    screen?: boolean;
    threshold?: number;
    reviewLevel?: number;
    at?: string;
    /** Hears of the file as a whole (lines that are not UTF-8 are read as Windows-1252). */
    onIssue?: (issue: ParseIssue) => void;
  } = {},
): Promise<CustomerImportSummary> {
  const actor = options.actor ?? "import";
  const at = options.at ?? new Date().toISOString();
  const customers: Customer[] = [];
  const rejected: CustomerImportSummary["rejected"] = [];
  let read = 0;
  for await (const row of readPartyRows(file, options.onIssue)) {
    read++;
    const parsed = customerSchema.safeParse({
      id: row.id,
      name: row.name,
      ...(row.schema ? { schema: row.schema } : {}),
      ...(row.country ? { country: row.country } : {}),
      ...(row.dob ? { dob: row.dob } : {}),
      ...(row.address ? { address: row.address } : {}),
      ...(row.identifier ? { identifier: row.identifier } : {}),
    });
    if (parsed.success) customers.push(parsed.data);
    else
      rejected.push({
        line: row.line,
        id: row.id,
        message:
          row.issues.map((i) => i.message).join("; ") || parsed.error.issues[0]?.message || "invalid row",
      });
  }
  const cases = casesOf(store);
  const hadCustomers = (await cases.customerCount()) > 0;
  const { created, updated } = await cases.upsertCustomers(customers, at);
  const summary: CustomerImportSummary = {
    read,
    created,
    updated,
    rejected,
    screened: 0,
    newCases: 0,
    caseIds: [],
  };
  if (options.screen === false || customers.length === 0) return summary;

  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const entities = await store.entities();
  for (const entity of entities) entity.raw = undefined;
  const screener = createScreener(entities, { threshold });
  const listVersions = await currentListVersions(store);
  const context = {
    listVersions,
    threshold,
    ...(options.reviewLevel !== undefined ? { reviewLevel: options.reviewLevel } : {}),
  };
  for (let i = 0; i < customers.length; i += RECORD_BATCH) {
    const batch: PartyScreeningRecord[] = customers.slice(i, i + RECORD_BATCH).map((customer) => {
      const query = customerQuery(customer);
      return {
        subjectId: customer.id,
        subjectName: customer.name,
        query,
        matches: screener.screen(query, { limit: CANDIDATE_LIMIT }),
      };
    });
    summary.screened += batch.length;
    const outcomes = await recordPartyScreenings(store, batch, context, {
      actor,
      at,
      auditClear: true,
      action: "screening.customer",
    });
    for (const outcome of outcomes)
      for (const hit of outcome.hits)
        if (hit.outcome === "opened" || hit.outcome === "reopened") {
          summary.newCases++;
          summary.caseIds.push(hit.caseId);
        }
  }
  // The first customers were just screened against every current version: monitoring starts there.
  // With customers already stored, a never-monitored list stays at 0 so they get screened against it.
  if (!hadCustomers) {
    const state = await cases.monitorState();
    for (const [listId, version] of Object.entries(listVersions))
      if (!state.has(listId)) await cases.setMonitorState(listId, version, at);
  }
  return summary;
}
