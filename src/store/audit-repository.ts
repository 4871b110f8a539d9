import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AuditRecord } from "../model/case.js";
import { PostgresAdapter, sql } from "./kysely-runtime.js";
import { KyselyStore } from "./kysely-store.js";
import { type Store, StoreError } from "./types.js";

/** prevHash of the first record: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

// Rows per INSERT: 8 columns × 500 = 4,000 parameters, far under SQLite's and PostgreSQL's limits.
const INSERT_BATCH = 500;

/** The audit tables as Kysely sees them (JSON kept as text, as everywhere in the store). */
export interface AuditTables {
  audit_log: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    subject: string;
    payload: string;
    prev_hash: string;
    hash: string;
  };
  audit_head: { id: number; seq: number; hash: string };
}

/** One audit row exactly as stored (payload still canonical JSON text), for verification. */
export type AuditRow = AuditTables["audit_log"];

/**
 * What a caller appends; the repository adds seq, prevHash and hash.
 *
 * @example
 * { actor: "alice", action: "case.decision", subject: "case:12", payload: { decision: "clear" } }
 */
export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
  /** Defaults to now; tests and the bench pass their own clock. */
  at?: string;
}

/**
 * JSON with object keys sorted at every depth, so equal values always serialise (and hash) the same.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value ?? null, (_key, inner: unknown) => {
      if (inner && typeof inner === "object" && !Array.isArray(inner)) {
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
        return sorted;
      }
      return inner;
    }) ?? "null"
  );
}

/**
 * The hash of one record: sha256(prevHash + canonical JSON of {action, actor, at, payload, seq,
 * subject}). The JSON is written out by hand in sorted-key order around the stored payload text,
 * so verifying a million rows never parses a payload.
 *
 * @example
 * auditHash(GENESIS_HASH, { seq: 1, at: "2026-01-01T00:00:00.000Z", actor: "a", action: "x", subject: "s", payload: "{}" })
 */
export function auditHash(
  prevHash: string,
  row: { seq: number; at: string; actor: string; action: string; subject: string; payload: string },
): string {
  const body = `{"action":${JSON.stringify(row.action)},"actor":${JSON.stringify(row.actor)},"at":${JSON.stringify(row.at)},"payload":${row.payload},"seq":${row.seq},"subject":${JSON.stringify(row.subject)}}`;
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}

/**
 * True when a Kysely handle talks to PostgreSQL (which needs explicit locks SQLite does not).
 *
 * @example
 * if (isPostgres(db)) await sql`select pg_advisory_xact_lock(1)`.execute(trx);
 */
export function isPostgres(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one (Kysely cannot
 * nest), so repositories compose: a case decision and its audit record commit together.
 *
 * @example
 * await atomic(db, async (trx) => { ... });
 */
export async function atomic<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<DB>) => work(trx));
}

/**
 * Serialises writers of one feature across processes on PostgreSQL (a transaction-scoped advisory
 * lock). SQLite needs nothing: it has one writer at a time.
 *
 * @example
 * await lockFeature(trx, "audit");
 */
export async function lockFeature<DB>(trx: Kysely<DB>, feature: "audit" | "cases"): Promise<void> {
  if (!isPostgres(trx)) return;
  const key = feature === "audit" ? 0x63686b01 : 0x63686b02;
  await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}

/**
 * The Kysely handle behind a store, for the repositories of this layer.
 *
 * @example
 * const db = kyselyOf(await openStore({ home }));
 */
export function kyselyOf<DB>(store: Store): Kysely<DB> {
  if (!(store instanceof KyselyStore)) throw new StoreError("invalid", "this store has no SQL database");
  return store.db as unknown as Kysely<DB>;
}

/** The append-only audit log. */
export interface AuditRepository {
  /** Appends records in order, atomically, each chained to the one before. */
  append(entries: AuditEntry[]): Promise<AuditRecord[]>;
  /** The recorded head (last seq and hash), or undefined for an empty log. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  /** Up to `limit` stored rows with seq > `afterSeq`, in seq order (verification reads in pages). */
  rowsAfter(afterSeq: number, limit: number): Promise<AuditRow[]>;
  /** Records with `from <= at < to`, in seq order, streamed in pages. */
  range(from: string, to: string, pageSize?: number): AsyncGenerator<AuditRecord>;
  count(): Promise<number>;
}

/**
 * The audit repository over a Kysely handle (the store's, or a transaction's so that appends
 * commit with the change they record).
 *
 * @example
 * const audit = createAuditRepository(kyselyOf(store));
 * await audit.append([{ actor: "alice", action: "case.decision", subject: "case:1", payload: {} }]);
 */
export function createAuditRepository(handle: Kysely<unknown>): AuditRepository {
  const db = handle as unknown as Kysely<AuditTables>;
  return {
    async append(entries) {
      if (entries.length === 0) return [];
      return atomic(db, async (trx) => {
        await lockFeature(trx, "audit");
        const head = await trx
          .selectFrom("audit_head")
          .select(["seq", "hash"])
          .where("id", "=", 1)
          .executeTakeFirst();
        let seq = Number(head?.seq ?? 0);
        let prevHash = head?.hash ?? GENESIS_HASH;
        const now = new Date().toISOString();
        const records: AuditRecord[] = [];
        const rows: AuditRow[] = [];
        for (const entry of entries) {
          seq++;
          const payload = canonicalJson(entry.payload);
          const base = {
            seq,
            at: entry.at ?? now,
            actor: entry.actor,
            action: entry.action,
            subject: entry.subject,
            payload,
          };
          const hash = auditHash(prevHash, base);
          rows.push({ ...base, prev_hash: prevHash, hash });
          records.push({ ...base, payload: JSON.parse(payload), prevHash, hash });
          prevHash = hash;
        }
        for (let i = 0; i < rows.length; i += INSERT_BATCH) {
          await trx
            .insertInto("audit_log")
            .values(rows.slice(i, i + INSERT_BATCH))
            .execute();
        }
        if (head) {
          await trx.updateTable("audit_head").set({ seq, hash: prevHash }).where("id", "=", 1).execute();
        } else {
          await trx.insertInto("audit_head").values({ id: 1, seq, hash: prevHash }).execute();
        }
        return records;
      });
    },

    async head() {
      const row = await db
        .selectFrom("audit_head")
        .select(["seq", "hash"])
        .where("id", "=", 1)
        .executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
    },

    async rowsAfter(afterSeq, limit) {
      let query = db.selectFrom("audit_log").selectAll();
      // -Infinity = from the very start (a tampered SQLite row may carry seq 0 or below).
      if (Number.isFinite(afterSeq)) query = query.where("seq", ">", afterSeq);
      const rows = await query.orderBy("seq").limit(limit).execute();
      for (const row of rows) row.seq = Number(row.seq);
      return rows;
    },

    async *range(from, to, pageSize = 5000) {
      let after = Number.NEGATIVE_INFINITY;
      for (;;) {
        let query = db.selectFrom("audit_log").selectAll().where("at", ">=", from).where("at", "<", to);
        if (after !== Number.NEGATIVE_INFINITY) query = query.where("seq", ">", after);
        const rows = await query.orderBy("seq").limit(pageSize).execute();
        for (const row of rows) {
          yield {
            seq: Number(row.seq),
            at: row.at,
            actor: row.actor,
            action: row.action,
            subject: row.subject,
            payload: JSON.parse(row.payload),
            prevHash: row.prev_hash,
            hash: row.hash,
          };
        }
        if (rows.length < pageSize) return;
        after = Number(rows[rows.length - 1]!.seq);
      }
    },

    async count() {
      const row = await db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
