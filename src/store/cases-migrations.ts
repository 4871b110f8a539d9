import type { Migration } from "./schema.js";

/** Tables of the cases feature (see src/store/cases-repository.ts). Append-only. */
export const CASES_MIGRATIONS: Migration[] = [
  {
    id: "cases-001-workspace",
    up: async (db) => {
      await db.schema
        .createTable("customers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("cases")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("subject_kind", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("subject_name", "text", (c) => c.notNull())
        .addColumn("query_json", "text", (c) => c.notNull())
        .addColumn("target_id", "text", (c) => c.notNull())
        .addColumn("list_id", "text")
        .addColumn("target_name", "text", (c) => c.notNull())
        // "double precision": PostgreSQL's "real" is 4 bytes and would turn 0.934 into 0.93400001.
        .addColumn("score", "double precision", (c) => c.notNull())
        .addColumn("entity_hash", "text")
        .addColumn("list_version", "integer")
        .addColumn("match_json", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("assignee", "text")
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("hit_count", "integer", (c) => c.notNull())
        .addColumn("opened_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("last_hit_at", "text", (c) => c.notNull())
        .addUniqueConstraint("cases_pair", ["subject_kind", "subject_id", "target_id"])
        .execute();
      await db.schema.createIndex("cases_state").on("cases").columns(["state", "id"]).execute();
      await db.schema
        .createTable("case_events")
        .addColumn("case_id", "integer", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("from_state", "text")
        .addColumn("to_state", "text")
        .addColumn("reason", "text")
        .addColumn("data_json", "text")
        .addPrimaryKeyConstraint("case_events_pk", ["case_id", "seq"])
        .execute();
      await db.schema
        .createTable("clearances")
        .addColumn("subject_kind", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("entity_hash", "text", (c) => c.notNull())
        .addColumn("list_id", "text", (c) => c.notNull())
        .addColumn("list_version", "integer", (c) => c.notNull())
        .addColumn("case_id", "integer", (c) => c.notNull())
        .addColumn("cleared_by", "text", (c) => c.notNull())
        .addColumn("cleared_at", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addPrimaryKeyConstraint("clearances_pk", ["subject_kind", "subject_id", "entity_id"])
        .execute();
      // Last list version monitoring has re-screened customers against, per list.
      await db.schema
        .createTable("monitor_state")
        .addColumn("list_id", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("monitored_at", "text", (c) => c.notNull())
        .execute();
    },
  },
];
