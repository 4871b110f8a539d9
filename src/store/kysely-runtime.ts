import { createRequire } from "node:module";
import type * as KyselyModule from "kysely";

/**
 * Kysely's classes and `sql`, from its CommonJS build. Both of its builds are ~280 files, and
 * Node 20's ES-module loader takes longer over them: `import("kysely")` took 164–166 ms against
 * 87–103 ms for `require("kysely")` on this machine (2026-12-06), paid at the start of every
 * command that opens the store (a one-name `screen` runs in ~0.4 s on a quiet machine). Every
 * module of the project takes Kysely's values from here, so only one build is ever loaded and
 * `instanceof PostgresAdapter` holds (kysely-runtime.test.ts keeps to that); each name is a type
 * too, as when imported from "kysely".
 */
const kysely = createRequire(import.meta.url)("kysely") as typeof KyselyModule;

export const Kysely = kysely.Kysely;
export type Kysely<DB> = KyselyModule.Kysely<DB>;
export const SqliteDialect = kysely.SqliteDialect;
export type SqliteDialect = KyselyModule.SqliteDialect;
export const PostgresDialect = kysely.PostgresDialect;
export type PostgresDialect = KyselyModule.PostgresDialect;
export const PostgresAdapter = kysely.PostgresAdapter;
export type PostgresAdapter = KyselyModule.PostgresAdapter;
export const CompiledQuery = kysely.CompiledQuery;
export type CompiledQuery<O = unknown> = KyselyModule.CompiledQuery<O>;
export const sql = kysely.sql;
