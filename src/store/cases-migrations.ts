import type { Migration } from "./schema.js";

/** Tables of the cases feature (see src/store/cases-repository.ts). Append-only. */
export const CASES_MIGRATIONS: Migration[] = [];
