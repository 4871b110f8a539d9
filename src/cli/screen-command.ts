import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { Command, Option } from "commander";
import { currentListVersions, recordPartyScreenings } from "../jobs/cases.js";
import { readPartyRowBatches } from "../jobs/party-rows.js";
import { autoWorkers, screenRowBatches } from "../jobs/screen-batch.js";
import { compareNames, DEFAULT_MATCH_THRESHOLD, listsRead } from "../matching/index.js";
import { ENTITY_SCHEMAS, type EntitySchema } from "../model/index.js";
import { csvRows } from "../sources/io.js";
import { SourceFileError } from "../sources/types.js";
import { openCliStore, storeLocation, warnAboutFile } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { createProgress } from "./progress.js";
import {
  CSV_HEADER,
  csvLines,
  jsonLine,
  SCREEN_FORMATS,
  type ScreenFormat,
  TABLE_HEADER,
  tableLine,
} from "./screen-output.js";

function parseThreshold(value: string): number {
  const number = Number(value);
  if (!(number >= 0 && number <= 1))
    throw new CliError(`--threshold must be between 0 and 1, got ${value}`, EXIT.usage);
  return number;
}

function parseCount(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0)
      throw new CliError(`${name} must be a whole number, got ${value}`, EXIT.usage);
    return number;
  };
}

/** Writes to stdout, waiting when the pipe is full so memory stays flat on any input size. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

/**
 * Collects output lines and writes them 64 KB at a time: stdout to a file is synchronous in Node,
 * and one write per row cost a quarter of a 50,000-row run. `add` is synchronous (an awaited
 * promise per row costs more than the line) and says when the buffer is full: then `flush`.
 */
function bufferedOutput(): { add(text: string): boolean; flush(): Promise<void> } {
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    size = 0;
    await write(text);
  };
  return {
    add(text) {
      pending.push(text);
      size += text.length;
      return size >= 65_536;
    },
    flush,
  };
}

/**
 * `chokepoint screen INPUT.csv --lists ID,ID|all --format jsonl|csv|table`.
 *
 * @example
 * program.addCommand(screenCommand());
 */
export function screenCommand(): Command {
  return new Command("screen")
    .description(
      "screen the parties of a CSV (header with id and name; optional schema, country, dob, address, identifier)",
    )
    .argument("<input>", "CSV file")
    .option("--lists <ids>", "comma-separated list ids, or all", "all")
    .addOption(new Option("--format <format>", "output format").choices(SCREEN_FORMATS).default("jsonl"))
    .addOption(
      new Option("--threshold <score>", `match threshold (default ${DEFAULT_MATCH_THRESHOLD})`).argParser(
        parseThreshold,
      ),
    )
    .addOption(
      new Option("--limit <n>", "candidates per row, matches first (default 10)").argParser(
        parseCount("--limit"),
      ),
    )
    .addOption(
      new Option(
        "--workers <n>",
        "worker threads (default: all cores for large files, none for small)",
      ).argParser(parseCount("--workers")),
    )
    .option(
      "--no-links",
      "with --lists, find parties by name on the selected lists only, not also through their records on the other stored lists",
    )
    .option("--no-cases", "do not open or update review cases for hits (cases are recorded by default)")
    .option(
      "--no-word-cache",
      "neither read nor keep the words of screened names in the home's cache (kept by default: re-screening runs faster)",
    )
    .option("--user <name>", "who is screening, for the audit trail", process.env.USER ?? "cli")
    .action(
      async (
        input: string,
        options: {
          lists: string;
          format: ScreenFormat;
          threshold?: number;
          limit?: number;
          workers?: number;
          cases: boolean;
          links: boolean;
          wordCache: boolean;
          user: string;
        },
        command: Command,
      ) => {
        const info = await stat(input).catch(() => undefined);
        if (!info?.isFile()) throw new CliError(`cannot read ${input}: no such file`, EXIT.input);
        const store = await openCliStore(command, { withDefaults: true });
        let lists: string[] | undefined;
        try {
          const stored = (await store.currentVersions()).map((v) => v.listId);
          if (options.lists.trim() !== "all") {
            lists = options.lists
              .split(",")
              .map((id) => id.trim())
              .filter(Boolean);
            const unknown = lists.filter((id) => !stored.includes(id));
            if (unknown.length > 0) {
              throw new CliError(
                `unknown list(s) ${unknown.join(", ")}; stored lists: ${stored.join(", ")}`,
                EXIT.usage,
              );
            }
          }
        } catch (error) {
          await store.close();
          throw error;
        }
        const context = {
          listVersions: await currentListVersions(
            store,
            listsRead({ ...(lists ? { lists } : {}), viaOtherLists: options.links }),
          ),
          threshold: options.threshold ?? DEFAULT_MATCH_THRESHOLD,
        };

        const bar = createProgress();
        bar.start(0, `screening ${basename(input)}`);
        let count = 0;
        let rowsInError = 0;
        const output = bufferedOutput();
        try {
          if (options.format === "csv") await write(`${CSV_HEADER}\n`);
          if (options.format === "table") await write(`${TABLE_HEADER}\n`);
          const location = storeLocation(command);
          for await (const results of screenRowBatches(
            readPartyRowBatches(input, warnAboutFile(input)),
            // The index of every stored list, even for a selection: hits come from the selected
            // lists only, some of them found through another list's record of the same party.
            { location },
            {
              workers: options.workers ?? autoWorkers(info.size),
              keepWords: options.wordCache,
              ...(options.links ? {} : { viaOtherLists: false }),
              limit: options.limit ?? 10,
              ...(lists ? { lists } : {}),
              ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
            },
          )) {
            for (const row of results) {
              if (row.issues.some((i) => i.code === "empty-name" || i.code === "screening-failed"))
                rowsInError++;
              if (options.cases && row.matches.some((m) => m.match)) {
                // Hits open or update cases; a hit an analyst cleared before is marked suppressed, not dropped.
                const [outcome] = await recordPartyScreenings(
                  store,
                  [
                    {
                      subjectId: row.id,
                      subjectName: row.name,
                      query: row.query ?? { name: row.name },
                      matches: row.matches,
                    },
                  ],
                  context,
                  { actor: options.user, action: "screen" },
                );
                const suppressed = new Set(
                  (outcome?.hits ?? []).filter((h) => h.outcome === "suppressed").map((h) => h.entityId),
                );
                if (suppressed.size > 0) {
                  row.matches = row.matches.map((m) =>
                    suppressed.has(m.entityId) ? { ...m, suppressed: true } : m,
                  );
                }
              }
              const text =
                options.format === "jsonl"
                  ? `${jsonLine(row)}\n`
                  : options.format === "csv"
                    ? `${csvLines(row).join("\n")}\n`
                    : `${tableLine(row)}\n`;
              if (output.add(text)) await output.flush();
              if (++count % 1000 === 0) bar.update(count);
            }
          }
        } catch (error) {
          if (error instanceof SourceFileError) throw new CliError(error.message, EXIT.input);
          throw error;
        } finally {
          // Rows answered before a failure are written, not lost with it.
          await output.flush();
          bar.stop();
          await store.close();
        }
        if (rowsInError > 0) {
          process.stderr.write(
            `chokepoint: ${rowsInError} of ${count} row(s) could not be screened (see their issues)\n`,
          );
          process.exitCode = EXIT.partial;
        }
      },
    );
}

