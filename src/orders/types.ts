import type { Order, OrderValidationError, PartyRole } from "../model/order.js";

/**
 * The inputs order screening needs from party screening and item classification, kept as small
 * interfaces here so this layer does not depend on how `matching` and `items` compute them; the
 * CLI (and any other door) adapts their results into these shapes.
 */

/**
 * One candidate from party screening, as `chokepoint screen` reports it.
 *
 * @example
 * { entityId: "ofac-sdn:36501", list: "ofac-sdn", name: "ALABUGA SEZ", score: 0.97, match: true, explanation: "..." }
 */
export interface PartyMatch {
  entityId: string;
  list: string;
  name: string;
  score: number;
  /** The screener's own yes/no at its configured threshold. */
  match: boolean;
  explanation: unknown;
}

/**
 * A listed party whose address is close to the order party's address.
 *
 * @example
 * { entityId: "uk-fcdo:RUS1234", list: "uk-fcdo", name: "...", address: "Office 5, 12 Lenina St, Moscow", score: 0.82, shared: ["lenina", "12", "office", "5"] }
 */
export interface AddressMatch {
  entityId: string;
  list: string;
  name: string;
  address: string;
  score: number;
  /** The address tokens both share (the explanation an analyst reads). */
  shared: string[];
}

/**
 * Party screening of one order party. `status: "not_screened"` (lists unavailable, screening
 * failed) makes the listed-party rules report could_not_run instead of silently not triggering.
 * `addressMatches` undefined means addresses were not checked.
 *
 * @example
 * { partyIndex: 0, role: "buyer", name: "Gulf Star FZE", status: "screened", matches: [], addressMatches: [] }
 */
export interface PartyScreening {
  partyIndex: number;
  role: PartyRole;
  name: string;
  status: "screened" | "not_screened";
  matches: PartyMatch[];
  addressMatches?: AddressMatch[] | undefined;
}

/**
 * A control-list hit on one item line.
 *
 * @example
 * { list: "chpl", code: "854231", tier: "Tier 1", via: "hs_code", evidence: "8542.31 starts with 854231" }
 * { list: "uav-key-items", category: "gyroscopes", via: "description", evidence: "MEMS gyroscope" }
 */
export type ItemControlHit =
  | { list: "chpl"; code: string; tier: string; via: string; evidence: unknown }
  | { list: "uav-key-items"; category: string; via: string; evidence: unknown };

/**
 * Item classification of one line. `status: "unclassified"` means the classifier could not tell
 * what the line is (no HS code, an unknown description), so "not on the CHPL" cannot be claimed.
 *
 * @example
 * { lineId: "1", status: "classified", hsCode: "854231", controls: [{ list: "chpl", code: "854231", tier: "Tier 1", via: "hs_code", evidence: "..." }] }
 */
export interface ItemScreening {
  lineId: string;
  status: "classified" | "unclassified";
  hsCode?: string | undefined;
  controls: ItemControlHit[];
  issues?: unknown[] | undefined;
}

/**
 * One past order, for history rules (split orders, unusual prices).
 *
 * @example
 * { orderId: "SO-0991", orderDate: "2025-03-02", customerKey: "gulf star electronics|AE", order: {...} }
 */
export interface HistoricOrder {
  orderId: string;
  orderDate?: string | undefined;
  customerKey?: string | undefined;
  order: Order;
}

/**
 * Everything `screenOrder` needs besides the order: results already computed by party screening
 * and item classification, past orders (undefined = history unavailable, which history rules
 * report as could_not_run), and today's date (this layer reads no clock).
 */
export interface OrderContext {
  today: string;
  parties: PartyScreening[];
  items: ItemScreening[];
  history?: HistoricOrder[] | undefined;
}

export const RULE_OUTCOMES = ["triggered", "not_triggered", "could_not_run"] as const;
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * One missing piece of data that kept a rule from running.
 *
 * @example
 * { fact: "parties.buyerIncorporated", needs: "the buyer's incorporation date (parties[role=buyer].incorporated)" }
 */
export interface MissingData {
  fact: string;
  needs: string;
}

/**
 * The outcome of one rule on one order. `evidence` is filled when triggered; `missing` when the
 * rule could not run; `note` says why a rule did not apply (its `when` was false).
 *
 * @example
 * { rule: "R-FREEMAIL", title: "...", severity: "low", outcome: "triggered", redFlags: ["FC22-02"],
 *   evidence: { parties: [{ role: "buyer", email: "ivan@gmail.com" }] } }
 */
export interface FlagResult {
  rule: string;
  title: string;
  severity: Severity;
  outcome: RuleOutcome;
  redFlags: string[];
  evidence: Record<string, unknown> | null;
  missing?: MissingData[];
  note?: string;
}

export const DECISIONS = ["block", "review", "clear"] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Why the decision is what it is: the rule and the policy clause it met.
 *
 * @example
 * { rule: "R-LISTED-PARTY", outcome: "triggered", clause: "block.rules", text: "Party matches a listed party (confirmed)" }
 */
export interface DecisionReason {
  rule?: string;
  outcome?: RuleOutcome;
  clause: string;
  text: string;
}

/** Party as reported in the decision: the order's party with its screening. */
export interface ReportedParty {
  role: PartyRole;
  name: string;
  country?: string | undefined;
  address?: string | undefined;
  status: PartyScreening["status"] | "missing";
  matches: PartyMatch[];
  addressMatches?: AddressMatch[] | undefined;
}

/** Item line as reported in the decision, with its control hits. */
export interface ReportedItem {
  id: string;
  hs_code?: string | undefined;
  description?: string | undefined;
  part_number?: string | undefined;
  manufacturer?: string | undefined;
  quantity?: number | undefined;
  unit_price?: number | undefined;
  currency?: string | undefined;
  status: ItemScreening["status"] | "missing";
  controls: ItemControlHit[];
}

/**
 * The decision on one order: the output line of `chokepoint orders` (the contract's `id`,
 * `decision`, `flags`, `parties`, `items`, plus reasons and the versions that produced it).
 */
export interface ScreenedOrder {
  id: string;
  decision: Decision;
  reasons: DecisionReason[];
  flags: FlagResult[];
  parties: ReportedParty[];
  items: ReportedItem[];
  rulePack: { id: string; version: string };
  policy: { version: string };
  screenedOn: string;
}

/**
 * The output line for an order that failed validation: decision "review" (never "clear": an
 * order nobody could read has not been screened), `error` set, every problem listed with its path.
 *
 * @example
 * { id: "SO-9", decision: "review", error: "invalid order", errors: [{ path: "items[0].quantity", message: "..." }], flags: [], parties: [], items: [] }
 */
export interface InvalidOrderResult {
  id: string | null;
  decision: Decision;
  error: "invalid order";
  errors: OrderValidationError[];
  reasons: DecisionReason[];
  flags: FlagResult[];
  parties: ReportedParty[];
  items: ReportedItem[];
}

export type OrderResult = ScreenedOrder | InvalidOrderResult;
