import { join } from "node:path";
import { openSqliteStore } from "./sqlite.js";
import { type Store, StoreError } from "./types.js";

export { resolveHome } from "./home.js";

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
