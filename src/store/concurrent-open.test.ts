import pg from "pg";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "./postgres.js";
import { postgresAvailable } from "./testing/backends.js";

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const available = await postgresAvailable();
if (!available && process.env.CI) throw new Error("PostgreSQL is not reachable; CI must start it");

describe.skipIf(!available)("opening a fresh PostgreSQL database from several processes at once", () => {
  it("migrates once, without racing on CREATE TABLE", async () => {
    const name = `chokepoint_race_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url.toString())));
      expect(await stores[0]!.currentVersions()).toEqual([]);
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
