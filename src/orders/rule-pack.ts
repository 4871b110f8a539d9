import { z } from "zod";
import { SEVERITIES } from "./types.js";

/**
 * A json-logic expression (https://jsonlogic.com), kept as plain JSON: rules are data, and the
 * evaluator is the well-kept `json-logic-js`, not a home-made language.
 */
const jsonLogicSchema = z.union([z.record(z.string(), z.unknown()), z.boolean()]);

/**
 * One rule of a rule pack. `requires` names the facts the condition reads; a fact that is null
 * (unknown) makes the rule could_not_run, naming what is missing. `when` (optional) says when the
 * rule applies at all: a false `when` is not_triggered, and only then is `requires` checked, so a
 * rule about CHPL items does not fail for lack of an end-user statement on an order of screws.
 * `evidence` maps names to json-logic expressions evaluated on the facts when the rule triggers
 * (default: the required facts' values).
 *
 * @example
 * { "id": "R-FREEMAIL", "title": "A party uses a free-mail address", "severity": "low",
 *   "redFlags": ["FC22-02"], "requires": ["parties.freeMail"],
 *   "condition": { "!!": [{ "var": "parties.freeMail" }] } }
 */
export const ruleSchema = z.object({
  id: z.string().regex(/^R-[A-Z0-9-]+$/),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  redFlags: z.array(z.string()),
  /** The legal basis when the rule is a prohibition rather than a red flag. */
  basis: z.string().optional(),
  description: z.string().optional(),
  when: jsonLogicSchema.optional(),
  requires: z.array(z.string()),
  condition: jsonLogicSchema,
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type Rule = z.infer<typeof ruleSchema>;

/**
 * The rule pack: parameters and named sets the facts are computed with, the rules, and the red
 * flags deliberately not covered (with the reason), so coverage is auditable.
 */
export const rulePackSchema = z.object({
  id: z.string(),
  version: z.string(),
  description: z.string().optional(),
  params: z.object({
    /** Russia's full-scale invasion; FinCEN/BIS (May 2023) ask to check customers incorporated after it. */
    incorporationCutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** How far back related orders count as one split order. */
    splitWindowDays: z.number().int().positive(),
    /** Past prices compared for the same part need at least this many observations. */
    priceHistoryMinOrders: z.number().int().positive(),
  }),
  sets: z.object({
    transshipment: z.array(z.string()),
    restrictedDestinations: z.array(z.string()),
    embargoed: z.array(z.string()),
    freeMailDomains: z.array(z.string()),
    logisticsNameWords: z.array(z.string()),
    vagueEndUses: z.array(z.string()),
    nonTechnicalBusinessWords: z.array(z.string()),
    cashMethods: z.array(z.string()),
    letterOfCreditMethods: z.array(z.string()),
  }),
  rules: z.array(ruleSchema).min(1),
  notCovered: z.array(z.object({ redFlag: z.string(), why: z.string() })).default([]),
});
export type RulePack = z.infer<typeof rulePackSchema>;

/**
 * The decision policy: which outcomes make an order block, review or clear. Evaluated in that
 * order; anything not caught is clear.
 *
 * @example
 * { "version": "1", "block": { "rules": ["R-LISTED-PARTY-CONFIRMED"] },
 *   "review": { "severities": ["high"], "rules": [], "lowSeverityCount": 2, "couldNotRun": ["R-LISTED-PARTY-CONFIRMED"] },
 *   "invalidOrder": "review" }
 */
export const decisionPolicySchema = z.object({
  version: z.string(),
  description: z.string().optional(),
  block: z.object({
    /** A triggered rule here blocks the order. */
    rules: z.array(z.string()),
  }),
  review: z.object({
    /** A triggered rule of one of these severities sends the order to review. */
    severities: z.array(z.enum(SEVERITIES)),
    /** A triggered rule here sends the order to review whatever its severity. */
    rules: z.array(z.string()).default([]),
    /** This many triggered rules of low severity together send the order to review (0 = never). */
    lowSeverityCount: z.number().int().nonnegative(),
    /** Rules that must be able to run for an order to clear: could_not_run here means review. */
    couldNotRun: z.array(z.string()),
  }),
  /** What an order that failed validation gets; never "clear". */
  invalidOrder: z.enum(["review", "block"]),
});
export type DecisionPolicy = z.infer<typeof decisionPolicySchema>;

/**
 * Validates a rule pack (from JSON), and checks what a schema cannot: unique rule ids, and that
 * every fact a condition or `when` reads is declared in `requires` or read by `when`.
 *
 * @example
 * const pack = parseRulePack(JSON.parse(await readFile("data/rules/default-pack.json", "utf8")));
 */
export function parseRulePack(input: unknown): RulePack {
  const pack = rulePackSchema.parse(input);
  const ids = new Set<string>();
  for (const rule of pack.rules) {
    if (ids.has(rule.id)) throw new Error(`rule pack ${pack.id}: duplicate rule id ${rule.id}`);
    ids.add(rule.id);
  }
  return pack;
}

/**
 * Validates a decision policy against the rule pack it will be used with (unknown rule ids are
 * configuration mistakes, reported rather than ignored).
 *
 * @example
 * const policy = parseDecisionPolicy(JSON.parse(text), pack);
 */
export function parseDecisionPolicy(input: unknown, pack?: RulePack): DecisionPolicy {
  const policy = decisionPolicySchema.parse(input);
  if (pack) {
    const ids = new Set(pack.rules.map((r) => r.id));
    const unknown = [...policy.block.rules, ...policy.review.rules, ...policy.review.couldNotRun].filter(
      (id) => !ids.has(id),
    );
    if (unknown.length > 0)
      throw new Error(`decision policy ${policy.version}: unknown rule id(s) ${unknown.join(", ")}`);
  }
  return policy;
}
