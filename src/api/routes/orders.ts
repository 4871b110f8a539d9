import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { classifyItem, type ItemControls } from "../../items/index.js";
import { type Order, parseOrder } from "../../model/order.js";
import { type AddressIndex, createAddressIndex } from "../../orders/address-match.js";
import { customerKeyOf } from "../../orders/facts.js";
import type { DecisionPolicy, RulePack } from "../../orders/rule-pack.js";
import { invalidOrderResult, screenOrder } from "../../orders/screen-order.js";
import type { HistoricOrder, ItemScreening, OrderResult, PartyScreening } from "../../orders/types.js";
import type { Store } from "../../store/index.js";
import { requireRole } from "../auth.js";
import type { ApiContext } from "../context.js";
import { ApiError, apiErrorSchema } from "../errors.js";
import { MAX_ORDERS } from "../schemas.js";
import type { ScreeningIndex } from "../screening.js";

/** The rule pack and decision policy orders are screened with (`loadOrderRules` in the CLI reads them). */
export interface OrderRules {
  pack: RulePack;
  policy: DecisionPolicy;
}

/** Candidates per party, as `chokepoint orders` reports them. */
const MATCHES_PER_PARTY = 5;
/** History read per order for the split-order and price rules (same bounds as the CLI). */
const HISTORY_DAYS = 365;
const HISTORY_LIMIT = 5000;

/**
 * Body of `POST /screen/orders`. Each order is validated on its own (the order contract of
 * `chokepoint orders`): an invalid one gets the policy's decision for invalid orders with every
 * problem and its path, and the others proceed, so only a body that is not a list of objects is a 400.
 *
 * @example
 * { orders: [{ id: "SO-1001", date: "2025-03-14", parties: [...], items: [...] }], today: "2025-03-14" }
 */
export const screenOrdersBodySchema = z
  .object({
    orders: z.array(z.looseObject({})).min(1).max(MAX_ORDERS),
    /** Screening date (YYYY-MM-DD); default: today on the server's clock. */
    today: z.iso.date().optional(),
    /** Save each decision to the store (history for later orders, audit). Default true. */
    store: z.boolean().default(true),
  })
  .meta({ id: "ScreenOrdersRequest" });

/** The main fields of an order result; the full shape is `chokepoint orders --format jsonl`'s (src/orders/types.ts). */
const orderResultSchema = z
  .object({
    id: z.string().nullable(),
    decision: z.enum(["block", "review", "clear"]),
    flags: z.array(z.unknown()),
    parties: z.array(z.unknown()),
    items: z.array(z.unknown()),
  })
  .meta({ id: "OrderResult" });

const addressIndexes = new WeakMap<ScreeningIndex, AddressIndex>();

/** The address index of a screening index, built on first use and dropped with the index. */
function addressIndexOf(index: ScreeningIndex): AddressIndex {
  let found = addressIndexes.get(index);
  if (!found) {
    found = createAddressIndex([...index.entities.values()]);
    addressIndexes.set(index, found);
  }
  return found;
}

/**
 * Screens one valid order with the server's screener (shared with party screening, so an order
 * sees the same list versions as `/screen/parties`).
 */
function screenValidOrder(
  order: Order,
  index: ScreeningIndex,
  controls: ItemControls,
  rules: OrderRules,
  history: HistoricOrder[] | undefined,
  today: string,
) {
  const addresses = addressIndexOf(index);
  const parties: PartyScreening[] = order.parties.map((party, partyIndex) => ({
    partyIndex,
    role: party.role,
    name: party.name,
    status: "screened",
    matches: index.screener.screen(
      {
        name: party.name,
        ...(party.country ? { country: party.country } : {}),
        ...(party.identifiers?.length
          ? { identifiers: party.identifiers.map((i) => ({ value: i.value })) }
          : {}),
      },
      { limit: MATCHES_PER_PARTY },
    ),
    addressMatches: party.address ? addresses.match(party.address, party.country) : undefined,
  }));
  const items: ItemScreening[] = order.items.map((item) => {
    const result = classifyItem(item, controls);
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
  return screenOrder(order, { today, parties, items, history }, rules.pack, rules.policy);
}

async function historyFor(store: Store, order: Order, today: string): Promise<HistoricOrder[]> {
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

/**
 * Order screening: `POST /screen/orders` (analyst). Parties, items and red flags, one decision
 * per order, as `chokepoint orders --format jsonl` writes them; decisions are saved to the store
 * like the CLI does unless `store: false`.
 *
 * @example
 * await app.register(orderRoutes, { context, rules });
 */
export const orderRoutes: FastifyPluginAsync<{ context: ApiContext; rules: OrderRules | undefined }> = async (
  app,
  { context, rules },
) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/screen/orders",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["screening"],
        summary: "Screen up to 200 orders: parties, items and red flags, one decision each (analyst)",
        description:
          'Each order follows the contract of `chokepoint orders`. An order that fails validation is answered, not refused: decision `review` with `error: "invalid order"` and every problem with its path. Decisions are stored (history for the split-order and price rules) unless `store: false`.',
        security: [{ apiKey: [] }],
        body: screenOrdersBodySchema,
        response: {
          200: z.object({ results: z.array(orderResultSchema) }).meta({ id: "ScreenOrdersResponse" }),
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          503: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const controls = context.itemControls;
      if (!controls || !rules) {
        throw new ApiError(
          503,
          "unavailable",
          "order rules or item control lists are not loaded on this server",
        );
      }
      const index = context.screening.current;
      const today = request.body.today ?? new Date().toISOString().slice(0, 10);
      const save = request.body.store;
      const rulePackVersion = `${rules.pack.id}@${rules.pack.version}`;
      const results: OrderResult[] = [];
      for (const raw of request.body.orders) {
        const parsed = parseOrder(raw);
        if (!parsed.ok) {
          const result = invalidOrderResult(parsed.id, parsed.errors, rules.policy);
          if (save && result.id) {
            await context.store.saveScreenedOrder({
              orderId: result.id,
              screenedAt: new Date().toISOString(),
              decision: result.decision,
              order: raw,
              result,
              rulePackVersion,
            });
          }
          results.push(result);
          continue;
        }
        const order = parsed.order;
        const history = save ? await historyFor(context.store, order, today) : undefined;
        const screened = screenValidOrder(order, index, controls, rules, history, today);
        if (save) {
          await context.store.saveScreenedOrder({
            orderId: order.id,
            screenedAt: new Date().toISOString(),
            ...(order.date ? { orderDate: order.date } : {}),
            customerKey: customerKeyOf(order),
            decision: screened.decision,
            order,
            result: screened,
            rulePackVersion,
          });
        }
        results.push(screened);
      }
      return { results };
    },
  );
};
