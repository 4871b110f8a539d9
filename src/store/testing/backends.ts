import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openPostgresStore } from "../postgres.js";
import { openSqliteStore } from "../sqlite.js";
import type { Store } from "../types.js";

/**
 * The storage backends every store test runs against. PostgreSQL uses a throw-away database on
 * the server named by TEST_DATABASE_URL (default: the local trust-auth server). Outside CI a
 * missing server skips those tests with a note; in CI it fails, because CI starts PostgreSQL.
 */
export interface Backend {
  name: "sqlite" | "postgres";
  open(): Promise<{ store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void> }>;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const sqliteBackend: Backend = {
  name: "sqlite",
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "chokepoint-store-"));
    const file = join(dir, "test.sqlite");
    return {
      store: await openSqliteStore(file),
      reopen: () => openSqliteStore(file),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresBackend: Backend = {
  name: "postgres",
  async open() {
    const name = `chokepoint_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      store: await openPostgresStore(url.toString()),
      reopen: () => openPostgresStore(url.toString()),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: ADMIN_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  },
};

/** True when the PostgreSQL test server answers. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Backends to test here: PostgreSQL is required in CI, optional on a laptop without it. */
export async function availableBackends(): Promise<Backend[]> {
  if (await postgresAvailable()) return [sqliteBackend, postgresBackend];
  if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL}; CI must start it`);
  console.warn(`store tests: PostgreSQL not reachable at ${ADMIN_URL}; running SQLite only`);
  return [sqliteBackend];
}
