import type { Migration } from "./schema.js";

/** Tables of the keys feature (see src/store/keys-repository.ts). Append-only. */
export const KEYS_MIGRATIONS: Migration[] = [
  {
    id: "keys-001-api-keys",
    up: async (db) => {
      // Only a salted hash of the secret is kept: a copy of the database does not give access.
      await db.schema
        .createTable("api_keys")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("label", "text")
        .addColumn("salt", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
    },
  },
];
