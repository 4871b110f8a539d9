import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { classifyItem, type ItemControls } from "../items/index.js";
import { createScreener, DEFAULT_MATCH_THRESHOLD, type Screener } from "../matching/index.js";
import type { ListEntity } from "../model/index.js";
import { type Order, type OrderValidationError, parseOrder } from "../model/order.js";
import { type AddressIndex, createAddressIndex } from "../orders/address-match.js";
import { customerKeyOf } from "../orders/facts.js";
import { parseRedFlagsCsv, type RedFlag } from "../orders/report.js";
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
import type { Store } from "../store/index.js";
import { currentListVersions, recordOrderScreening } from "./cases.js";

/** The rule pack, policy and red-flag table shipped with Chokepoint. */
export const RULES_DIR = fileURLToPath(new URL("../../data/rules/", import.meta.url));

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

/** A rule file that cannot be read or does not validate; the doors turn it into their own errors. */
export class OrderRulesError extends Error {
  override name = "OrderRulesError";
}

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new OrderRulesError(`cannot read ${what} ${path}: ${(error as Error).message}`);
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
  const [packJson, policyJson] = [
    await readJson(packPath, "rule pack"),
    await readJson(policyPath, "decision policy"),
  ];
  try {
    const pack = parseRulePack(packJson);
    const policy = parseDecisionPolicy(policyJson, pack);
    const redFlags = parseRedFlagsCsv(await readFile(join(RULES_DIR, "red-flags.csv"), "utf8"));
    return { pack, policy, redFlags };
  } catch (error) {
    throw new OrderRulesError(`invalid rules: ${(error as Error).message}`);
  }
}

/** `id@version` of a rule pack, recorded with every decision. */
export function rulePackVersion(rules: Pick<OrderRules, "pack">): string {
  return `${rules.pack.id}@${rules.pack.version}`;
}

/**
 * Wires party screening, address matching and item classification into the pure order layer.
 * Built once per batch (or once per server, sharing its screener); `screen` is synchronous.
 *
 * @example
 * const pipeline = createOrderPipeline({ entities, controls, rules });
 * const result = pipeline.screen(order, history, "2025-03-14");
 */
export interface OrderPipeline {
  screen(order: Order, history: HistoricOrder[] | undefined, today: string): ScreenedOrder;
}

export function createOrderPipeline(input: {
  /** The list entities; used to build a screener when none is given, and for address matching. */
  entities: readonly ListEntity[];
  /** A screener to share (the server's); built from `entities` when absent. */
  screener?: Screener;
  /** An address index to share; built from `entities` when absent. */
  addresses?: AddressIndex;
  controls: ItemControls;
  rules: Pick<OrderRules, "pack" | "policy">;
}): OrderPipeline {
  const hasEntities = input.entities.length > 0;
  const screener = input.screener ?? (hasEntities ? createScreener(input.entities) : undefined);
  const addresses = input.addresses ?? (hasEntities ? createAddressIndex(input.entities) : undefined);
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
 * Past screened orders from the store, parsed, for the split-order and price rules; rows whose
 * stored order no longer validates are skipped.
 *
 * @example
 * const history = await orderHistory(store, order, "2025-03-14");
 */
export async function orderHistory(store: Store, order: Order, today: string): Promise<HistoricOrder[]> {
  const reference = order.date ?? today;
  const since = new Date(Date.parse(`${reference}T00:00:00Z`) - HISTORY_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const out: HistoricOrder[] = [];
  for (const record of await store.screenedOrders({ since, limit: HISTORY_LIMIT })) {
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

export interface ScreenOrderOptions {
  today: string;
  /** Read history from and save the decision to the store (and open a case on review/block). */
  save: boolean;
  rules: Pick<OrderRules, "pack" | "policy">;
  /** Who screens, for the audit trail. */
  actor: string;
  /** Problems found before validation (a CSV row, a line that is not JSON). */
  inputErrors?: OrderValidationError[];
}

/**
 * Validates and screens one input order; with `save`, stores it with its decision, and a review
 * or block decision opens or updates the order's case with an audit record. An invalid order is
 * answered with the policy's decision for invalid orders and every problem with its path — never
 * "clear".
 *
 * @example
 * const { result, valid } = await screenOrderInput(store, pipeline, raw, { today, save: true, rules, actor: "alice" });
 */
export async function screenOrderInput(
  store: Store,
  pipeline: OrderPipeline,
  raw: unknown,
  options: ScreenOrderOptions,
): Promise<{ result: OrderResult; valid: boolean }> {
  const parsed = raw === undefined ? ({ ok: false, id: undefined, errors: [] } as const) : parseOrder(raw);
  const inputErrors = options.inputErrors ?? [];
  const screenedAt = new Date().toISOString();
  const version = rulePackVersion(options.rules);
  if (!parsed.ok || inputErrors.length > 0) {
    const result = invalidOrderResult(
      parsed.ok ? parsed.order.id : parsed.id,
      [...inputErrors, ...(parsed.ok ? [] : parsed.errors)],
      options.rules.policy,
    );
    if (options.save && result.id) {
      await store.saveScreenedOrder({
        orderId: result.id,
        screenedAt,
        decision: result.decision,
        order: raw ?? null,
        result,
        rulePackVersion: version,
      });
    }
    return { result, valid: false };
  }
  const order = parsed.order;
  const history = options.save ? await orderHistory(store, order, options.today) : undefined;
  const result = pipeline.screen(order, history, options.today);
  if (options.save) {
    await store.saveScreenedOrder({
      orderId: order.id,
      screenedAt,
      ...(order.date ? { orderDate: order.date } : {}),
      customerKey: customerKeyOf(order),
      decision: result.decision,
      order,
      result,
      rulePackVersion: version,
    });
    const buyer = order.parties.find((p) => p.role === "buyer") ?? order.parties[0];
    await recordOrderScreening(
      store,
      { orderId: order.id, name: buyer?.name ?? order.id, decision: result.decision, order, result },
      {
        listVersions: await currentListVersions(store),
        threshold: DEFAULT_MATCH_THRESHOLD,
        rulePackVersion: version,
      },
      { actor: options.actor, at: screenedAt },
    );
  }
  return { result, valid: true };
}
