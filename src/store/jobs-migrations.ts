import type { Migration } from "./schema.js";

/** Tables of the jobs feature (see src/store/jobs-repository.ts). Append-only. */
export const JOBS_MIGRATIONS: Migration[] = [
  {
    id: "jobs-001-screen-jobs",
    up: async (db) => {
      await db.schema
        .createTable("screen_jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text")
        .addColumn("format", "text", (c) => c.notNull())
        .addColumn("options", "text", (c) => c.notNull())
        .addColumn("row_count", "integer", (c) => c.notNull())
        .addColumn("chunk_count", "integer", (c) => c.notNull())
        .execute();
      // The input rows live with their chunk, so a queue message only carries (job id, seq) and
      // any worker that reaches the database can pick the chunk up.
      await db.schema
        .createTable("screen_job_chunks")
        .addColumn("job_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("first_index", "integer", (c) => c.notNull())
        .addColumn("row_count", "integer", (c) => c.notNull())
        .addColumn("rows", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("worker", "text")
        .addColumn("error", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("screen_job_chunks_pk", ["job_id", "seq"])
        .execute();
      // One answer per input row: the primary key makes a retried chunk overwrite, never duplicate.
      await db.schema
        .createTable("screen_job_results")
        .addColumn("job_id", "text", (c) => c.notNull())
        .addColumn("row_index", "integer", (c) => c.notNull())
        .addColumn("chunk_seq", "integer", (c) => c.notNull())
        .addColumn("line", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("screen_job_results_pk", ["job_id", "row_index"])
        .execute();
    },
  },
  {
    id: "jobs-002-results-per-chunk",
    up: async (db) => {
      // A chunk's answers are stored with the chunk, as one text of JSON lines, replaced whole: one
      // write per 1,000 rows instead of 1,000 row inserts, which kept PostgreSQL busy enough to
      // eat the second worker's core. Replacing the whole text keeps a retried chunk exactly-once.
      await db.schema.dropTable("screen_job_results").execute();
      await db.schema.alterTable("screen_job_chunks").addColumn("results", "text").execute();
    },
  },
];
