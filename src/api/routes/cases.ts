import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { auditOf, auditRange, exportAudit, verifyAudit } from "../../jobs/audit.js";
import { assignCase, CaseInputError, casesOf, commentCase, decideCase } from "../../jobs/cases.js";
import { importCustomers, runMonitoring } from "../../jobs/monitoring.js";
import { CASE_DECISIONS, CASE_STATES, type CaseState, OPEN_CASE_STATES } from "../../model/case.js";
import { SourceFileError } from "../../sources/types.js";
import { kyselyOf } from "../../store/audit-repository.js";
import type { CasesTables } from "../../store/cases-repository.js";
import { sql } from "../../store/kysely-runtime.js";
import { requireRole } from "../auth.js";
import type { ApiContext } from "../context.js";
import { ApiError, apiErrorSchema } from "../errors.js";

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** Most rows one queue page returns: the UI shows 50; a client paging through 10,000 cases asks for more. */
export const MAX_PAGE = 500;

/** Biggest customer CSV accepted over HTTP (10 MB: about 100,000 customers); bigger files go through the CLI. */
const CUSTOMER_CSV_LIMIT = 10 * 1024 * 1024;

/**
 * The named user an API key acts as in case histories and the audit trail: its label, else its id.
 *
 * @example
 * actorOf(request) // "alice" (key created with --label alice) or "key:3f9a0c1d2e4b"
 */
export function actorOf(request: FastifyRequest): string {
  const key = request.apiKey;
  if (!key) return "anonymous";
  return key.label?.trim() ? key.label : `key:${key.id}`;
}

/**
 * Query string of `GET /cases`. `state` is a comma-separated list of states, `queue` (open, in
 * review, escalated: the default) or `all`; `q` searches subject and listed names and ids.
 *
 * @example
 * { state: "open,in_review", list: "un", assignee: "alice", q: "gulf", limit: 50, offset: 100 }
 */
export const caseQueueQuerySchema = z.object({
  state: z.string().max(200).optional(),
  list: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CaseQueueQuery = z.infer<typeof caseQueueQuerySchema>;

/** Turns the `state` parameter into states, refusing unknown names (a typo must not mean "empty queue"). */
export function parseStates(state: string | undefined): CaseState[] {
  if (!state || state === "queue") return [...OPEN_CASE_STATES];
  if (state === "all") return [...CASE_STATES];
  const states = state
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = states.filter((s) => !(CASE_STATES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new ApiError(
      400,
      "validation_failed",
      `unknown case state '${unknown[0]}'; use ${CASE_STATES.join(", ")}, queue or all`,
      [{ path: "querystring.state", code: "invalid_value", message: `unknown state ${unknown.join(", ")}` }],
    );
  }
  return states as CaseState[];
}

/**
 * One queue row: the columns the table shows, without the stored query and match (the case page
 * reads those), so a page of 50 out of 10,000 cases stays a few kilobytes.
 */
export interface QueueRow {
  id: number;
  subjectKind: string;
  subjectId: string;
  subjectName: string;
  targetId: string;
  listId: string | null;
  targetName: string;
  score: number;
  state: CaseState;
  assignee: string | null;
  version: number;
  hitCount: number;
  openedAt: string;
  updatedAt: string;
}

/**
 * The review queue, paged in the database: filtered rows (highest score first, then oldest), their
 * total, and the counts per state and per list under the same non-state filters, so the filter
 * chips show what each choice would give. The cases repository pages by id only; the queue needs
 * offset paging, a list filter and text search, so it reads the cases table here.
 *
 * @example
 * await caseQueue(store, { state: "open", limit: 50, offset: 0 }) // { cases: [...], total: 10000, counts: {...}, lists: {...} }
 */
export async function caseQueue(
  db: Kysely<CasesTables>,
  query: CaseQueueQuery,
): Promise<{
  cases: QueueRow[];
  total: number;
  counts: Record<CaseState, number>;
  lists: Record<string, number>;
  limit: number;
  offset: number;
}> {
  const states = parseStates(query.state);
  // Filters other than state: the per-state counts are computed under them.
  let base = db.selectFrom("cases");
  if (query.assignee) base = base.where("assignee", "=", query.assignee);
  if (query.q?.trim()) {
    const like = `%${query.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(subject_name)`, "like", sql`${like} escape '\\'`),
        eb(sql`lower(target_name)`, "like", sql`${like} escape '\\'`),
        eb(sql`lower(subject_id)`, "like", sql`${like} escape '\\'`),
        eb(sql`lower(target_id)`, "like", sql`${like} escape '\\'`),
      ]),
    );
  }
  const withList = query.list ? base.where("list_id", "=", query.list) : base;
  const filtered = withList.where("state", "in", states);
  const [rows, total, stateRows, listRows] = await Promise.all([
    filtered
      .select([
        "id",
        "subject_kind",
        "subject_id",
        "subject_name",
        "target_id",
        "list_id",
        "target_name",
        "score",
        "state",
        "assignee",
        "version",
        "hit_count",
        "opened_at",
        "updated_at",
      ])
      .orderBy("score", "desc")
      .orderBy("id")
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst(),
    withList
      .select(["state"])
      .select((eb) => eb.fn.countAll().as("n"))
      .groupBy("state")
      .execute(),
    base
      .where("state", "in", states)
      .select(["list_id"])
      .select((eb) => eb.fn.countAll().as("n"))
      .groupBy("list_id")
      .execute(),
  ]);
  const counts = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  for (const row of stateRows) counts[row.state as CaseState] = Number(row.n);
  const lists: Record<string, number> = {};
  for (const row of listRows) lists[row.list_id ?? "(order)"] = Number(row.n);
  return {
    cases: rows.map((row) => ({
      id: Number(row.id),
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      subjectName: row.subject_name,
      targetId: row.target_id,
      listId: row.list_id,
      targetName: row.target_name,
      score: Number(row.score),
      state: row.state as CaseState,
      assignee: row.assignee,
      version: Number(row.version),
      hitCount: Number(row.hit_count),
      openedAt: row.opened_at,
      updatedAt: row.updated_at,
    })),
    total: Number(total?.n ?? 0),
    counts,
    lists,
    limit: query.limit,
    offset: query.offset,
  };
}

const caseParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/**
 * Body of `POST /cases/{id}/decision`. The reason is mandatory: a decision without one is refused
 * (400) and nothing is recorded. `expectedVersion` is the version the analyst read: a case changed
 * since then answers 409 instead of being overwritten.
 *
 * @example
 * { decision: "clear", reason: "DOB 1981 vs listed 1937", expectedVersion: 2 }
 */
export const decisionBodySchema = z
  .object({
    decision: z.enum(CASE_DECISIONS),
    reason: z.string({ error: "a decision needs a reason" }).trim().min(1, "a decision needs a reason"),
    expectedVersion: z.number().int().positive().optional(),
    expiresAt: z.string().optional(),
  })
  .meta({ id: "CaseDecisionRequest" });

const assignBodySchema = z.object({
  assignee: z.string().trim().min(1).max(200),
  reason: z.string().max(2000).optional(),
  expectedVersion: z.number().int().positive().optional(),
});

const commentBodySchema = z.object({ text: z.string().trim().min(1, "a comment needs text").max(10_000) });

const diffQuerySchema = z.object({
  from: z.coerce.number().int().positive().optional(),
  to: z.coerce.number().int().positive().optional(),
});

const auditRangeQuerySchema = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});

/** Runs a jobs-layer call, turning its input errors into 400s (store errors map themselves). */
async function caseCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CaseInputError) throw new ApiError(400, "validation_failed", error.message);
    throw error;
  }
}

/**
 * The analyst's workspace over HTTP: the review queue and case pages, decisions (analyst),
 * assignment and comments, stored customers and their import (admin), monitoring runs, list diffs,
 * and the audit trail (verify: analyst; export: admin). Viewers read.
 *
 * @example
 * await app.register(caseRoutes, { context });
 */
