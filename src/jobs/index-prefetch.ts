import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Reading the home's cached index ahead of need. A `screen` run spends its first ~0.2–0.35 s
 * loading and compiling modules before it can ask the store which index file it needs; the index
 * (35 MB for the bundled lists) and its word lookups were then read while the main thread waited.
 * Started first, the read runs on a thread of Node's pool while the modules load: a one-name
 * `screen` took 0.90 s instead of 0.94 s on average over ten alternating pairs (docs/benchmarks.md,
 * 2026-12-06, a slow machine).
 *
 * What is read ahead is only a guess at the file's name: the cache's files for the selection of
 * every list, which `screen` uses. `screener-cache.ts` takes the bytes when the name it needs is
 * among them and reads the file itself otherwise; the checksum is checked on either path, so a
 * guess can cost a read but never change an answer.
 */
const prefetched = new Map<string, Promise<Buffer | undefined>>();

/**
 * The part of an index cache file's name that names its selection of lists and its store:
 * `index-<selection>-<key>.snap` (`words-` for its word lookups).
 *
 * @example
 * indexSelection(undefined, undefined) // the 8 hex digits of "every list" in the home's SQLite store
 */
export function indexSelection(
  databaseUrl: string | undefined,
  lists: readonly string[] | undefined,
): string {
  return createHash("sha256")
    .update(databaseUrl ?? "")
    .update(lists ? [...lists].sort().join(",") : "*")
    .digest("hex")
    .slice(0, 8);
}

/**
 * Starts reading the index and word files of a selection in `cacheDir` (none when the folder or
 * files are missing). Nothing is read twice: a file already pending is left as it is. The promise
 * settles when the reads have (the CLI does not wait for it; a test can).
 *
 * @example
 * void prefetchIndexCache(join(home, "cache"), indexSelection(process.env.DATABASE_URL, undefined));
 */
export function prefetchIndexCache(cacheDir: string, selection: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return Promise.resolve();
  }
  const reads: Promise<unknown>[] = [];
  for (const name of names) {
    if (!(name.startsWith(`index-${selection}-`) || name.startsWith(`words-${selection}-`))) continue;
    if (!name.endsWith(".snap")) continue;
    const file = join(cacheDir, name);
    let read = prefetched.get(file);
    if (!read) {
      read = readFile(file).catch(() => undefined);
      prefetched.set(file, read);
    }
    reads.push(read);
  }
  return Promise.all(reads).then(() => undefined);
}

/**
 * The bytes read ahead for `file`, handed out once; undefined when none were (or the read failed):
 * the caller reads the file itself.
 *
 * @example
 * const bytes = (await takePrefetched(file)) ?? (await readFile(file));
 */
export async function takePrefetched(file: string): Promise<Buffer | undefined> {
  const pending = prefetched.get(file);
  if (!pending) return undefined;
  prefetched.delete(file);
  return pending;
}

/** Forgets whatever was read ahead and not taken (a guess that missed), so its memory can go. */
export function dropPrefetched(): void {
  prefetched.clear();
}
