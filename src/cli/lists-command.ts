import { createWriteStream } from "node:fs";
import { Command, Option } from "commander";
import { importLists, type ListImportResult } from "../jobs/import-lists.js";
import { monitorAfterImport } from "../jobs/monitoring.js";
import { formatParseIssue } from "../model/index.js";
import { entityToFtm } from "../sources/ftm-jsonl.js";
import { formatMonitoringSummary } from "./cases-command.js";
import { openCliStore } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { createProgress } from "./progress.js";

/**
 * One line per list for the terminal.
 *
 * @example
 * describeResult({ listId: "un", status: "created", ... }) // "un: version 2, 1003 entities (3 warnings) from consolidated.xml"
 */
function describeResult(result: ListImportResult): string {
  if (result.status === "rejected") {
    const details = result.issues.slice(0, 5).map((issue) => `\n    ${formatParseIssue(issue)}`);
    return `${result.listId}: REJECTED (${result.files.join(", ")}): ${result.error}${details.join("")}`;
  }
  const verb = result.status === "unchanged" ? "unchanged, still" : "imported as";
  const warnings = result.warnings ? ` (${result.warnings} warnings)` : "";
  return `${result.listId}: ${verb} version ${result.version.version}, ${result.version.entityCount} entities${warnings} from ${result.files.length === 1 ? result.files[0] : `${result.files.length} files`}`;
}

function importCommand(): Command {
  return new Command("import")
    .description(
      "read files or folders of official lists (format detected from content) and store a new version of each list found",
    )
    .argument("<paths...>", "list files or folders")
    .option("--json", "print the results as JSON")
    .action(async (paths: string[], options: { json?: boolean }, command: Command) => {
      const store = await openCliStore(command);
      const bar = createProgress();
      try {
        const report = await importLists(store, paths, {
          onListStart: (bundle) => bar.start(1, bundle.listId || bundle.format),
          onEntities: (_list, count) => bar.update(count),
          onListDone: () => bar.stop(),
        });
        bar.stop();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          for (const result of report.results) process.stdout.write(`${describeResult(result)}\n`);
          for (const skip of report.skipped) process.stderr.write(`skipped ${skip.file}: ${skip.reason}\n`);
        }
        if (report.results.length === 0) {
          throw new CliError(`no list files found in ${paths.join(", ")}`, EXIT.input);
        }
        // Ongoing monitoring: a new list version re-screens the stored customers it can affect.
        const summary = await monitorAfterImport(store, report.results, { actor: "lists import" });
        if (summary && !options.json) process.stderr.write(`${formatMonitoringSummary(summary)}\n`);
        if (report.results.some((r) => r.status === "rejected")) process.exitCode = EXIT.partial;
      } finally {
        bar.stop();
        await store.close();
      }
    });
}

