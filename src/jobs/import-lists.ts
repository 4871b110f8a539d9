import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ListVersion, ParseIssue } from "../model/index.js";
import { planImport, type SkippedFile } from "../sources/detect.js";
import { contentHash, readBundle } from "../sources/read-bundle.js";
import type { SourceBundle } from "../sources/types.js";
import type { Store } from "../store/index.js";

/** The official list files shipped with Chokepoint, imported on first run into an empty home. */
export const BUNDLED_LISTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "lists");

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

/**
 * Imports the bundled snapshot when the store holds no list yet, so a first run works offline
 * without being asked. Returns the report, or undefined when there was nothing to do.
 *
 * @example
 * await ensureDefaultLists(store);
 */
export async function ensureDefaultLists(
  store: Store,
  progress?: ImportProgress,
): Promise<ImportReport | undefined> {
  if ((await store.currentVersions()).length > 0) return undefined;
  return importLists(store, [BUNDLED_LISTS_DIR], progress);
}
