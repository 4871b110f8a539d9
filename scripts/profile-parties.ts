// Where party screening spends its time: the 50,000 synthetic names screened twice by one
// screener, a cold pass (every word new to the memo of word lookups) and a warm one, with the
// time split by phase (word lookups, other query preparation, candidate generation, alignment,
// results) and by the script the name is written in. Not a benchmark with targets (that is
// `npm run bench -- parties`): it wraps the screener's internal steps with timers, which costs a
// little, to show where an optimisation could pay. Run: `npx tsx scripts/profile-parties.ts`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { createScreener, type PartyQuery } from "../src/matching/index.js";
import { EVAL_DIR, loadEntities, scriptOf } from "./eval-parties.js";

/** The screener's internal steps this script times (private members, reached for measurement only). */
interface Internals {
  prepare: (...args: unknown[]) => unknown;
  addCandidates: (...args: unknown[]) => unknown;
  scoreNames: (...args: unknown[]) => unknown;
  finish: (...args: unknown[]) => unknown;
  matcher: { memo: Map<string, unknown>; match: (token: string, initial: boolean) => unknown };
}

const rows = parse(readFileSync(resolve(EVAL_DIR, "negatives-us-synthetic.csv")), {
  columns: true,
  bom: true,
}) as Record<string, string>[];
const queries: PartyQuery[] = rows.map((r) => ({ name: r.full_name ?? "", schema: "Person" }));
const screener = createScreener(await loadEntities());
const internals = screener as unknown as Internals;
const prototype = Object.getPrototypeOf(screener) as Internals;

const phaseMs = new Map<string, number>();
const add = (phase: string, ms: number) => phaseMs.set(phase, (phaseMs.get(phase) ?? 0) + ms);
for (const step of ["prepare", "addCandidates", "scoreNames", "finish"] as const) {
  const original = prototype[step];
  prototype[step] = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      add(step, performance.now() - started);
    }
  };
}
const { matcher } = internals;
const match = matcher.match.bind(matcher);
let newWords = 0;
matcher.match = (token, initial) => {
  const isNew = !matcher.memo.has(token);
  const started = performance.now();
  const result = match(token, initial);
  if (isNew) {
    add("word lookups (first sight)", performance.now() - started);
    newWords++;
  }
  return result;
};

for (const pass of ["cold", "warm"]) {
  phaseMs.clear();
  newWords = 0;
  const byScript = new Map<string, { names: number; ms: number }>();
  const started = performance.now();
  for (const query of queries) {
    const t = performance.now();
    screener.screen(query, { limit: 10 });
    const script = scriptOf(query.name);
    const entry = byScript.get(script) ?? { names: 0, ms: 0 };
    entry.names++;
    entry.ms += performance.now() - t;
    byScript.set(script, entry);
  }
  const total = performance.now() - started;
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1)}%`;
  console.log(`${pass} pass: ${queries.length} names in ${(total / 1000).toFixed(2)} s`);
  const lookups = phaseMs.get("word lookups (first sight)") ?? 0;
  const phases: [string, number][] = [
    [`word lookups, first sight (${newWords} words)`, lookups],
    ["rest of query preparation (readings, tokens, merging)", (phaseMs.get("prepare") ?? 0) - lookups],
    ["candidate generation", phaseMs.get("addCandidates") ?? 0],
    ["alignment of candidates", phaseMs.get("scoreNames") ?? 0],
    ["evidence, explanations, results", phaseMs.get("finish") ?? 0],
  ];
  for (const [label, ms] of phases)
    console.log(`  ${label.padEnd(56)} ${ms.toFixed(0).padStart(6)} ms ${pct(ms)}`);
  for (const [script, { names, ms }] of [...byScript].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `  ${script.padEnd(22)} ${String(names).padStart(6)} names ${ms.toFixed(0).padStart(6)} ms ${pct(ms).padStart(6)}  ${((1000 * ms) / names).toFixed(0)} µs/name`,
    );
  }
}