function statusCommand(): Command {
  return new Command("status")
    .description("show the current version of each stored list")
    .option("--json", "print an array of {id, version, entities, source, importedAt, issues}")
    .option("--issues", "also print each list's parse issues")
    .action(async (options: { json?: boolean; issues?: boolean }, command: Command) => {
      const store = await openCliStore(command, { withDefaults: true });
      try {
        const versions = await store.currentVersions();
        if (options.json) {
          const rows = versions.map((v) => ({
            id: v.listId,
            version: v.version,
            entities: v.entityCount,
            source:
              v.sourceFiles.length > 3
                ? `${v.sourceFiles.length} files (${v.sourceFiles[0]} … ${v.sourceFiles.at(-1)})`
                : v.sourceFiles.join(", "),
            sourceFiles: v.sourceFiles,
            format: v.format,
            contentHash: v.contentHash,
            publishedAt: v.publishedAt ?? null,
            importedAt: v.importedAt,
            issues: v.issueCount,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const table = versions.map((v) => ({
          list: v.listId,
          version: v.version,
          entities: v.entityCount,
          published: v.publishedAt ?? "",
          imported: v.importedAt.slice(0, 19).replace("T", " "),
          issues: v.issueCount,
          source: v.sourceFiles.length > 2 ? `${v.sourceFiles.length} files` : v.sourceFiles.join(", "),
        }));
        if (table.length === 0) process.stdout.write("no lists stored; run `chokepoint lists import PATH`\n");
        else console.table(table);
        if (options.issues) {
          for (const v of versions) {
            for (const issue of await store.issues(v.listId, v.version)) {
              process.stdout.write(`${v.listId} v${v.version}: ${formatParseIssue(issue)}\n`);
            }
          }
        }
      } finally {
        await store.close();
      }
    });
}

function diffCommand(): Command {
  return new Command("diff")
    .description("show entities added, removed and changed (with fields) between two versions of a list")
    .argument("<list>", "list id, e.g. un")
    .addOption(
      new Option("--from <version>", "older version (default: the one before --to)").argParser(positiveInt),
    )
    .addOption(new Option("--to <version>", "newer version (default: current)").argParser(positiveInt))
    .option("--json", "print the diff as JSON")
    .action(
      async (listId: string, options: { from?: number; to?: number; json?: boolean }, command: Command) => {
        const store = await openCliStore(command);
        try {
          const versions = await store.versions(listId);
          if (versions.length === 0) throw new CliError(`no stored list ${listId}`, EXIT.input);
          const to = options.to ?? versions.at(-1)!.version;
          const from = options.from ?? to - 1;
          if (from < 1)
            throw new CliError(`${listId} has only version ${to}; nothing to compare with`, EXIT.input);
          const diff = await store.diff(listId, from, to);
          if (options.json) {
            process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
            return;
          }
          process.stdout.write(
            `${listId} v${from} → v${to}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed\n`,
          );
          for (const id of diff.added) process.stdout.write(`+ ${id}\n`);
          for (const id of diff.removed) process.stdout.write(`- ${id}\n`);
          for (const change of diff.changed) {
            process.stdout.write(`~ ${change.id}: ${change.fields.map((f) => f.field).join(", ")}\n`);
          }
        } finally {
          await store.close();
        }
      },
    );
}

function exportCommand(): Command {
  return new Command("export")
    .description("write a stored list as FollowTheMoney JSON lines (importable again with `lists import`)")
    .argument("<list>", "list id")
    .option("-o, --out <file>", "output file (default: stdout)")
    .action(async (listId: string, options: { out?: string }, command: Command) => {
      const store = await openCliStore(command, { withDefaults: true });
      try {
        const entities = await store.entities([listId]);
        if (entities.length === 0) throw new CliError(`no stored list ${listId}`, EXIT.input);
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        for (const entity of entities) out.write(`${JSON.stringify(entityToFtm(entity))}\n`);
        if (options.out)
          await new Promise<void>((resolve, reject) =>
            (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) =>
              error ? reject(error) : resolve(),
            ),
          );
      } finally {
        await store.close();
      }
    });
}

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new CliError(`expected a version number, got ${value}`, EXIT.usage);
  return number;
}

/**
 * `chokepoint lists ...`: import, status, diff, export, update.
 *
 * @example
 * program.addCommand(listsCommand());
 */
export function listsCommand(extra: Command[] = []): Command {
  const lists = new Command("lists").description(
    "import, inspect and compare versions of the official lists",
  );
  lists.addCommand(importCommand());
  lists.addCommand(statusCommand());
  lists.addCommand(diffCommand());
  lists.addCommand(exportCommand());
  lists.addCommand(updateCommand());
  for (const command of extra) lists.addCommand(command);
  return lists;
}

/**
 * `chokepoint lists update`: download the official files, then import them like `lists import`.
 *
 * @example
 * chokepoint lists update --lists un,bis-dpl
 */
export function updateCommand(): Command {
  return new Command("update")
    .description("download the official list files and import them (needs internet, or --mirror)")
    .option("--lists <ids>", "comma-separated list ids (default: all with an official download)")
    .option("--mirror <url>", "fetch from a mirror laid out as URL/<list id>/<file name>")
    .action(async (options: { lists?: string; mirror?: string }, command: Command) => {
      const { downloadLists } = await import("../sources/fetch.js");
      const { resolveHome } = await import("../store/index.js");
      const { globalOptions } = await import("./context.js");
      const { join } = await import("node:path");
      const home = resolveHome(globalOptions(command).home);
      const target = join(home, "downloads", new Date().toISOString().replace(/[:.]/g, "-"));
      const results = await downloadLists(target, {
        ...(options.lists ? { lists: options.lists.split(",").map((s) => s.trim()) } : {}),
        ...(options.mirror ? { mirror: options.mirror } : {}),
        onFile: (listId, url) => process.stderr.write(`${listId}: fetching ${url}\n`),
      });
      for (const failed of results.filter((r) => r.status === "failed")) {
        process.stderr.write(`${failed.listId}: download failed: ${"error" in failed ? failed.error : ""}\n`);
      }
      const folders = results.flatMap((r) => (r.status === "downloaded" ? [r.folder] : []));
      if (folders.length === 0) throw new CliError("no list could be downloaded", EXIT.input);
      const store = await openCliStore(command);
      try {
        const report = await importLists(store, folders);
        for (const result of report.results) process.stdout.write(`${describeResult(result)}\n`);
        const summary = await monitorAfterImport(store, report.results, { actor: "lists update" });
        if (summary) process.stderr.write(`${formatMonitoringSummary(summary)}\n`);
        if (report.results.some((r) => r.status === "rejected") || folders.length < results.length) {
          process.exitCode = EXIT.partial;
        }
      } finally {
        await store.close();
      }
    });
}
