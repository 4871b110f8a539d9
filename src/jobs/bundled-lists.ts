import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Store } from "../store/index.js";

// What the bundled snapshot needs in a store, decided without loading the list parsers: commands
// that only read the store (`screen`) check here and load import-lists.ts only when there is work.

/** The official list files shipped with Chokepoint, imported on first run into an empty home. */
export const BUNDLED_LISTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "lists");

/**
 * Content hashes of the bundled lists as older parsers read them: each list's files in
 * data/lists hashed under each older revision of its format's parser (`contentHash(bundle,
 * revision)`; import-lists.test.ts recomputes them from the files, so a new snapshot or a new
 * revision cannot leave this table stale). A store whose current version has one of them holds
 * entities an older parser made from the bundled files.
 */
export const BUNDLED_READ_BY_OLDER_PARSERS: Readonly<Record<string, readonly string[]>> = {
  // EU, revision 0 (before LegalEntity rows were read as organisations).
  eu: ["61b394ab77aeba920cb6f96b61dd17b5ca19309768a45fc1265db014a6af9570"],
};

/** What `ensureDefaultLists` (import-lists.ts) has to do in a store. */
export type BundledListsWork =
  | { reason: "first-run" }
  | { reason: "parser-revision"; lists: ReadonlySet<string> };

/**
 * Whether the store needs the bundled snapshot: imported whole (it holds no list), or some of its
 * lists read again (an older parser read them: see `BUNDLED_READ_BY_OLDER_PARSERS`); undefined
 * when neither. One query.
 *
 * @example
 * if (await bundledListsWork(store)) await (await import("./import-lists.js")).ensureDefaultLists(store);
 */
export async function bundledListsWork(store: Store): Promise<BundledListsWork | undefined> {
  const current = await store.currentVersions();
  if (current.length === 0) return { reason: "first-run" };
  const lists = new Set(
    current
      .filter((version) => BUNDLED_READ_BY_OLDER_PARSERS[version.listId]?.includes(version.contentHash))
      .map((version) => version.listId),
  );
  return lists.size > 0 ? { reason: "parser-revision", lists } : undefined;
}
