import { readFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { parse as parseCsv } from "csv-parse/sync";
import { classifyItem, type ItemControls } from "../items/index.js";
import { createScreener, type Screener } from "../matching/index.js";
import type { ListEntity } from "../model/entity.js";
import { type Order, type OrderValidationError, ordersFromCsvRows, parseOrder } from "../model/order.js";
import { type AddressIndex, createAddressIndex } from "../orders/address-match.js";
import { customerKeyOf } from "../orders/facts.js";
import { formatOrderTableRow, parseRedFlagsCsv, type RedFlag, renderOrdersHtml } from "../orders/report.js";
import {
  type DecisionPolicy,
  parseDecisionPolicy,
  parseRulePack,
  type RulePack,
} from "../orders/rule-pack.js";
import { invalidOrderResult, screenOrder } from "../orders/screen-order.js";
import type {
  HistoricOrder,
  ItemScreening,
  OrderResult,
  PartyScreening,
  ScreenedOrder,
} from "../orders/types.js";
import type { ScreenedOrderRecord, Store } from "../store/index.js";
import { openCliStore } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readItemControls } from "./items-command.js";

/** The rule pack, policy and red-flag table shipped with Chokepoint. */
export const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "rules");

export const ORDER_FORMATS = ["jsonl", "table", "html"] as const;
export type OrderFormat = (typeof ORDER_FORMATS)[number];

/** Party screening returns at most this many candidates per party (matches first). */
const MATCHES_PER_PARTY = 5;
/** History read from the store per order: long enough for price baselines, bounded for speed. */
const HISTORY_DAYS = 365;
const HISTORY_LIMIT = 5000;

/**
 * Rules, policy and red flags as loaded from files.
 *
 * @example
 * const rules = await loadOrderRules(); // bundled data/rules
 */
