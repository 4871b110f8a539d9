import type { DecisionPolicy } from "./rule-pack.js";
import type { Decision, DecisionReason, FlagResult } from "./types.js";

/**
 * Applies the decision policy to the rule outcomes. Block first (a triggered block rule), then
 * review (a triggered rule of a review severity or listed by id, enough low-severity flags
 * together, or a rule that must run but could not), else clear. The reasons name every rule that
 * drove the decision and the policy clause it met.
 *
 * @example
 * decide(flags, policy) // { decision: "review", reasons: [{ rule: "R-FREEMAIL", clause: "review.lowSeverityCount", ... }] }
 */
export function decide(
  flags: readonly FlagResult[],
  policy: DecisionPolicy,
): { decision: Decision; reasons: DecisionReason[] } {
  const triggered = flags.filter((f) => f.outcome === "triggered");
  const block = triggered.filter((f) => policy.block.rules.includes(f.rule));
  if (block.length > 0) {
    return {
      decision: "block",
      reasons: block.map((f) => ({ rule: f.rule, outcome: f.outcome, clause: "block.rules", text: f.title })),
    };
  }
  const reasons: DecisionReason[] = [];
  for (const f of triggered) {
    if (policy.review.severities.includes(f.severity)) {
      reasons.push({
        rule: f.rule,
        outcome: f.outcome,
        clause: "review.severities",
        text: `${f.title} (${f.severity})`,
      });
    } else if (policy.review.rules.includes(f.rule)) {
      reasons.push({ rule: f.rule, outcome: f.outcome, clause: "review.rules", text: f.title });
    }
  }
  const low = triggered.filter((f) => f.severity === "low" && !reasons.some((r) => r.rule === f.rule));
  if (policy.review.lowSeverityCount > 0 && low.length >= policy.review.lowSeverityCount) {
    for (const f of low) {
      reasons.push({
        rule: f.rule,
        outcome: f.outcome,
        clause: "review.lowSeverityCount",
        text: `${f.title} (one of ${low.length} low-severity flags; ${policy.review.lowSeverityCount} together need review)`,
      });
    }
  }
  for (const f of flags) {
    if (f.outcome === "could_not_run" && policy.review.couldNotRun.includes(f.rule)) {
      reasons.push({
        rule: f.rule,
        outcome: f.outcome,
        clause: "review.couldNotRun",
        text: `${f.title}: could not run, missing ${(f.missing ?? []).map((m) => m.needs).join("; ")}`,
      });
    }
  }
  return reasons.length > 0 ? { decision: "review", reasons } : { decision: "clear", reasons: [] };
}
