import pg from "pg";
import { Kysely, PostgresDialect } from "./kysely-runtime.js";
import { KyselyStore } from "./kysely-store.js";
import { type Database, migrate } from "./schema.js";
import { StoreError } from "./types.js";

// PostgreSQL returns BIGINT/COUNT as strings; our counts fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/**
 * Opens the PostgreSQL store at `url` (same queries as SQLite, through Kysely).
 *
 * @example
 * const store = await openPostgresStore("postgres://localhost/chokepoint");
 */
export async function openPostgresStore(url: string): Promise<KyselyStore> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can be closed by the server (restart, admin command); pg then emits
  // "error" on the pool, which would crash the process without a listener. The next query
  // simply opens a new connection.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreError("unavailable", `cannot connect to ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db, undefined, { postgres: true });
  return new KyselyStore(db);
}

/** Hides a password in a database URL before it reaches a message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
