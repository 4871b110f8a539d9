import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import {
  createScreener,
  type NameTableSnapshot,
  type Screener,
  type ScreenerOptions,
} from "../matching/index.js";
import type { ListEntity } from "../model/index.js";
import { openStore, resolveHome, type StoreLocation } from "../store/index.js";

/**
 * Screeners built from the store, with the name index cached in the home folder.
 *
 * Building the index costs ~1.4 s for the bundled lists; restoring a saved snapshot ~0.3 s. The
 * cache key covers everything the index depends on — the lists and their stored versions (content
 * hashes) and the code of the `matching` and `text` layers as installed — so a new list version or
 * a new release can never be served from a stale index; a damaged cache file is rebuilt.
 */

let codeHash: Promise<string> | undefined;

/** Hash of the installed matching and text code (the .js or .ts files beside this one). */
function matchingCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash("sha256");
    const here = dirname(fileURLToPath(import.meta.url));
    for (const layer of ["matching", "text"]) {
      const folder = join(here, "..", layer);
      const files = (await readdir(folder))
        .filter((f) => /\.(js|ts)$/.test(f) && !f.includes(".test."))
        .sort();
      for (const file of files) hash.update(file).update(await readFile(join(folder, file)));
    }
    return hash.digest("hex");
  })();
  return codeHash;
}

export interface CachedScreener {
  screener: Screener;
  entities: ListEntity[];
  /** "hit" when the index came from the cache, "built" otherwise. */
  index: "hit" | "built";
}

/**
 * Loads the entities of the given lists (without raw records) and a screener over them, using the
 * home's index cache when it matches.
 *
 * @example
 * const { screener } = await loadScreener({ home: "/root/.chokepoint" }, ["un"], { threshold: 0.8 });
 */
export async function loadScreener(
  location: StoreLocation,
  lists: string[] | undefined,
  options: ScreenerOptions = {},
): Promise<CachedScreener> {
  const store = await openStore(location);
  let entities: ListEntity[];
  let versions: string;
  try {
    const current = await store.currentVersions();
    versions = JSON.stringify(
      current
        .filter((v) => !lists || lists.includes(v.listId))
        .map((v) => [v.listId, v.version, v.contentHash]),
    );
    entities = await store.entities(lists);
  } finally {
    await store.close();
  }
  // Matching never reads the raw record; dropping it keeps workers small.
  for (const entity of entities) entity.raw = undefined;
  const key = createHash("sha256")
    .update(versions)
    .update(location.databaseUrl ?? "")
    .update(await matchingCodeHash())
    .digest("hex")
    .slice(0, 32);
  const file = join(resolveHome(location.home), "cache", `index-${key}.v8`);
  try {
    const snapshot = v8.deserialize(await readFile(file)) as NameTableSnapshot;
    return { screener: createScreener(entities, { ...options, snapshot }), entities, index: "hit" };
  } catch {
    // No cache yet, or an unreadable one: build, then save for the next run.
  }
  const screener = createScreener(entities, options);
  if (entities.length > 0) {
    try {
      await mkdir(dirname(file), { recursive: true });
      const old = (await readdir(dirname(file))).filter((f) => f.startsWith("index-"));
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, v8.serialize(screener.snapshot()));
      await rename(temporary, file);
      // Keep the cache to the newest index: older ones can never be hit again for these lists.
      for (const name of old)
        if (join(dirname(file), name) !== file) await rm(join(dirname(file), name), { force: true });
    } catch {
      // A read-only home only costs the next run a rebuild.
    }
  }
  return { screener, entities, index: "built" };
}
