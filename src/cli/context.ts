import { basename } from "node:path";
import type { Command } from "commander";
import { bundledListsWork } from "../jobs/bundled-lists.js";
import type { DefaultListsReport } from "../jobs/import-lists.js";
import { PARSER_REVISIONS, type ParserRevision } from "../sources/parser-revisions.js";
import { openStore, resolveHome, type Store, StoreError, type StoreLocation } from "../store/index.js";
import { CliError, EXIT } from "./exit-codes.js";
import { createProgress } from "./progress.js";

/** Options every command accepts (defined on the root program). */
export interface GlobalOptions {
  home?: string;
  databaseUrl?: string;
}

/** Reads the root program's options from any subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  let root: Command = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/**
 * The store location the command line points at (`--home`, `--database-url`, environment).
 *
 * @example
 * storeLocation(command) // { home: "/root/.chokepoint" }
 */
export function storeLocation(command: Command): StoreLocation {
  const global = globalOptions(command);
  const databaseUrl = global.databaseUrl ?? process.env.DATABASE_URL;
  return { home: resolveHome(global.home), ...(databaseUrl ? { databaseUrl } : {}) };
}

/**
 * Opens the store the command line points at. With `withDefaults`, an empty store first imports
 * the bundled list snapshot (with a progress bar on a terminal), so `screen` works on a first run.
 *
 * @example
 * const store = await openCliStore(command, { withDefaults: true });
 */
export async function openCliStore(
  command: Command,
  options: { withDefaults?: boolean } = {},
): Promise<Store> {
  let store: Store;
  try {
    store = await openStore(storeLocation(command));
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, EXIT.store);
    throw error;
  }
  // The list parsers are loaded only when the bundled lists need importing (start-up time).
  const work = options.withDefaults ? await bundledListsWork(store) : undefined;
  if (work) {
    const { ensureDefaultLists } = await import("../jobs/import-lists.js");
    const bar = createProgress();
    let report: DefaultListsReport | undefined;
    try {
      report = await ensureDefaultLists(
        store,
        {
          onListStart: (bundle) => bar.start(1, `importing bundled ${bundle.listId || "list"}`),
          onEntities: (_list, count) => bar.update(count),
        },
        work,
      );
    } finally {
      bar.stop();
    }
    if (report?.reason === "first-run") {
      const created = report.results.filter((r) => r.status === "created").length;
      process.stderr.write(`chokepoint: first run, imported ${created} bundled list(s) into the store\n`);
    } else if (report) {
      for (const result of report.results) {
        const change =
          result.status === "rejected"
            ? `could not be read again: ${result.error}`
            : result.status === "unchanged"
              ? "is already current (read again by another process)"
              : `read again as version ${result.version.version}: ${parserChange(result.version.format)}`;
        process.stderr.write(`chokepoint: bundled list ${result.listId} ${change}\n`);
      }
    }
  }
  return store;
}

/**
 * Where a command reports what a reader noticed about an input file as a whole (lines that are not
 * UTF-8, read as Windows-1252): a warning line on stderr naming the file; the rows still go on.
 *
 * @example
 * for await (const row of csvRows(file, { onIssue: warnAboutFile(file) })) ...
 */
export function warnAboutFile(file: string): (issue: { message: string }) => void {
  return (issue) => process.stderr.write(`chokepoint: warning: ${basename(file)}: ${issue.message}\n`);
}

/** What the current parser of a format reads differently (`PARSER_REVISIONS`). */
function parserChange(format: string): string {
  const parser = (PARSER_REVISIONS as Readonly<Record<string, ParserRevision | undefined>>)[format];
  return parser?.change ?? "its parser has changed";
}
