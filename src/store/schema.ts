import type { Kysely } from "kysely";
import { FEATURE_MIGRATIONS } from "./feature-migrations.js";
import { sql } from "./kysely-runtime.js";

/** Table shapes as Kysely sees them. JSON is stored as text so SQLite and PostgreSQL share queries. */
export interface Database {
  list_versions: {
    list_id: string;
    version: number;
    content_hash: string;
    source_files: string;
    format: string;
    published_at: string | null;
    imported_at: string;
    entity_count: number;
    issue_count: number;
  };
  /** Entity records, content-addressed: a record unchanged between versions is stored once. */
  entity_records: {
    hash: string;
    entity_id: string;
    data: string;
  };
  /** Which record each entity had in each version of its list. */
  version_entities: {
    list_id: string;
    version: number;
    entity_id: string;
    hash: string;
  };
  parse_issues: {
    list_id: string;
    version: number;
    seq: number;
    code: string;
    severity: string;
    message: string;
    file: string | null;
    line: number | null;
    record: string | null;
    field: string | null;
  };
  /** Every screened order with its decision; history for the split-order and price rules. */
  screened_orders: {
    order_id: string;
    screened_at: string;
    order_date: string | null;
    customer_key: string | null;
    decision: string;
    order_json: string;
    result_json: string;
    rule_pack_version: string;
  };
  schema_migrations: {
    id: string;
    applied_at: string;
  };
}

/** Arbitrary constant naming Chokepoint's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK_KEY = 720_417_001;

/**
 * One schema change. Ids are unique across the whole product (prefix them with the feature:
 * "keys-001-..."), and a shipped migration is never edited: add a new one.
 */
export interface Migration {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: each feature migrates its own tables.
  up: (db: Kysely<any>) => Promise<void>;
}

/** Ordered, append-only migrations of the list and order tables. */
const MIGRATIONS: Migration[] = [
  {
    id: "001-lists",
    up: async (db) => {
      await db.schema
        .createTable("list_versions")
        .addColumn("list_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("content_hash", "text", (c) => c.notNull())
        .addColumn("source_files", "text", (c) => c.notNull())
        .addColumn("format", "text", (c) => c.notNull())
        .addColumn("published_at", "text")
        .addColumn("imported_at", "text", (c) => c.notNull())
        .addColumn("entity_count", "integer", (c) => c.notNull())
        .addColumn("issue_count", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("list_versions_pk", ["list_id", "version"])
        .execute();
      await db.schema
        .createTable("entity_records")
        .addColumn("hash", "text", (c) => c.primaryKey())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("version_entities")
        .addColumn("list_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("version_entities_pk", ["list_id", "version", "entity_id"])
        .execute();
      await db.schema
        .createIndex("version_entities_entity")
        .on("version_entities")
        .column("entity_id")
        .execute();
      await db.schema
        .createTable("parse_issues")
        .addColumn("list_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("file", "text")
        .addColumn("line", "integer")
        .addColumn("record", "text")
        .addColumn("field", "text")
        .addPrimaryKeyConstraint("parse_issues_pk", ["list_id", "version", "seq"])
        .execute();
    },
  },
  {
    id: "002-orders",
    up: async (db) => {
      await db.schema
        .createTable("screened_orders")
        .addColumn("order_id", "text", (c) => c.notNull())
        .addColumn("screened_at", "text", (c) => c.notNull())
        .addColumn("order_date", "text")
        .addColumn("customer_key", "text")
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("order_json", "text", (c) => c.notNull())
        .addColumn("result_json", "text", (c) => c.notNull())
        .addColumn("rule_pack_version", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("screened_orders_pk", ["order_id", "screened_at"])
        .execute();
      await db.schema
        .createIndex("screened_orders_date")
        .on("screened_orders")
        .column("order_date")
        .execute();
      await db.schema
        .createIndex("screened_orders_customer")
        .on("screened_orders")
        .column("customer_key")
        .execute();
    },
  },
];

/**
 * Brings a database up to the latest schema. The run is one transaction and each migration is
 * recorded, so a half-applied migration is impossible and re-running is a no-op.
 */
export async function migrate(
  db: Kysely<Database>,
  features: Migration[] = FEATURE_MIGRATIONS,
  options: { postgres?: boolean } = {},
): Promise<void> {
  // One transaction for the whole run. On PostgreSQL an advisory lock makes processes that open a
  // fresh database at the same moment (two workers, a server) take turns instead of racing on
  // CREATE TABLE; SQLite's write lock does the same there.
  await db.transaction().execute(async (trx) => {
    if (options.postgres) await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable("schema_migrations")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("applied_at", "text", (c) => c.notNull())
      .execute();
    const applied = new Set(
      (await trx.selectFrom("schema_migrations").select("id").execute()).map((row) => row.id),
    );
    for (const migration of [...MIGRATIONS, ...features]) {
      if (applied.has(migration.id)) continue;
      await migration.up(trx);
      await trx
        .insertInto("schema_migrations")
        .values({ id: migration.id, applied_at: new Date().toISOString() })
        .execute();
    }
  });
}
