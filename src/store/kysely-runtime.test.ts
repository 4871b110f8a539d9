import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PostgresAdapter, SqliteDialect, sql } from "./kysely-runtime.js";
import { openSqliteStore } from "./sqlite.js";

const repo = join(import.meta.dirname, "..", "..");

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : codeFiles(path);
    return /\.(?:[cm]?ts|tsx|[cm]?js)$/.test(name) ? [path] : [];
  });
}

/**
 * Code that loads Kysely itself: a value import or re-export (`import type` and `export type` are
 * erased), a bare import, a dynamic import, of "kysely" or of one of its helper paths.
 */
const KYSELY = `["']kysely(?:/[^"']*)?["']`;
const LOADS_KYSELY = new RegExp(
  String.raw`^\s*(?:import(?!\s+type\b)[^;]*?\bfrom\s*|export(?!\s+type\b)[^;]*?\bfrom\s*|import\s*)${KYSELY}|\bimport\s*\(\s*${KYSELY}`,
  "m",
);

describe("kysely-runtime", () => {
  it("is where every module takes Kysely's values, so one build of it is loaded", () => {
    // Kysely's ES-module build loaded beside the CommonJS one would make `instanceof
    // PostgresAdapter` fail for the handles of one of the two.
    const offenders = ["src", "scripts"]
      .flatMap((folder) => codeFiles(join(repo, folder)))
      .filter((file) => !file.endsWith("kysely-runtime.ts") && !file.endsWith("kysely-runtime.test.ts"))
      .filter((file) => LOADS_KYSELY.test(readFileSync(file, "utf8")))
      .map((file) => relative(repo, file));
    expect(offenders).toEqual([]);
  });

  it("tells a value import from a type import, however it is written", () => {
    const loads = [
      'import { sql } from "kysely";',
      'import {\n  sql,\n} from "kysely";',
      'import * as k from "kysely";',
      'export { sql } from "kysely";',
      'import "kysely";',
      'const k = await import("kysely");',
      'import { jsonArrayFrom } from "kysely/helpers/postgres";',
      '  import { sql } from "kysely";',
    ];
    const erased = ['import type { Kysely } from "kysely";', 'export type { Kysely } from "kysely";'];
    for (const line of loads) expect(LOADS_KYSELY.test(line), line).toBe(true);
    for (const line of erased) expect(LOADS_KYSELY.test(line), line).toBe(false);
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
