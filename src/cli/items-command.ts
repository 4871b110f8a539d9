import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { classifyItem, type ItemControls, type ItemResult, loadControls } from "../items/index.js";
import { recordItemScreenings } from "../jobs/cases.js";
import type { ChplTier } from "../model/item.js";
import { csvRows } from "../sources/io.js";
import { SourceFileError } from "../sources/types.js";
import { openCliStore, warnAboutFile } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";

export const ITEM_FORMATS = ["jsonl", "csv", "table"] as const;
export type ItemFormat = (typeof ITEM_FORMATS)[number];

/** The control data shipped with the product: `data/controls` beside `src/` and `dist/`. */
export const DEFAULT_CONTROLS_DIR = fileURLToPath(new URL("../../data/controls/", import.meta.url));

/**
 * Reads the three control files (CHPL CSV, UAV key items, part families) and compiles them.
 * This is the I/O half of `loadControls`; batch jobs and the order screening can call it once.
 *
 * @example
 * const controls = await readItemControls(); // bundled data/controls
 */
export async function readItemControls(dir: string = DEFAULT_CONTROLS_DIR): Promise<ItemControls> {
  const read = async (name: string): Promise<string> => {
    try {
      return await readFile(join(dir, name), "utf8");
    } catch (error) {
      throw new CliError(
        `cannot read control list ${join(dir, name)}: ${(error as Error).message}`,
        EXIT.input,
      );
    }
  };
  const [chpl, uav, families] = await Promise.all([
    read("chpl.csv"),
    read("uav-key-items.json"),
    read("part-families.json"),
  ]);
  try {
    return loadControls(chpl, JSON.parse(uav), JSON.parse(families));
  } catch (error) {
    throw new CliError(`control lists in ${dir} are invalid: ${(error as Error).message}`, EXIT.input);
  }
}

const TIER_ORDER: readonly ChplTier[] = ["1", "2", "3.A", "3.B", "4.A", "4.B"];

/**
 * The highest-priority CHPL tier among a result's hits (Tier 1 first), or null.
 *
 * @example
 * topChplTier(result) // "1"
 */
export function topChplTier(result: ItemResult): ChplTier | null {
  let best: ChplTier | null = null;
  for (const hit of result.controls) {
    if (hit.list !== "chpl") continue;
    if (best === null || TIER_ORDER.indexOf(hit.tier) < TIER_ORDER.indexOf(best)) best = hit.tier;
  }
  return best;
}

/** The UAV categories a result hits, deduplicated, in order of first hit. */
export function uavCategories(result: ItemResult): string[] {
  return [...new Set(result.controls.flatMap((hit) => (hit.list === "uav-key-items" ? [hit.category] : [])))];
}

const CSV_COLUMNS = [
  "id",
  "hs_code",
  "chpl_tier",
  "chpl_codes",
  "uav_categories",
  "via",
  "confidence",
  "review",
  "issues",
];

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(result: ItemResult): string {
  const chplCodes = [...new Set(result.controls.flatMap((hit) => (hit.list === "chpl" ? [hit.code] : [])))];
  const via = [...new Set(result.controls.map((hit) => hit.via))];
  const cells = [
    result.id,
    result.hsCode ?? "",
    topChplTier(result) ?? "",
    chplCodes.join(" "),
    uavCategories(result).join(" "),
    via.join(" "),
    result.confidence.toFixed(2),
    result.review ? "yes" : "no",
    result.issues.map((issue) => `${issue.severity}:${issue.code}`).join(" "),
  ];
  return cells.map(csvCell).join(",");
}

function tableLine(result: ItemResult): string {
  const tier = topChplTier(result);
  const uav = uavCategories(result);
  const flags = [tier ? `CHPL Tier ${tier}` : "", uav.length ? `UAV: ${uav.join(", ")}` : ""]
    .filter(Boolean)
    .join("; ");
  const issues = result.issues.filter((issue) => issue.severity !== "info").map((issue) => issue.code);
  return [
    result.id.padEnd(10).slice(0, 10),
    (result.hsCode ?? "-").padEnd(7),
    (flags || "no control hit").padEnd(60),
    result.review ? "REVIEW" : "      ",
    issues.join(", "),
  ].join("  ");
}

