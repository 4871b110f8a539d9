import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { openSqliteStore } from "./sqlite.js";
import { type Store, StoreError } from "./types.js";

/**
 * Where Chokepoint keeps its state: `--home`, else `CHOKEPOINT_HOME`, else `~/.chokepoint`.
 *
 * @example
 * resolveHome(undefined, { CHOKEPOINT_HOME: "/srv/chokepoint" }) // "/srv/chokepoint"
 */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.CHOKEPOINT_HOME) return resolve(env.CHOKEPOINT_HOME);
  return join(homedir(), ".chokepoint");
}

export interface StoreLocation {
  home: string;
  /** `postgres://...` switches storage to PostgreSQL; otherwise SQLite in the home folder. */
  databaseUrl?: string;
}

/**
 * Opens the store for a home folder and optional database URL.
 *
 * @example
 * const store = await openStore({ home: resolveHome(undefined) });
 */
export async function openStore(location: StoreLocation): Promise<Store> {
  const url = location.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import("./postgres.js");
    return openPostgresStore(url);
  }
  if (url && !url.startsWith("sqlite:")) {
    throw new StoreError("invalid", `unsupported database URL ${url}: use postgres://... or sqlite:PATH`);
  }
  const file = url ? url.slice("sqlite:".length) : join(location.home, "chokepoint.sqlite");
  return openSqliteStore(file);
}
