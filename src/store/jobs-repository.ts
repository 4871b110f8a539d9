import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { CompiledQuery, PostgresAdapter, sql } from "./kysely-runtime.js";
import { KyselyStore } from "./kysely-store.js";
import { type Store, StoreError } from "./types.js";

/**
 * Where one chunk is. `running` is advisory (a killed worker leaves it so until the queue retries
 * the chunk); only `done` and `failed` are final.
 */
export const CHUNK_STATES = ["pending", "running", "done", "failed", "canceled"] as const;
export type ChunkState = (typeof CHUNK_STATES)[number];

/** The message every door shows when jobs are asked of a SQLite store. */
export const JOBS_NEED_POSTGRES =
  "batch jobs need PostgreSQL: set DATABASE_URL (or --database-url) to postgres://...; this store is SQLite";

/**
 * A stored job without its rows.
 *
 * @example
 * { id: "9b2f...", createdAt: "2026-03-01T10:00:00.000Z", format: "csv", options: { lists: ["un"] }, rowCount: 2500, chunkCount: 3 }
 */
export interface JobRecord {
  id: string;
  createdAt: string;
  createdBy?: string;
  format: string;
  options: unknown;
  rowCount: number;
  chunkCount: number;
}

/**
 * One chunk's bookkeeping (without its rows).
 *
 * @example
 * { jobId: "9b2f...", seq: 0, firstIndex: 0, rowCount: 1000, state: "done", attempts: 1 }
 */
export interface ChunkRecord {
  jobId: string;
  seq: number;
  firstIndex: number;
  rowCount: number;
  state: ChunkState;
  attempts: number;
  worker?: string;
  error?: string;
}

/**
 * The work of one chunk as a worker receives it: the job's options and the chunk's rows.
 *
 * @example
 * { chunk: { jobId, seq: 4, ... }, options: { lists: ["un"] }, rows: [...] }
 */
export interface ChunkWork {
  chunk: ChunkRecord;
  options: unknown;
  rows: unknown[];
}

/** Runs SQL with `$1` placeholders inside the job's transaction (pg-boss's `db` option has this shape). */
export type SqlExecutor = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

/** A new job: its rows already split into chunks (each chunk a JSON-serialisable array). */
export interface NewJob {
  id?: string;
  createdBy?: string;
  format: string;
  options: unknown;
  chunks: unknown[][];
}

/**
 * Jobs, their chunks and results in PostgreSQL.
 *
 * @example
 * const jobs = createJobsRepository(store);
 * const job = await jobs.createJob({ format: "csv", options: {}, chunks: [[row1, row2]] }, enqueue);
 * await jobs.saveChunkResults(job.id, 0, ['{"id":"C-1","matches":[]}', '{"id":"C-2","matches":[]}']);
 */
export interface JobsRepository {
  /**
   * Stores a job and its chunks, and calls `enqueue` inside the same transaction, so a job is never
   * stored without its queue messages (or the reverse).
   */
  createJob(
    job: NewJob,
    enqueue: (chunks: Array<{ jobId: string; seq: number }>, execute: SqlExecutor) => Promise<void>,
  ): Promise<JobRecord>;
  job(id: string): Promise<JobRecord | undefined>;
  chunks(jobId: string): Promise<ChunkRecord[]>;
  /** A chunk's rows and its job's options; undefined when the job or chunk is gone. */
  chunkWork(jobId: string, seq: number): Promise<ChunkWork | undefined>;
  /**
   * Takes a chunk for `worker` in one statement: marks it running, counts the attempt, and returns
   * its rows and its job's options; undefined when the chunk is gone or already final (done,
   * failed or canceled), e.g. a second delivery of its message.
   */
  claimChunk(jobId: string, seq: number, worker: string): Promise<ChunkWork | undefined>;
  /**
   * Stores a chunk's answers (one line per row of the chunk, in row order) and marks it done, in
   * one statement. The answers replace any earlier ones of the chunk, so a chunk answered twice (a
   * retry after a worker died, or a slow worker past its expiry) still has exactly one answer per
   * row. A chunk canceled while it was screened stays canceled (its answers are dropped).
   */
  saveChunkResults(jobId: string, seq: number, lines: readonly string[]): Promise<void>;
  /**
   * Marks a chunk failed for good (its retries are used up), with answers for its rows when they
   * can be given (each saying it was not screened); a done or canceled chunk stays as it is.
   */
  failChunk(jobId: string, seq: number, error: string, lines?: readonly string[]): Promise<void>;
  /**
   * Cancels a job's unfinished chunks (pending or running) in one statement and returns how many;
   * finished chunks keep their answers, so a canceled job's results are the rows screened so far.
   */
  cancelJob(jobId: string): Promise<number>;
  /**
   * Result lines in row order from row index `offset`, at most `limit` (read from the chunks that
   * hold those rows, so paging through 200,000 answers stays cheap). Rows of unfinished chunks are
   * skipped, so ask once the job is finished.
   */
  results(jobId: string, page: { offset: number; limit: number }): Promise<string[]>;
  /** Number of stored result lines. */
  resultCount(jobId: string): Promise<number>;
}

