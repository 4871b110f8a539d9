import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PostgresAdapter, SqliteDialect, sql } from "./kysely-runtime.js";
import { openSqliteStore } from "./sqlite.js";

const root = join(import.meta.dirname, "..");

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : typeScriptFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("kysely-runtime", () => {
  it("is where every module takes Kysely's values, so one build of it is loaded", () => {
    // An import of a value from "kysely" itself would load its ES-module build beside this one,
    // and `instanceof PostgresAdapter` would then fail for one of the two.
    const offenders = typeScriptFiles(root)
      .filter((file) => !file.endsWith("kysely-runtime.ts"))
      .filter((file) => /^import\s+(?!type\b)[^;]*from\s+["']kysely["']/m.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it("gives classes a store's own Kysely handle is made of", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      const db = store.db;
      expect(db.getExecutor().adapter instanceof PostgresAdapter).toBe(false);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
      expect(typeof SqliteDialect).toBe("function");
    } finally {
      await store.close();
    }
  });
});
