import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ItemControls } from "../../items/index.js";
import { createOrderPipeline, type OrderPipeline, screenOrderInput } from "../../jobs/order-screening.js";
import { type AddressIndex, createAddressIndex } from "../../orders/address-match.js";
import type { DecisionPolicy, RulePack } from "../../orders/rule-pack.js";
import type { OrderResult } from "../../orders/types.js";
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

const pipelines = new WeakMap<ScreeningIndex, OrderPipeline>();

/**
 * The order pipeline of a screening index: it shares the server's screener (so an order sees the
 * same list versions as `/screen/parties`) and is rebuilt when an import swaps the index.
 */
function pipelineOf(index: ScreeningIndex, controls: ItemControls, rules: OrderRules): OrderPipeline {
  let found = pipelines.get(index);
  if (!found) {
    found = createOrderPipeline({
      entities: [],
      screener: index.screener,
      addresses: addressIndexOf(index),
      controls,
      rules,
    });
    pipelines.set(index, found);
  }
  return found;
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
      const pipeline = pipelineOf(index, controls, rules);
      const results: OrderResult[] = [];
      for (const raw of request.body.orders) {
        const { result } = await screenOrderInput(context.store, pipeline, raw, {
          today,
          save: request.body.store,
          rules,
          actor: request.apiKey?.label ?? request.apiKey?.id ?? "api",
        });
        results.push(result);
      }
      return { results };
    },
  );
};
