import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createScreener,
  mergeWordMemos,
  restoreScreener,
  type Screener,
  type ScreenerOptions,
  type ScreenerSnapshot,
  type WordMemoSnapshot,
} from "../matching/index.js";
import { openStore, resolveHome, type Store, type StoreLocation } from "../store/index.js";
import { dropPrefetched, indexSelection, takePrefetched } from "./index-prefetch.js";
import { decodeSnapshot, encodeSnapshot, verifySnapshot } from "./snapshot-file.js";

/**
 * Screeners built from the store, with the name index cached in the home folder.
 *
 * Building the index costs ~1.4 s for the bundled lists plus ~1 s to read them from the store;
 * restoring a saved snapshot (snapshot-file.ts) ~0.15 s, and worker threads share its bytes. The
 * cache key covers everything the index depends on — the lists and their stored versions (content
 * hashes), the code of the `matching` and `text` layers and the snapshot format as installed — so
 * a new list version or a new release can never be served from a stale index; a damaged cache
 * file (checksum) is rebuilt. Each selection of lists (`--lists un,eu`, all) keeps
 * its own newest file, so alternating selections do not evict each other.
 */

let codeHash: Promise<string> | undefined;

/** Hash of the installed matching and text code and of the snapshot format (the .js or .ts files). */
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
    const format = (await readdir(here)).filter((f) => /^snapshot-file\.(js|ts)$/.test(f));
    for (const file of format) hash.update(file).update(await readFile(join(here, file)));
    return hash.digest("hex");
  })();
  return codeHash;
}

export interface CachedScreener {
  screener: Screener;
  /** "hit" when the index came from the cache, "built" otherwise. */
  index: "hit" | "built";
  /** Where this index's word lookups are kept (`saveWordMemo`); those found there were remembered. */
  wordsFile: string;
  /** How many word lookups came from `wordsFile`. */
  wordsRemembered: number;
}

/**
 * The word-lookup file that goes with an index cache file: `words-<selection>-<key>.snap`. Same
 * key, so lookups are only ever given to a screener over the index they were made against.
 */
const wordsFileOf = (indexFile: string) =>
  join(dirname(indexFile), basename(indexFile).replace(/^index-/, "words-"));

/**
 * Reads an index's saved word lookups; undefined when there are none yet or the file is damaged
 * (it is then only a cache: the words are looked up again).
 *
 * @example
 * const words = await readWordMemo(cached.wordsFile);
 */
export async function readWordMemo(file: string): Promise<WordMemoSnapshot | undefined> {
  try {
    return decodeSnapshot(await readCacheFile(file)) as WordMemoSnapshot;
  } catch {
    return undefined;
  }
}

/** A cache file's bytes: those the CLI read ahead (index-prefetch.ts) when it guessed this file. */
async function readCacheFile(file: string): Promise<Buffer> {
  return (await takePrefetched(file)) ?? (await readFile(file));
}

/**
 * Saves word lookups for the next process over the same index (atomically; older files of the
 * selection are removed as for the index). Failure to write only costs the next run the lookups.
 *
 * @example
 * await saveWordMemo(cached.wordsFile, cached.screener.lookedUpWords());
 */
export async function saveWordMemo(file: string, words: WordMemoSnapshot): Promise<void> {
  if (words.words.length === 0) return;
  let bytes: Buffer;
  try {
    bytes = encodeSnapshot(words);
  } catch {
    return; // A cache: never a reason to fail the batch that made it.
  }
  await saveSnapshot(file, bytes);
}

/**
 * Most word lookups kept for the next run (the most recent). The 50,000 synthetic names have
 * 16,063 distinct words: a 2.9 MB file, read back in ~15 ms (words are taken from it when met).
 */
export const SAVED_WORDS_LIMIT = 100_000;

/**
 * Saves the word lookups of this run (`met`, one memo per screener) after those already kept
 * (`kept`, as read from the file), so a limit drops the oldest. Kept words of another index under
 * this name are left out rather than failing the save.
 *
 * @example
 * await saveWordsAfter(wordsFile, await readWordMemo(wordsFile), [screener.lookedUpWords(SAVED_WORDS_LIMIT)]);
 */
export async function saveWordsAfter(
  file: string,
  kept: WordMemoSnapshot | undefined,
  met: readonly WordMemoSnapshot[],
): Promise<void> {
  let merged: WordMemoSnapshot;
  try {
    merged = mergeWordMemos([...(kept ? [kept] : []), ...met], SAVED_WORDS_LIMIT);
  } catch {
    // The file held lookups of another index (screeners refuse them too): keep this run's.
    merged = mergeWordMemos(met, SAVED_WORDS_LIMIT);
  }
  await saveWordMemo(file, merged);
}

/** Gives `screener` the lookups saved in `file`; how many. A damaged or foreign file is ignored. */
async function rememberSavedWords(screener: Screener, file: string): Promise<number> {
  const saved = await readWordMemo(file);
  if (!saved) return 0;
  try {
    return screener.rememberWords(saved);
  } catch {
    return 0;
  }
}