export const caseRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { store } = context;
  // Looked up per request: a store without SQL (test doubles) can still serve the other routes.
  const db = () => kyselyOf<CasesTables>(store) as unknown as Kysely<CasesTables>;

  // Customer files arrive as CSV bodies; the parser lives in this plugin only (JSON elsewhere).
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    // Bytes, read by the route as a file: a Latin-1 export would otherwise be read as UTF-8 and its
    // accented names stored with replacement characters.
    // No limit of its own: each route's applies (POST /customers/import sets CUSTOMER_CSV_LIMIT), so a
    // 413 quotes the limit that applied.
    { parseAs: "buffer" },
    (_request, body, done) => done(null, body),
  );

  api.get(
    "/cases",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["cases"],
        summary: "The review queue: filtered, paged cases with counts per state and list",
        description:
          "`state`: comma-separated states, `queue` (open, in_review, escalated; default) or `all`. `list`: list id. `assignee`: user. `q`: text in the subject or listed name or id. Sorted by score, highest first. Paged with `limit` (≤ 500) and `offset`.",
        security: [{ apiKey: [] }],
        querystring: caseQueueQuerySchema,
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (request) => caseQueue(db(), request.query),
  );

  api.get(
    "/cases/:id",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["cases"],
        summary: "One case: the query as screened, the listed record with its raw source, history, clearance",
        security: [{ apiKey: [] }],
        params: caseParamsSchema,
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (request) => {
      const cases = casesOf(store);
      const found = await cases.get(request.params.id);
      if (!found) throw new ApiError(404, "not_found", `no case ${request.params.id}`);
      const [events, entity, clearance] = await Promise.all([
        cases.events(found.id),
        found.subjectKind === "party" ? store.entity(found.targetId) : Promise.resolve(undefined),
        cases.clearance(found.subjectKind, found.subjectId, found.targetId),
      ]);
      return {
        case: found,
        events,
        // The current record; `listedVersion` says which list version the hit was made on.
        entity: entity ?? null,
        clearance: clearance ?? null,
      };
    },
  );

  api.post(
    "/cases/:id/decision",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["cases"],
        summary: "Clear, confirm or escalate a case (analyst); a reason is required",
        description:
          "Clearing puts the (subject, listed record) pair on the allow-list until the record changes or `expiresAt` passes. Send the `expectedVersion` you read: a case changed since answers 409 and nothing is recorded.",
        security: [{ apiKey: [] }],
        params: caseParamsSchema,
        body: decisionBodySchema,
        response: { 200: z.unknown(), 409: apiErrorSchema, ...errors },
      },
    },
    async (request) =>
      caseCall(() => decideCase(store, request.params.id, { ...request.body, user: actorOf(request) })),
  );

  api.post(
    "/cases/:id/assign",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["cases"],
        summary: "Assign a case (analyst); an open case moves to in review",
        security: [{ apiKey: [] }],
        params: caseParamsSchema,
        body: assignBodySchema,
        response: { 200: z.unknown(), 409: apiErrorSchema, ...errors },
      },
    },
    async (request) =>
      caseCall(async () => ({
        case: await assignCase(store, request.params.id, {
          assignee: request.body.assignee,
          user: actorOf(request),
          ...(request.body.reason ? { reason: request.body.reason } : {}),
          ...(request.body.expectedVersion ? { expectedVersion: request.body.expectedVersion } : {}),
        }),
      })),
  );

  api.post(
    "/cases/:id/comment",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["cases"],
        summary: "Add a comment to a case's history (analyst)",
        security: [{ apiKey: [] }],
        params: caseParamsSchema,
        body: commentBodySchema,
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (request) =>
      caseCall(async () => ({
        event: await commentCase(store, request.params.id, {
          user: actorOf(request),
          text: request.body.text,
        }),
      })),
  );

  api.get(
    "/customers",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["customers"],
        summary: "Stored customers (monitored on every list update), paged",
        security: [{ apiKey: [] }],
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (request) => {
      const all = await casesOf(store).customers();
      const { limit, offset } = request.query;
      return { customers: all.slice(offset, offset + limit), total: all.length, limit, offset };
    },
  );

  api.post(
    "/customers/import",
    {
      onRequest: requireRole("admin"),
      // Customer files are bigger than the server's JSON limit; a 413 quotes this one.
      bodyLimit: CUSTOMER_CSV_LIMIT,
      schema: {
        tags: ["customers"],
        summary: "Store and screen customers from a CSV body (admin)",
        description:
          "Body: a screening CSV (`Content-Type: text/csv`) whose header has `id` and `name`, and may have `schema`, `country`, `dob`, `address`, `identifier`. UTF-8 is expected; lines that are not are read as Windows-1252 and the answer's `warnings` say so. Customers are stored for monitoring and screened at once; hits open cases. Rows without a name are rejected and reported.",
        security: [{ apiKey: [] }],
        consumes: ["text/csv", "application/csv"],
        // Documents the raw upload (the parser above hands the route its bytes, which any schema
        // but this would refuse); the reader checks the header.
        body: z.any().describe("the customer CSV file"),
        response: { 200: z.unknown(), 415: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new ApiError(415, "unsupported_media_type", "send the customer file as text/csv");
      }
      // The bytes are read as the CLI reads a file: the same decoding, the same header check (a
      // body without id and name is a SourceFileError, answered 400 below), nothing stored before.
      const dir = await mkdtemp(join(tmpdir(), "chokepoint-customers-"));
      const file = join(dir, "customers.csv");
      const warnings: string[] = [];
      try {
        await writeFile(file, request.body);
        const summary = await importCustomers(store, file, {
          actor: actorOf(request),
          threshold: context.screening.current.screener.threshold,
          onIssue: (issue) => warnings.push(issue.message),
        });
        return warnings.length > 0 ? { ...summary, warnings } : summary;
      } catch (error) {
        if (error instanceof SourceFileError) throw new ApiError(400, "bad_request", error.message);
        throw error;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  // One monitoring run at a time: two would record the same hits twice.
  let monitoring = false;
  api.post(
    "/monitoring/run",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["customers"],
        summary: "Re-screen stored customers against what changed in newly imported list versions (analyst)",
        security: [{ apiKey: [] }],
        response: { 200: z.unknown(), 409: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      if (monitoring)
        throw new ApiError(409, "conflict", "a monitoring run is already going; try again when it ends");
      monitoring = true;
      try {
        return await runMonitoring(store, {
          actor: actorOf(request),
          threshold: context.screening.current.screener.threshold,
        });
      } finally {
        monitoring = false;
      }
    },
  );

  api.get(
    "/lists/:id/diff",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["lists"],
        summary: "What changed in a list between two versions (default: the last two), with every version",
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string().min(1).max(100) }),
        querystring: diffQuerySchema,
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (request) => {
      const listId = request.params.id;
      const versions = await store.versions(listId);
      if (versions.length === 0) throw new ApiError(404, "not_found", `no list ${listId}`);
      const latest = Math.max(...versions.map((v) => v.version));
      const to = request.query.to ?? latest;
      const from = request.query.from ?? Math.max(1, to - 1);
      const known = new Set(versions.map((v) => v.version));
      for (const [name, version] of [
        ["from", from],
        ["to", to],
      ] as const) {
        if (!known.has(version))
          throw new ApiError(404, "not_found", `list ${listId} has no version ${version} (${name})`);
      }
      if (from === to) return { listId, from, to, versions, added: [], removed: [], changed: [] };
      const diff = await store.diff(listId, from, to);
      // Names make the diff readable; the first 200 of each kind are enough for a page.
      const named = async (ids: string[], version: number) =>
        Promise.all(
          ids.slice(0, 200).map(async (id) => ({ id, name: (await store.entity(id, version))?.name ?? id })),
        );
      return {
        listId,
        from,
        to,
        versions,
        counts: { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length },
        added: await named(diff.added, to),
        removed: await named(diff.removed, from),
        changed: await Promise.all(
          diff.changed.slice(0, 200).map(async (change) => ({
            ...change,
            name: (await store.entity(change.id, to))?.name ?? change.id,
          })),
        ),
      };
    },
  );

  api.get(
    "/audit/verify",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["audit"],
        summary: "Check the hash chain of the audit trail (analyst): edited, inserted or deleted records",
        security: [{ apiKey: [] }],
        response: { 200: z.unknown(), ...errors },
      },
    },
    async () => verifyAudit(auditOf(store)),
  );

  api.get(
    "/audit/export",
    {
      onRequest: requireRole("admin"),
      schema: {
        tags: ["audit"],
        summary: "Audit records of a date range as JSON lines, with their hashes (admin)",
        description: "`from` and `to`: dates (YYYY-MM-DD; `to` includes its whole day) or ISO timestamps.",
        security: [{ apiKey: [] }],
        querystring: auditRangeQuerySchema,
        // No response schema: the body is JSON lines, sent as text, not serialised as one JSON value.
      },
    },
    async (request, reply) => {
      let range: { from: string; to: string };
      try {
        range = auditRange(request.query.from, request.query.to);
      } catch (error) {
        throw new ApiError(400, "validation_failed", (error as Error).message);
      }
      const lines: string[] = [];
      for await (const line of exportAudit(auditOf(store), range)) lines.push(line);
      reply.header("content-type", "application/x-ndjson; charset=utf-8");
      reply.header("content-disposition", `attachment; filename="audit-${range.from}-${range.to}.jsonl"`);
      return reply.send(lines.join(""));
    },
  );
};
