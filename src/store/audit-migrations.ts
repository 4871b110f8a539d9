import type { Migration } from "./schema.js";

/** Tables of the audit feature (see src/store/audit-repository.ts). Append-only. */
export const AUDIT_MIGRATIONS: Migration[] = [];
