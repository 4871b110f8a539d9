import { basename, dirname } from "node:path";
import type { ListVersion, ParseIssue } from "../model/index.js";
import { planImport, type SkippedFile } from "../sources/detect.js";
import { contentHash, readBundle } from "../sources/read-bundle.js";
import type { SourceBundle } from "../sources/types.js";
import type { Store } from "../store/index.js";
import { BUNDLED_LISTS_DIR, type BundledListsWork, bundledListsWork } from "./bundled-lists.js";

export { BUNDLED_LISTS_DIR, BUNDLED_READ_BY_OLDER_PARSERS } from "./bundled-lists.js";

/**
 * What happened to one list in an import.
 *
 * @example
 * { listId: "un", status: "created", version: {...}, files: ["consolidated.xml"], errors: [] }
 */
export type ListImportResult =
  | {
      listId: string;
      status: "created" | "unchanged";
      version: ListVersion;
      files: string[];
      warnings: number;
    }
  | { listId: string; status: "rejected"; files: string[]; error: string; issues: ParseIssue[] };

export interface ImportReport {
  results: ListImportResult[];
  skipped: SkippedFile[];
}

/** Progress callbacks for a terminal bar; all optional. */
export interface ImportProgress {
  onListStart?: (bundle: SourceBundle) => void;
  onEntities?: (listId: string, count: number) => void;
  onListDone?: (result: ListImportResult) => void;
}

/**
 * Imports lists from files or folders. Each list is parsed completely, then stored as one new
 * version in one transaction; a list whose files fail (or whose parse reports an error) is
 * rejected whole and the others proceed. Identical content is detected by hash before parsing.
 *
 * @example
 * const report = await importLists(store, ["data/lists"]);
 */
export async function importLists(
  store: Store,
  paths: string[],
  progress: ImportProgress = {},
): Promise<ImportReport> {
  const plan = await planImport(paths);
  const results: ListImportResult[] = [];
  for (const bundle of plan.bundles) {
    progress.onListStart?.(bundle);
    const files = bundle.files.map((file) => basename(file));
    let result: ListImportResult;
    try {
      const hash = await contentHash(bundle);
      const current = bundle.listId ? await store.isCurrentContent(bundle.listId, hash) : undefined;
      if (current) {
        result = {
          listId: bundle.listId,
          status: "unchanged",
          version: current,
          files,
          warnings: current.issueCount,
        };
      } else {
        const parsed = await readBundle(bundle, (count) => progress.onEntities?.(bundle.listId, count));
        const errors = parsed.issues.filter((issue) => issue.severity === "error");
        if (errors.length > 0) {
          result = {
            listId: parsed.listId,
            status: "rejected",
            files,
            error: `${errors.length} error(s) while reading; first: ${errors[0]!.message}`,
            issues: errors,
          };
        } else {
          const saved = await store.saveListVersion({
            listId: parsed.listId,
            format: bundle.format,
            sourceFiles: files,
            contentHash: hash,
            ...(parsed.publishedAt ? { publishedAt: parsed.publishedAt } : {}),
            entities: parsed.entities,
            issues: parsed.issues,
          });
          result = {
            listId: parsed.listId,
            status: saved.status,
            version: saved.version,
            files,
            warnings: parsed.issues.length,
          };
        }
      }
    } catch (error) {
      result = {
        listId: bundle.listId || "?",
        status: "rejected",
        files,
        error: error instanceof Error ? error.message : String(error),
        issues: [],
      };
    }
    results.push(result);
    progress.onListDone?.(result);
  }
  return { results, skipped: plan.skipped };
}

/** Why `ensureDefaultLists` imported: an empty store, or bundled lists read by an older parser. */
export interface DefaultListsReport extends ImportReport {
  reason: "first-run" | "parser-revision";
}

/**
 * Imports the bundled snapshot when the store holds no list yet, so a first run works offline
 * without being asked. In a store that holds lists, it reads again the bundled lists an older
 * parser read (their current version's hash is in `BUNDLED_READ_BY_OLDER_PARSERS`), so an
 * upgraded home does not keep entities the old parser made; lists imported from other files have
 * other hashes and are left alone. Either way it costs one query when there is nothing to do.
 * Returns the report, or undefined when there was nothing to do.
 *
 * @example
 * await ensureDefaultLists(store);
 */
export async function ensureDefaultLists(
  store: Store,
  progress?: ImportProgress,
  // What `bundledListsWork` said, when the caller asked it already (the CLI does, to load this
  // module only when there is work): not queried again.
  known?: BundledListsWork,
): Promise<DefaultListsReport | undefined> {
  const work = known ?? (await bundledListsWork(store));
  if (!work) return undefined;
  if (work.reason === "first-run")
    return { ...(await importLists(store, [BUNDLED_LISTS_DIR], progress)), reason: "first-run" };
  const stale = work.lists;
  try {
    // The bundled snapshot keeps each list in a folder of its own: only those lists' folders.
    const { bundles } = await planImport([BUNDLED_LISTS_DIR]);
    const folders = bundles
      .filter((bundle) => stale.has(bundle.listId))
      .flatMap((bundle) => [...new Set(bundle.files.map((file) => dirname(file)))]);
    if (folders.length === 0) return undefined;
    return { ...(await importLists(store, folders, progress)), reason: "parser-revision" };
  } catch (error) {
    // The store still serves what it holds: the caller reports the failure, the command goes on.
    const message = error instanceof Error ? error.message : String(error);
    return {
      results: [...stale].map((listId) => ({
        listId,
        status: "rejected",
        files: [],
        error: message,
        issues: [],
      })),
      skipped: [],
      reason: "parser-revision",
    };
  }
}
