import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";

/**
 * Reading the home's cached index ahead of need. A `screen` run spends its first ~0.2–0.35 s
 * loading and compiling modules before it can ask the store which index file it needs; the index
 * (35 MB for the bundled lists) and its word lookups were then read while the main thread waited.
 * Started first, each file is read by one call on a thread of Node's pool while the modules load
 * (`fs.promises.readFile` would come back to the main thread for every 512 KB, and took 450–500 ms
 * to finish beside the module loading, against ~145 ms for one call). A one-name `screen` took
 * 0.90 s instead of 0.94 s on average over ten alternating pairs (docs/benchmarks.md, 2026-12-06,
 * a slow machine).
 *
 * What is read ahead is only a guess at the file's name: the cache's files for the selection of
 * every list, which `screen` uses. `screener-cache.ts` takes the bytes when the name it needs is
 * among them and reads the file itself otherwise; the checksum is checked on either path, so a
 * guess can cost a read but never change an answer. A read under way cannot be called back: a run
 * that fails early waits for it (one call, ~0.1 s) before it exits.
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
 * files are missing; no word files with `words: false`). Nothing is read twice: a file already
 * pending is left as it is. The promise settles when the reads have (the CLI does not wait for it;
 * a test can).
 *
 * @example
 * void prefetchIndexCache(join(home, "cache"), indexSelection(process.env.DATABASE_URL, undefined));
 */
export function prefetchIndexCache(
  cacheDir: string,
  selection: string,
  { words = true }: { words?: boolean } = {},
): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return Promise.resolve();
  }
  const reads: Promise<unknown>[] = [];
  for (const name of names) {
    const wanted =
      name.startsWith(`index-${selection}-`) || (words && name.startsWith(`words-${selection}-`));
    if (!wanted || !name.endsWith(".snap")) continue;
    const file = join(cacheDir, name);
    let read = prefetched.get(file);
    if (!read) {
      read = readWhole(file).catch(() => undefined);
      prefetched.set(file, read);
    }
    reads.push(read);
  }
  return Promise.all(reads).then(() => undefined);
}

/** A file's bytes, read by one call (more only if the system returns fewer bytes than asked). */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
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