export interface OrderRules {
  pack: RulePack;
  policy: DecisionPolicy;
  redFlags: Map<string, RedFlag>;
}

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`, EXIT.input);
  }
}

/**
 * Reads and validates the rule pack, the decision policy and the red-flag table.
 *
 * @example
 * const { pack, policy } = await loadOrderRules({ packPath: "my-pack.json" });
 */
export async function loadOrderRules(
  paths: { packPath?: string; policyPath?: string } = {},
): Promise<OrderRules> {
  const packPath = paths.packPath ?? join(RULES_DIR, "default-pack.json");
  const policyPath = paths.policyPath ?? join(RULES_DIR, "policy.json");
  try {
    const pack = parseRulePack(await readJson(packPath, "rule pack"));
    const policy = parseDecisionPolicy(await readJson(policyPath, "decision policy"), pack);
    const redFlags = parseRedFlagsCsv(await readFile(join(RULES_DIR, "red-flags.csv"), "utf8"));
    return { pack, policy, redFlags };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`invalid rules: ${(error as Error).message}`, EXIT.input);
  }
}

/**
 * Wires party screening, address matching and item classification into the pure order layer.
 * Built once per batch; `screen` is synchronous and pure given its inputs.
 *
 * @example
 * const pipeline = createOrderPipeline({ entities, controls, rules });
 * const result = pipeline.screen(order, history, "2025-03-14");
 */
export interface OrderPipeline {
  screen(order: Order, history: HistoricOrder[] | undefined, today: string): ScreenedOrder;
}

export function createOrderPipeline(input: {
  entities: readonly ListEntity[];
  controls: ItemControls;
  rules: OrderRules;
}): OrderPipeline {
  const screener: Screener | undefined =
    input.entities.length > 0 ? createScreener(input.entities) : undefined;
  const addresses: AddressIndex | undefined =
    input.entities.length > 0 ? createAddressIndex(input.entities) : undefined;
  return {
    screen(order, history, today) {
      const parties: PartyScreening[] = order.parties.map((party, partyIndex) => {
        if (!screener)
          return { partyIndex, role: party.role, name: party.name, status: "not_screened", matches: [] };
        const matches = screener
          .screen(
            {
              name: party.name,
              ...(party.country ? { country: party.country } : {}),
              ...(party.identifiers?.length
                ? { identifiers: party.identifiers.map((i) => ({ value: i.value })) }
                : {}),
            },
            { limit: MATCHES_PER_PARTY },
          )
          .map((m) => ({
            entityId: m.entityId,
            list: m.list,
            name: m.name,
            score: m.score,
            match: m.match,
            explanation: m.explanation,
          }));
        return {
          partyIndex,
          role: party.role,
          name: party.name,
          status: "screened",
          matches,
          addressMatches:
            party.address && addresses ? addresses.match(party.address, party.country) : undefined,
        };
      });
      const items: ItemScreening[] = order.items.map((item) => {
        const result = classifyItem(item, input.controls);
        return {
          lineId: item.id,
          status: result.hsCode !== null || result.controls.length > 0 ? "classified" : "unclassified",
          hsCode: result.hsCode ?? undefined,
          controls: result.controls.map((c) =>
            c.list === "chpl"
              ? { list: "chpl" as const, code: c.code, tier: c.tier, via: c.via, evidence: c.evidence }
              : { list: "uav-key-items" as const, category: c.category, via: c.via, evidence: c.evidence },
          ),
          issues: result.issues,
        };
      });
      return screenOrder(order, { today, parties, items, history }, input.rules.pack, input.rules.policy);
    },
  };
}

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

/** Past orders from the store, parsed; rows whose stored order no longer validates are skipped. */
async function historyFor(store: Store, order: Order, today: string): Promise<HistoricOrder[]> {
  const reference = order.date ?? today;
  const since = new Date(Date.parse(`${reference}T00:00:00Z`) - HISTORY_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const records: ScreenedOrderRecord[] = await store.screenedOrders({ since, limit: HISTORY_LIMIT });
  const out: HistoricOrder[] = [];
  for (const record of records) {
    const parsed = parseOrder(record.order);
    if (!parsed.ok) continue;
    out.push({
      orderId: record.orderId,
      orderDate: record.orderDate,
      customerKey: record.customerKey,
      order: parsed.order,
    });
  }
  return out;
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
    .action(
      async (
        input: string,
        options: { format: OrderFormat; rules?: string; policy?: string; today?: string; store: boolean },
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
        const rules = await loadOrderRules({
          ...(options.rules ? { packPath: options.rules } : {}),
          ...(options.policy ? { policyPath: options.policy } : {}),
        });
        const controls = await readItemControls();
        const store = await openCliStore(command, { withDefaults: true });
        const results: OrderResult[] = [];
        let invalid = 0;
        try {
          const pipeline = createOrderPipeline({ entities: await store.entities(), controls, rules });
          for (const { raw, errors } of rawOrders) {
            const parsed =
              raw === undefined ? ({ ok: false, id: undefined, errors: [] } as const) : parseOrder(raw);
            let result: OrderResult;
            if (!parsed.ok || errors.length > 0) {
              invalid++;
              result = invalidOrderResult(
                parsed.ok ? parsed.order.id : parsed.id,
                [...errors, ...(parsed.ok ? [] : parsed.errors)],
                rules.policy,
              );
              if (options.store && result.id) {
                await store.saveScreenedOrder({
                  orderId: result.id,
                  screenedAt: new Date().toISOString(),
                  decision: result.decision,
                  order: raw ?? null,
                  result,
                  rulePackVersion: `${rules.pack.id}@${rules.pack.version}`,
                });
              }
            } else {
              const order = parsed.order;
              const history = options.store ? await historyFor(store, order, today) : undefined;
              const screened = pipeline.screen(order, history, today);
              result = screened;
              if (options.store) {
                await store.saveScreenedOrder({
                  orderId: order.id,
                  screenedAt: new Date().toISOString(),
                  ...(order.date ? { orderDate: order.date } : {}),
                  customerKey: customerKeyOf(order),
                  decision: screened.decision,
                  order,
                  result: screened,
                  rulePackVersion: `${rules.pack.id}@${rules.pack.version}`,
                });
              }
            }
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
