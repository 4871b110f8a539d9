import type { Migration } from "./schema.js";

/** Tables of the audit feature (see src/store/audit-repository.ts). Append-only. */
export const AUDIT_MIGRATIONS: Migration[] = [
  {
    id: "audit-001-log",
    up: async (db) => {
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        // Canonical JSON text, hashed as stored: verify never re-serialises it.
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
      // The chain's head, written in the same transaction as each append: deleting the newest
      // record (or appending a forged one) leaves the head pointing elsewhere, which the chain
      // alone could not show.
      await db.schema
        .createTable("audit_head")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
    },
  },
];
