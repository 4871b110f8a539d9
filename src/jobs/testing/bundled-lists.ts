import { basename, join } from "node:path";
import { planImport } from "../../sources/detect.js";
import { contentHash } from "../../sources/read-bundle.js";
import type { Store } from "../../store/index.js";
import { BUNDLED_LISTS_DIR } from "../bundled-lists.js";

/**
 * Saves, as the store's current EU version, what a home made before the EU parser's revision 1
 * holds: the bundled EU files under their revision-0 hash (no entities: the tests only need the
 * version, which `ensureDefaultLists` must then read again).
 *
 * @example
 * await saveEuReadByTheOlderParser(store); // ensureDefaultLists(store) now reads EU again
 */
export async function saveEuReadByTheOlderParser(store: Store): Promise<void> {
  const eu = (await planImport([join(BUNDLED_LISTS_DIR, "eu-journal")])).bundles[0]!;
  await store.saveListVersion({
    listId: "eu",
    format: "eu-journal-csv",
    sourceFiles: eu.files.map((file) => basename(file)),
    contentHash: await contentHash(eu, 0),
    entities: [],
    issues: [],
  });
}
