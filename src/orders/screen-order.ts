import type { Order, OrderValidationError } from "../model/order.js";
import { evaluateRule } from "./evaluate.js";
import { computeFacts } from "./facts.js";
import { decide } from "./policy.js";
import type { DecisionPolicy, RulePack } from "./rule-pack.js";
import type {
  InvalidOrderResult,
  OrderContext,
  ReportedItem,
  ReportedParty,
  ScreenedOrder,
} from "./types.js";

/**
 * Screens one validated order: computes its facts, runs every rule of the pack, applies the
 * policy. Pure: party and item screening are done by the caller and passed in `context`, with
 * past orders and today's date.
 *
 * @example
 * const result = screenOrder(order, { today: "2025-03-14", parties, items, history }, pack, policy);
 * result.decision // "review"
 */
export function screenOrder(
  order: Order,
  context: OrderContext,
  pack: RulePack,
  policy: DecisionPolicy,
): ScreenedOrder {
  const facts = computeFacts(order, context, pack);
  const flags = pack.rules.map((rule) => evaluateRule(rule, facts));
  const { decision, reasons } = decide(flags, policy);
  const parties: ReportedParty[] = order.parties.map((party, index) => {
    const screening = context.parties.find((s) => s.partyIndex === index);
    return {
      role: party.role,
      name: party.name,
      ...(party.country ? { country: party.country } : {}),
      ...(party.address ? { address: party.address } : {}),
      status: screening?.status ?? "missing",
      matches: screening?.matches ?? [],
      ...(screening?.addressMatches !== undefined ? { addressMatches: screening.addressMatches } : {}),
    };
  });
  const items: ReportedItem[] = order.items.map((item) => {
    const screening = context.items.find((s) => s.lineId === item.id);
    return {
      id: item.id,
      ...(item.hs_code ? { hs_code: item.hs_code } : {}),
      ...(item.description ? { description: item.description } : {}),
      ...(item.manufacturer ? { manufacturer: item.manufacturer } : {}),
      ...(item.part_number ? { part_number: item.part_number } : {}),
      ...(item.quantity !== undefined ? { quantity: item.quantity } : {}),
      ...(item.unit_price !== undefined ? { unit_price: item.unit_price } : {}),
      ...(item.currency ? { currency: item.currency } : {}),
      status: screening?.status ?? "missing",
      controls: screening?.controls ?? [],
    };
  });
  return {
    id: order.id,
    decision,
    reasons,
    flags,
    parties,
    items,
    rulePack: { id: pack.id, version: pack.version },
    policy: { version: policy.version },
    screenedOn: context.today,
  };
}

/**
 * The output line for an order that failed validation: the policy's `invalidOrder` decision
 * (review by default, never clear) and every problem with its path.
 *
 * @example
 * invalidOrderResult("SO-9", [{ path: "parties", message: "no party with role \"buyer\"" }], policy)
 */
export function invalidOrderResult(
  id: string | undefined,
  errors: OrderValidationError[],
  policy: DecisionPolicy,
): InvalidOrderResult {
  return {
    id: id ?? null,
    decision: policy.invalidOrder,
    error: "invalid order",
    errors,
    reasons: [
      { clause: "invalidOrder", text: `order failed validation (${errors.length} problem(s)); not screened` },
    ],
    flags: [],
    parties: [],
    items: [],
  };
}
