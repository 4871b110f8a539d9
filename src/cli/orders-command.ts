import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { Command, Option } from "commander";
import { parse as parseCsv } from "csv-parse/sync";
import {
  createOrderPipeline,
  loadOrderRules,
  type OrderRules,
  screenOrderInput,
} from "../jobs/order-screening.js";
import { type OrderValidationError, ordersFromCsvRows } from "../model/order.js";
import { formatOrderTableRow, renderOrdersHtml } from "../orders/report.js";
import type { OrderResult } from "../orders/types.js";
import { openCliStore } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readItemControls } from "./items-command.js";

export {
  createOrderPipeline,
  loadOrderRules,
  type OrderPipeline,
  type OrderRules,
  RULES_DIR,
} from "../jobs/order-screening.js";

export const ORDER_FORMATS = ["jsonl", "table", "html"] as const;
export type OrderFormat = (typeof ORDER_FORMATS)[number];

/**
 * One input order before validation: the raw value (or a problem reading it) and extra
 * errors from the CSV form.
 */
export interface RawOrder {
  raw: unknown;
  errors: OrderValidationError[];
}

/**
 * Reads an orders file: a JSON array, JSON lines (`.jsonl`/`.ndjson` or a file that is not one
 * JSON value), or the flat CSV form (`.csv`). A line that is not JSON becomes an order with an
 * error, so one bad line never stops the batch.
 *
 * @example
 * const orders = parseOrdersText(text, "orders.csv");
 */
export function parseOrdersText(text: string, fileName: string): RawOrder[] {
  const extension = extname(fileName).toLowerCase();
  if (extension === ".csv") {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(text, {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        bom: true,
        relax_column_count: true,
      });
    } catch (error) {
      throw new CliError(`${fileName}: not a readable CSV: ${(error as Error).message}`, EXIT.input);
    }
    return ordersFromCsvRows(rows).map((o) => ({ raw: o.raw, errors: o.errors }));
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (Array.isArray(value)) return value.map((raw) => ({ raw, errors: [] }));
    } catch {
      // Not one JSON array: fall through to JSON lines.
    }
  }
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, number }) => {
      try {
        return { raw: JSON.parse(line) as unknown, errors: [] };
      } catch (error) {
        return {
          raw: undefined,
          errors: [{ path: `line ${number}`, message: `not JSON: ${(error as Error).message}` }],
        };
      }
    });
}

/**
 * `chokepoint orders ORDERS.json|.jsonl|.csv --format jsonl|table|html`: screens each order's
 * parties, items and red flags and writes one decision per order (stored with the order). An
 * order that fails validation gets decision "review" with `error: "invalid order"` and every
 * problem with its path; the batch goes on. Exit code 1 when any order was invalid.
 *
 * @example
 * program.addCommand(ordersCommand());
 */
export function ordersCommand(): Command {
  return new Command("orders")
    .description(
      "screen orders (JSON array, JSON lines or flat CSV) against red-flag rules; one decision per order",
    )
    .argument("<input>", "orders file: .json (array or JSON lines), .jsonl or .csv (one row per item line)")
    .addOption(new Option("--format <format>", "output format").choices(ORDER_FORMATS).default("jsonl"))
    .option("--rules <path>", "rule pack JSON (default: bundled data/rules/default-pack.json)")
    .option("--policy <path>", "decision policy JSON (default: bundled data/rules/policy.json)")
    .option("--today <date>", "screening date YYYY-MM-DD (default: today)")
    .option("--no-store", "do not read history from or save decisions to the store")
    .option("--user <name>", "who is screening, for the audit trail", process.env.USER ?? "cli")
    .action(
      async (
        input: string,
        options: {
          format: OrderFormat;
          rules?: string;
          policy?: string;
          today?: string;
          store: boolean;
          user: string;
        },
        command: Command,
      ) => {
        const today = options.today ?? new Date().toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
          throw new CliError(`--today must be YYYY-MM-DD, got ${today}`, EXIT.usage);
        let text: string;
        try {
          text = await readFile(input, "utf8");
        } catch (error) {
          throw new CliError(`cannot read ${input}: ${(error as Error).message}`, EXIT.input);
        }
        const rawOrders = parseOrdersText(text, input);
        let rules: OrderRules;
        try {
          rules = await loadOrderRules({
            ...(options.rules ? { packPath: options.rules } : {}),
            ...(options.policy ? { policyPath: options.policy } : {}),
          });
        } catch (error) {
          throw new CliError((error as Error).message, EXIT.input);
        }
        const controls = await readItemControls();
        const store = await openCliStore(command, { withDefaults: true });
        const results: OrderResult[] = [];
        let invalid = 0;
        try {
          const pipeline = createOrderPipeline({ entities: await store.entities(), controls, rules });
          for (const { raw, errors } of rawOrders) {
            const { result, valid } = await screenOrderInput(store, pipeline, raw, {
              today,
              save: options.store,
              rules,
              actor: options.user,
              inputErrors: errors,
            });
            if (!valid) invalid++;
            if (options.format === "jsonl") process.stdout.write(`${JSON.stringify(result)}\n`);
            else if (options.format === "table") process.stdout.write(`${formatOrderTableRow(result)}\n`);
            else results.push(result);
          }
        } finally {
          await store.close();
        }
        if (options.format === "html") process.stdout.write(renderOrdersHtml(results, rules.redFlags));
        if (invalid > 0) {
          process.stderr.write(
            `chokepoint: ${invalid} order(s) failed validation (decision "${rules.policy.invalidOrder}", see "errors")\n`,
          );
          process.exitCode = EXIT.partial;
        }
      },
    );
}