/** The cache file for the lists' current versions: `index-<selection>-<versions and code>.snap`. */
async function cacheFile(
  store: Store,
  location: StoreLocation,
  lists: string[] | undefined,
): Promise<string> {
  const selection = indexSelection(location.databaseUrl, lists);
  const current = await store.currentVersions();
  const versions = JSON.stringify(
    current
      .filter((v) => !lists || lists.includes(v.listId))
      .map((v) => [v.listId, v.version, v.contentHash]),
  );
  const key = createHash("sha256")
    .update(versions)
    .update(location.databaseUrl ?? "")
    .update(await matchingCodeHash())
    .digest("hex")
    .slice(0, 32);
  return join(resolveHome(location.home), "cache", `index-${selection}-${key}.snap`);
}

/**
 * A screener over the given lists, restored from the home's index cache when it matches the
 * stored list versions (the store is then only asked for its versions: no entity is read), else
 * built from the store's entities and saved for the next run. It takes the word lookups kept for
 * that index (`saveWordMemo`) unless `cache.words` is false.
 *
 * @example
 * const { screener } = await loadScreener({ home: "/root/.chokepoint" }, ["un"], { threshold: 0.8 });
 */
export async function loadScreener(
  location: StoreLocation,
  lists: string[] | undefined,
  options: ScreenerOptions = {},
  cache: { words?: boolean } = {},
): Promise<CachedScreener> {
  const store = await openStore(location);
  try {
    const file = await cacheFile(store, location, lists);
    const wordsFile = wordsFileOf(file);
    let screener: Screener | undefined;
    let index: CachedScreener["index"] = "hit";
    try {
      screener = restoreScreener(decodeSnapshot(await readCacheFile(file)) as ScreenerSnapshot, options);
    } catch {
      // No cache yet, or an unreadable one: build, then save for the next run.
    }
    if (!screener) {
      // A guess read ahead for an older index is not kept in memory through the build.
      dropPrefetched();
      screener = (await buildAndSave(store, file, lists, options)).screener;
      index = "built";
    }
    const wordsRemembered = cache.words === false ? 0 : await rememberSavedWords(screener, wordsFile);
    return { screener, index, wordsFile, wordsRemembered };
  } finally {
    dropPrefetched();
    await store.close();
  }
}

/**
 * What worker threads start from (`sharedScreenerSnapshot`): the index as snapshot bytes in
 * shared memory, and the word lookups saved for it.
 */
export interface SharedScreenerSource {
  /** Each worker restores a screener from these bytes (`restoreScreener(decodeSnapshot(...))`). */
  snapshot: SharedArrayBuffer;
  /** Where the index's word lookups are kept (`saveWordMemo`). */
  wordsFile: string;
  /** The lookups saved there, if any, for each worker to `rememberWords`. */
  words: WordMemoSnapshot | undefined;
}

/**
 * The lists' current index as snapshot bytes in shared memory, for worker threads: each restores
 * a screener from them (`restoreScreener(decodeSnapshot(...))`) with the typed arrays shared, not
 * copied, and without opening the store. Read from the home's cache (its checksum verified here,
 * so the workers skip it), or built, saved and encoded when the cache lacks it or holds a damaged
 * file. The index's saved word lookups come with it, unless `cache.words` is false.
 *
 * @example
 * const { snapshot, words } = await sharedScreenerSnapshot({ home }, undefined);
 * new Worker(url, { workerData: { snapshot, words } });
 */
export async function sharedScreenerSnapshot(
  location: StoreLocation,
  lists: string[] | undefined,
  cache: { words?: boolean } = {},
): Promise<SharedScreenerSource> {
  const store = await openStore(location);
  try {
    const file = await cacheFile(store, location, lists);
    let bytes: Buffer | undefined;
    try {
      bytes = await readCacheFile(file);
      verifySnapshot(bytes);
    } catch {
      // No cache yet, or a damaged one: build and save, and share what was built.
      dropPrefetched();
      bytes = (await buildAndSave(store, file, lists, {})).bytes;
    }
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const wordsFile = wordsFileOf(file);
    const words = cache.words === false ? undefined : await readWordMemo(wordsFile);
    return { snapshot: shared, wordsFile, words };
  } finally {
    dropPrefetched();
    await store.close();
  }
}

/** Builds the screener from the store's entities and saves its encoded snapshot (returned too). */
async function buildAndSave(
  store: Store,
  file: string,
  lists: string[] | undefined,
  options: ScreenerOptions,
): Promise<{ screener: Screener; bytes: Buffer }> {
  const entities = await store.entities(lists);
  // Matching never reads the raw record; dropping it keeps the build small.
  for (const entity of entities) entity.raw = undefined;
  const screener = createScreener(entities, options);
  const bytes = encodeSnapshot(screener.snapshot());
  if (entities.length > 0) await saveSnapshot(file, bytes);
  return { screener, bytes };
}

/** Writes a cache file atomically and removes older ones; a read-only home only costs the next run a rebuild. */
async function saveSnapshot(file: string, bytes: Buffer): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    // The selection's older files: `index-<selection>-` (`words-<selection>-` for word lookups)
    // is the name up to the key.
    const selection = basename(file).slice(0, "index-".length + 9);
    // Another process's file being written (`.tmp`) is left alone: deleting it would fail its rename.
    const old = (await readdir(dirname(file))).filter((f) => f.startsWith(selection) && !f.endsWith(".tmp"));
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, file);
    // Keep the newest index of this selection: older ones can never be hit again.
    for (const name of old)
      if (join(dirname(file), name) !== file) await rm(join(dirname(file), name), { force: true });
  } catch {
    // Read-only or full disk: screening goes on without the cache.
  }
}
