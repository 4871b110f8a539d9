import type { Migration } from "./schema.js";

/** Tables of the jobs feature (see src/store/jobs-repository.ts). Append-only. */
export const JOBS_MIGRATIONS: Migration[] = [];
