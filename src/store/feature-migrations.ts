import { AUDIT_MIGRATIONS } from "./audit-migrations.js";
import { CASES_MIGRATIONS } from "./cases-migrations.js";
import { JOBS_MIGRATIONS } from "./jobs-migrations.js";
import { KEYS_MIGRATIONS } from "./keys-migrations.js";
import type { Migration } from "./schema.js";

/**
 * Migrations of the features that keep their own tables, each owned by its repository module.
 * Order is the order they run in on a new database; each set is append-only.
 */
export const FEATURE_MIGRATIONS: Migration[] = [
  ...KEYS_MIGRATIONS,
  ...JOBS_MIGRATIONS,
  ...CASES_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
];
