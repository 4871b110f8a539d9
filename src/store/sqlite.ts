import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "./kysely-runtime.js";
import { KyselyStore } from "./kysely-store.js";
import { migrate, type Database as Tables } from "./schema.js";
import { StoreError } from "./types.js";

/**
 * Opens (creating if needed) the embedded SQLite store at `file`.
 * WAL journaling: readers never block the importer, and a process killed mid-import leaves the
 * last committed version intact (the uncommitted WAL frames are discarded on next open).
 *
 * @example
 * const store = await openSqliteStore("/home/me/.chokepoint/chokepoint.sqlite");
 */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  let database: Database.Database;
  try {
    database = new Database(file);
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("busy_timeout = 5000");
    database.pragma("foreign_keys = ON");
  } catch (error) {
    throw new StoreError("unavailable", `cannot open database ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
  await migrate(db);
  return new KyselyStore(db);
}