const SCHEMA_BY_LOWER = new Map<string, EntitySchema>(ENTITY_SCHEMAS.map((s) => [s.toLowerCase(), s]));

/**
 * `chokepoint compare PAIRS.csv --format jsonl`: the scorer alone on `id,schema,name1,name2` rows.
 *
 * @example
 * program.addCommand(compareCommand());
 */
export function compareCommand(): Command {
  return new Command("compare")
    .description(
      "score name pairs (CSV with id,schema,name1,name2: name1 as screened, name2 as listed) with the scorer alone",
    )
    .argument("<pairs>", "CSV file")
    .addOption(new Option("--format <format>", "output format").choices(["jsonl"]).default("jsonl"))
    .addOption(
      new Option("--threshold <score>", `match threshold (default ${DEFAULT_MATCH_THRESHOLD})`).argParser(
        parseThreshold,
      ),
    )
    .action(async (pairs: string, options: { threshold?: number }) => {
      const info = await stat(pairs).catch(() => undefined);
      if (!info?.isFile()) throw new CliError(`cannot read ${pairs}: no such file`, EXIT.input);
      let columns: string[] | undefined;
      let bad = 0;
      try {
        for await (const { fields, line } of csvRows(pairs, { onIssue: warnAboutFile(pairs) })) {
          if (!columns) {
            columns = fields.map((f) => f.trim().toLowerCase());
            const missing = ["id", "name1", "name2"].filter((c) => !columns!.includes(c));
            if (missing.length > 0) {
              throw new CliError(
                `${basename(pairs)}:${line}: the header has no ${missing.join(", ")} column`,
                EXIT.input,
              );
            }
            continue;
          }
          const cell = (name: string) => fields[columns!.indexOf(name)]?.trim() ?? "";
          const id = cell("id") || `line-${line}`;
          const schema = SCHEMA_BY_LOWER.get(cell("schema").toLowerCase());
          const [name1, name2] = [cell("name1"), cell("name2")];
          if (!name1 || !name2) {
            bad++;
            await write(
              `${JSON.stringify({ id, score: 0, match: false, issues: [{ code: "empty-name", message: "both names are needed", line }] })}\n`,
            );
            continue;
          }
          const result = compareNames(schema, name1.slice(0, 1000), name2.slice(0, 1000), options.threshold);
          await write(`${JSON.stringify({ id, score: result.score, match: result.match })}\n`);
        }
      } catch (error) {
        if (error instanceof SourceFileError) throw new CliError(error.message, EXIT.input);
        throw error;
      }
      if (!columns) throw new CliError(`${basename(pairs)} is empty`, EXIT.input);
      if (bad > 0) process.exitCode = EXIT.partial;
    });
}