interface JobsTables {
  screen_jobs: {
    id: string;
    created_at: string;
    created_by: string | null;
    format: string;
    options: string;
    row_count: number;
    chunk_count: number;
  };
  screen_job_chunks: {
    job_id: string;
    seq: number;
    first_index: number;
    row_count: number;
    rows: string;
    state: string;
    attempts: number;
    worker: string | null;
    error: string | null;
    updated_at: string;
    results: string | null;
  };
}

/**
 * True when the store keeps its state in PostgreSQL (the only store jobs run on).
 *
 * @example
 * isPostgresStore(await openStore({ home })) // false: SQLite
 */
export function isPostgresStore(store: Store): store is KyselyStore {
  return store instanceof KyselyStore && store.db.getExecutor().adapter instanceof PostgresAdapter;
}

function toJob(row: JobsTables["screen_jobs"]): JobRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    format: row.format,
    options: JSON.parse(row.options),
    rowCount: row.row_count,
    chunkCount: row.chunk_count,
  };
}

function toChunk(row: Omit<JobsTables["screen_job_chunks"], "rows" | "updated_at" | "results">): ChunkRecord {
  return {
    jobId: row.job_id,
    seq: row.seq,
    firstIndex: row.first_index,
    rowCount: row.row_count,
    state: row.state as ChunkState,
    attempts: row.attempts,
    ...(row.worker ? { worker: row.worker } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

const CHUNK_COLUMNS = [
  "job_id",
  "seq",
  "first_index",
  "row_count",
  "state",
  "attempts",
  "worker",
  "error",
] as const;

/**
 * The jobs repository over a PostgreSQL store; a SQLite store is refused with a StoreError naming
 * the fix. `now` is injectable so tests control timestamps.
 *
 * @example
 * const jobs = createJobsRepository(await openStore({ home, databaseUrl: "postgres://..." }));
 */
export function createJobsRepository(store: Store, now: () => Date = () => new Date()): JobsRepository {
  if (!isPostgresStore(store)) throw new StoreError("invalid", JOBS_NEED_POSTGRES);
  const db = store.db as unknown as Kysely<JobsTables>;
  const stamp = () => now().toISOString();

  return {
    async createJob(job, enqueue) {
      const id = job.id ?? randomUUID();
      const record: JobsTables["screen_jobs"] = {
        id,
        created_at: stamp(),
        created_by: job.createdBy ?? null,
        format: job.format,
        options: JSON.stringify(job.options ?? {}),
        row_count: job.chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        chunk_count: job.chunks.length,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("screen_jobs").values(record).execute();
        let firstIndex = 0;
        const chunkRows = job.chunks.map((rows, seq) => {
          const row = {
            job_id: id,
            seq,
            first_index: firstIndex,
            row_count: rows.length,
            rows: JSON.stringify(rows),
            state: "pending",
            attempts: 0,
            worker: null,
            error: null,
            updated_at: record.created_at,
          };
          firstIndex += rows.length;
          return row;
        });
        // Chunk rows are big (a thousand parties each): a few per statement.
        for (let i = 0; i < chunkRows.length; i += 20) {
          await trx
            .insertInto("screen_job_chunks")
            .values(chunkRows.slice(i, i + 20))
            .execute();
        }
        const execute: SqlExecutor = async (text, values) => {
          const result = await trx.executeQuery(CompiledQuery.raw(text, values));
          return { rows: [...result.rows] };
        };
        await enqueue(
          chunkRows.map((c) => ({ jobId: id, seq: c.seq })),
          execute,
        );
      });
      return toJob(record);
    },

    async job(id) {
      const row = await db.selectFrom("screen_jobs").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toJob(row) : undefined;
    },

    async chunks(jobId) {
      const rows = await db
        .selectFrom("screen_job_chunks")
        .select(CHUNK_COLUMNS)
        .where("job_id", "=", jobId)
        .orderBy("seq")
        .execute();
      return rows.map(toChunk);
    },

    async chunkWork(jobId, seq) {
      const row = await db
        .selectFrom("screen_job_chunks")
        .innerJoin("screen_jobs", "screen_jobs.id", "screen_job_chunks.job_id")
        .select([
          "screen_job_chunks.job_id",
          "screen_job_chunks.seq",
          "screen_job_chunks.first_index",
          "screen_job_chunks.row_count",
          "screen_job_chunks.state",
          "screen_job_chunks.attempts",
          "screen_job_chunks.worker",
          "screen_job_chunks.error",
          "screen_job_chunks.rows",
          "screen_jobs.options",
        ])
        .where("screen_job_chunks.job_id", "=", jobId)
        .where("screen_job_chunks.seq", "=", seq)
        .executeTakeFirst();
      if (!row) return undefined;
      return { chunk: toChunk(row), options: JSON.parse(row.options), rows: JSON.parse(row.rows) };
    },

    async claimChunk(jobId, seq, worker) {
      const row = await db
        .updateTable("screen_job_chunks")
        .from("screen_jobs")
        .set((eb) => ({ state: "running", worker, attempts: eb("attempts", "+", 1), updated_at: stamp() }))
        .whereRef("screen_jobs.id", "=", "screen_job_chunks.job_id")
        .where("screen_job_chunks.job_id", "=", jobId)
        .where("screen_job_chunks.seq", "=", seq)
        .where("screen_job_chunks.state", "not in", ["done", "failed", "canceled"])
        .returning([
          "screen_job_chunks.job_id",
          "screen_job_chunks.seq",
          "screen_job_chunks.first_index",
          "screen_job_chunks.row_count",
          "screen_job_chunks.state",
          "screen_job_chunks.attempts",
          "screen_job_chunks.worker",
          "screen_job_chunks.error",
          "screen_job_chunks.rows",
          "screen_jobs.options",
        ])
        .executeTakeFirst();
      if (!row) return undefined;
      return { chunk: toChunk(row), options: JSON.parse(row.options), rows: JSON.parse(row.rows) };
    },

    async saveChunkResults(jobId, seq, lines) {
      const result = await db
        .updateTable("screen_job_chunks")
        .set({ state: "done", error: null, results: lines.join("\n"), updated_at: stamp() })
        .where("job_id", "=", jobId)
        .where("seq", "=", seq)
        .where("row_count", "=", lines.length)
        .where("state", "!=", "canceled")
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        const chunk = await db
          .selectFrom("screen_job_chunks")
          .select("state")
          .where("job_id", "=", jobId)
          .where("seq", "=", seq)
          .executeTakeFirst();
        if (chunk?.state === "canceled") return;
        throw new StoreError(
          "invalid",
          `chunk ${jobId}:${seq} does not exist or does not have ${lines.length} rows`,
        );
      }
    },

    async failChunk(jobId, seq, error, lines) {
      await db
        .updateTable("screen_job_chunks")
        .set({
          state: "failed",
          error: error.slice(0, 2000),
          updated_at: stamp(),
          ...(lines ? { results: lines.join("\n") } : {}),
        })
        .where("job_id", "=", jobId)
        .where("seq", "=", seq)
        .where("state", "not in", ["done", "canceled"])
        .execute();
    },

    async cancelJob(jobId) {
      const result = await db
        .updateTable("screen_job_chunks")
        .set({ state: "canceled", updated_at: stamp() })
        .where("job_id", "=", jobId)
        .where("state", "in", ["pending", "running"])
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async results(jobId, { offset, limit }) {
      // Only the chunks that overlap [offset, offset + limit); their lines are cut to the range.
      const chunks = await db
        .selectFrom("screen_job_chunks")
        .select(["first_index", "results"])
        .where("job_id", "=", jobId)
        .where("results", "is not", null)
        .where((eb) => eb(eb("first_index", "+", eb.ref("row_count")), ">", offset))
        .where("first_index", "<", offset + limit)
        .orderBy("seq")
        .execute();
      const lines: string[] = [];
      for (const chunk of chunks) {
        const chunkLines = (chunk.results ?? "").split("\n");
        const from = Math.max(0, offset - chunk.first_index);
        const to = Math.min(chunkLines.length, offset + limit - chunk.first_index);
        lines.push(...chunkLines.slice(from, to));
      }
      return lines;
    },

    async resultCount(jobId) {
      const row = await db
        .selectFrom("screen_job_chunks")
        .select(sql<number>`coalesce(sum(row_count), 0)`.as("n"))
        .where("job_id", "=", jobId)
        .where("results", "is not", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
