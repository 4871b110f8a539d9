import jsonLogic, { type RulesLogic } from "json-logic-js";
import { FACT_SOURCES, type Facts } from "./facts.js";
import type { Rule } from "./rule-pack.js";
import type { FlagResult, MissingData } from "./types.js";

/** Reads a dotted fact path ("parties.freeMail"); undefined when a step is missing. */
export function factAt(facts: Facts, path: string): unknown {
  let node: unknown = facts;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const isUnknown = (value: unknown) => value === null || value === undefined;

function missingOf(facts: Facts, paths: readonly string[]): MissingData[] {
  return unique(paths)
    .filter((path) => isUnknown(factAt(facts, path)))
    .map((fact) => ({ fact, needs: FACT_SOURCES[fact] ?? fact }));
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

/** The facts a json-logic expression reads (its `var`s, without the per-element ones inside some/filter). */
export function factsRead(logic: unknown): string[] {
  return (jsonLogic.uses_data(logic as Record<string, unknown>) as string[]).filter((path) =>
    path.includes("."),
  );
}

/**
 * Runs one rule on the facts. Three outcomes, never folded together:
 * - `could_not_run` when a fact it needs is unknown (`missing` names each one and the order data behind it);
 * - `triggered` with evidence when the condition holds;
 * - `not_triggered` otherwise, including when the rule's `when` does not apply (with a `note`).
 *
 * @example
 * evaluateRule(pack.rules[0]!, facts) // { rule: "R-LISTED-PARTY-CONFIRMED", outcome: "not_triggered", ... }
 */
export function evaluateRule(rule: Rule, facts: Facts): FlagResult {
  const base = { rule: rule.id, title: rule.title, severity: rule.severity, redFlags: rule.redFlags };
  if (rule.when !== undefined) {
    const missing = missingOf(facts, factsRead(rule.when));
    if (missing.length > 0) return { ...base, outcome: "could_not_run", evidence: null, missing };
    if (!jsonLogic.truthy(jsonLogic.apply(rule.when as RulesLogic, facts))) {
      return { ...base, outcome: "not_triggered", evidence: null, note: "does not apply to this order" };
    }
  }
  const missing = missingOf(facts, rule.requires);
  if (missing.length > 0) return { ...base, outcome: "could_not_run", evidence: null, missing };
  const holds = jsonLogic.truthy(jsonLogic.apply(rule.condition as RulesLogic, facts));
  if (!holds) return { ...base, outcome: "not_triggered", evidence: null };
  const evidence: Record<string, unknown> = {};
  if (rule.evidence) {
    for (const [name, expression] of Object.entries(rule.evidence)) {
      evidence[name] = jsonLogic.apply(expression as RulesLogic, facts);
    }
  } else {
    for (const path of unique([...rule.requires, ...(rule.when ? factsRead(rule.when) : [])]))
      evidence[path] = factAt(facts, path);
  }
  return { ...base, outcome: "triggered", evidence };
}