/** Writes to stdout, waiting when the pipe is full so memory stays flat on any input size. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

const INPUT_COLUMNS = ["id", "hs_code", "description", "manufacturer", "part_number"] as const;

/**
 * `chokepoint items ITEMS.csv --format jsonl|csv|table`: classifies each item line (columns
 * id, hs_code, description, manufacturer, part_number; others ignored) against the CHPL and the
 * UAV key items. One output line per input row, in input order. Exit code 1 when a row has an
 * error-level issue (a bad code, an empty line); the other rows are still classified.
 *
 * @example
 * program.addCommand(itemsCommand());
 */
export function itemsCommand(): Command {
  return new Command("items")
    .description(
      "classify item lines (CSV: id,hs_code,description,manufacturer,part_number) against the Common High Priority List and the UAV key items",
    )
    .argument("<input>", "CSV file with a header row")
    .addOption(new Option("--format <format>", "output format").choices(ITEM_FORMATS).default("jsonl"))
    .option("--readings", "include each line's readings (code, description, part number) in JSON output")
    .option(
      "--controls <dir>",
      "folder with chpl.csv, uav-key-items.json and part-families.json (default: bundled)",
    )
    .option(
      "--no-cases",
      "do not open review cases for lines at the review level (Tier 1/2, UAV items, conflicts)",
    )
    .option("--user <name>", "who is screening, for the audit trail", process.env.USER ?? "cli")
    .action(
      async (
        input: string,
        options: { format: ItemFormat; readings?: boolean; controls?: string; cases: boolean; user: string },
        command: Command,
      ) => {
        const controls = await readItemControls(options.controls);
        // Cases need the store (not the lists): opened only when cases are recorded.
        const store = options.cases ? await openCliStore(command) : undefined;
        let columns: Record<(typeof INPUT_COLUMNS)[number], number> | null = null;
        let rowErrors = 0;
        if (options.format === "csv") await write(`${CSV_COLUMNS.join(",")}\n`);
        try {
          for await (const { fields } of csvRows(input, { onIssue: warnAboutFile(input) })) {
            if (!columns) {
              const header = fields.map((field) =>
                field
                  .trim()
                  .toLowerCase()
                  .replace(/^\uFEFF/, ""),
              );
              columns = Object.fromEntries(
                INPUT_COLUMNS.map((name) => [name, header.indexOf(name)]),
              ) as Record<(typeof INPUT_COLUMNS)[number], number>;
              if (columns.id < 0) throw new CliError(`${input}: the header has no 'id' column`, EXIT.input);
              if (columns.hs_code < 0 && columns.description < 0 && columns.part_number < 0) {
                throw new CliError(
                  `${input}: the header has none of hs_code, description, part_number`,
                  EXIT.input,
                );
              }
              continue;
            }
            const cell = (name: (typeof INPUT_COLUMNS)[number]): string | undefined => {
              const index = columns?.[name] ?? -1;
              return index >= 0 ? fields[index] : undefined;
            };
            const result = classifyItem(
              {
                id: cell("id") ?? "",
                hs_code: cell("hs_code"),
                description: cell("description"),
                manufacturer: cell("manufacturer"),
                part_number: cell("part_number"),
              },
              controls,
            );
            if (result.issues.some((issue) => issue.severity === "error")) rowErrors++;
            if (store) {
              await recordItemScreenings(
                store,
                [
                  {
                    lineId: result.id,
                    description: cell("description") ?? cell("part_number") ?? "",
                    controls: result.controls,
                    review: result.review === true,
                    result,
                  },
                ],
                { actor: options.user },
              );
            }
            if (options.format === "jsonl") {
              const { readings, ...rest } = result;
              await write(`${JSON.stringify(options.readings ? result : rest)}\n`);
              void readings;
            } else if (options.format === "csv") await write(`${csvLine(result)}\n`);
            else await write(`${tableLine(result)}\n`);
          }
        } catch (error) {
          if (error instanceof SourceFileError) throw new CliError(error.message, EXIT.input);
          if ((error as NodeJS.ErrnoException).code === "ENOENT")
            throw new CliError(`${input}: no such file`, EXIT.input);
          throw error;
        } finally {
          await store?.close();
        }
        if (!columns) throw new CliError(`${input}: empty file (no header row)`, EXIT.input);
        process.exitCode = rowErrors > 0 ? EXIT.partial : EXIT.ok;
      },
    );
}
