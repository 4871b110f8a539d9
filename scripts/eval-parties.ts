// Party-screening accuracy on the labelled real data in ../shared/data/eval (see its README):
// recall and top-1 by kind at the default threshold, false-positive rates, and a threshold sweep
// that documents how DEFAULT_MATCH_THRESHOLD was chosen. Recall is the product's default (links
// through the records of other loaded lists included), with recall by name alone beside it; a
// target must be met both ways (shared-alias rows: with links only).
// Runs standalone: `npx tsx scripts/eval-parties.ts`.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import {
  createScreener,
  DEFAULT_MATCH_THRESHOLD,
  jaroWinkler,
  type MatchResult,
  type PartyQuery,
  type Screener,
} from "../src/matching/index.js";
import { ENTITY_SCHEMAS, type EntitySchema, type ListEntity } from "../src/model/index.js";
import { planImport } from "../src/sources/detect.js";
import { readBundle } from "../src/sources/read-bundle.js";

const here = fileURLToPath(new URL(".", import.meta.url));
export const EVAL_DIR = resolve(here, "../../shared/data/eval");

/**
 * The bundled lists (data/lists), parsed by every parser: through the lead's
 * `loadBundledEntities` (src/sources/load.ts) when it is in the tree, otherwise through the same
 * import plan and bundle reader the CLI's `lists import` uses.
 */
export async function loadEntities(): Promise<ListEntity[]> {
  const loader = resolve(here, "../src/sources/load.ts");
  if (existsSync(loader)) {
    // Imported by path so this script still type-checks before load.ts exists.
    const mod = (await import(pathToFileURL(loader).href)) as {
      loadBundledEntities: (lists?: string[]) => Promise<ListEntity[]>;
    };
    return mod.loadBundledEntities();
  }
  const { bundles } = await planImport([resolve(here, "../data/lists")]);
  const entities: ListEntity[] = [];
  for (const bundle of bundles) entities.push(...(await readBundle(bundle)).entities);
  return entities;
}

export type Row = Record<string, string>;
export const readCsv = (file: string): Row[] =>
  parse(readFileSync(resolve(EVAL_DIR, file)), { columns: true, skip_empty_lines: true, bom: true }) as Row[];

const asSchema = (s: string | undefined): EntitySchema | undefined =>
  s && (ENTITY_SCHEMAS as readonly string[]).includes(s) ? (s as EntitySchema) : undefined;

export function queryOf(row: Row): PartyQuery {
  const q: PartyQuery = { name: row.name ?? row.full_name ?? "" };
  const schema = asSchema(row.schema) ?? (row.full_name !== undefined ? "Person" : undefined);
  if (schema) q.schema = schema;
  const country = row.country ?? row.nationality;
  if (country) q.country = country;
  const dob = row.dob ?? row.date_of_birth;
  if (dob) q.dob = dob;
  return q;
}

export const listsOf = (row: Row): string[] | undefined =>
  !row.lists || row.lists === "all" ? undefined : row.lists.split(/[,;|]/).map((s) => s.trim());

/** One screened row: the expected entity's score (or -1 when not returned) and the best score. */
interface Outcome {
  kind: string;
  expectedScore: number;
  expectedRank: number;
  topScore: number;
}

const SWEEP = [0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function outcome(kind: string, results: MatchResult[], isExpected: (r: MatchResult) => boolean): Outcome {
  const rank = results.findIndex(isExpected);
  return {
    kind,
    expectedScore: rank >= 0 ? results[rank]!.score : -1,
    expectedRank: rank,
    topScore: results[0]?.score ?? -1,
  };
}

/** Folded words, as written and sorted, for the independent closeness check on the UN typo set. */
const foldedWords = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const sortedWords = (s: string) => foldedWords(s).split(" ").sort().join(" ");

/** Targets from issue 3, by kind prefix. */
const RECALL_TARGETS: Array<[RegExp, number]> = [
  [/^cross-list/, 0.97],
  [/^perturbed/, 0.97],
  [/^cross-script$/, 0.85],
  [/^eu-script \(cyrillic\)/, 0.92],
  [/^eu-script \(persian-arabic\)/, 0.75],
];

/**
 * The writing system a name is written in, first pattern that fits: the synthetic negatives'
 * false-positive rate is also given per script (a customer base in one script sees that rate, not
 * the average), and `profile-parties.ts` splits screening time the same way. Hangul and kana come
 * before Han because Korean and Japanese names may hold Han characters too.
 */
export const NAME_SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ["ASCII", /^[\x20-\x7e]*$/],
  ["Arabic", /[\u0600-\u06ff]/],
  ["Cyrillic", /[\u0400-\u04ff]/],
  ["Hangul", /[\uac00-\ud7af]/],
  ["kana", /[\u3040-\u30ff]/],
  ["Han", /[\u4e00-\u9fff]/],
  ["Hebrew", /[\u0590-\u05ff]/],
  ["Greek", /[\u0370-\u03ff]/],
  ["Latin with diacritics", /^[\p{Script=Latin}\s\p{P}]*$/u],
];

/**
 * The label of `NAME_SCRIPTS` a name falls under, or "other".
 *
 * @example
 * scriptOf("王明山") // "Han"
 */
export const scriptOf = (name: string): string =>
  NAME_SCRIPTS.find(([, pattern]) => pattern.test(name))?.[0] ?? "other";

/**
 * Runs the party evaluation. Returns printable lines and whether every target was met.
 *
 * @example
 * const { passed, lines } = await evalParties();
 */
export async function evalParties(
  screenerIn?: Screener,
  threshold = DEFAULT_MATCH_THRESHOLD,
): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const started = performance.now();
  const screener = screenerIn ?? createScreener(await loadEntities());
  lines.push(
    `index: ${screener.entityCount} entities, ${screener.nameCount} names, lists ${screener.listIds.join(", ")} (${((performance.now() - started) / 1000).toFixed(1)} s incl. parsing)`,
  );
  // Screen at the lower cut-off so one pass gives every threshold of the sweep.
  const opts = (lists: string[] | undefined) => ({ ...(lists ? { lists } : {}), threshold: 0, limit: 10 });
  // The same rows by name alone: without links through the records of lists outside a row's
  // selection. The rows are drawn from the loaded lists, so a link often starts at the row's own
  // record; this column measures the name matcher itself.
  const alone = (lists: string[] | undefined) => ({ ...opts(lists), viaOtherLists: false });
  const outcomes: Outcome[] = [];
  const aloneOutcomes: Outcome[] = [];
  const misses: string[] = [];
  // A negative flagged at the threshold is listed with the misses (EVAL_MISSES=1), so a method
  // change can be judged by which false positives it adds or removes, not only by how many.
  const negative = (kind: string, name: string, results: MatchResult[]): Outcome => {
    const o = outcome(kind, results, () => false);
    if (o.topScore >= threshold)
      misses.push(
        `false positive: ${kind} | ${name} → ${results[0]!.entityId} ${results[0]!.name} ${o.topScore}`,
      );
    return o;
  };
  // The negatives of each kind, kept for the links check below.
  const negatives: Record<"negative" | "synthetic-negative", PartyQuery[]> = {
    negative: [],
    "synthetic-negative": [],
  };
  for (const file of ["labelled-queries.csv", "script-queries.csv"]) {
    for (const row of readCsv(file)) {
      const kind = row.kind ?? "?";
      const q = queryOf(row);
      if (kind === "negative") {
        negatives.negative.push(q);
        outcomes.push(negative(kind, q.name, screener.screen(q, opts(undefined))));
        continue;
      }
      const results = screener.screen(q, opts(listsOf(row)));
      const o = outcome(kind, results, (r) => r.entityId === row.expected);
      outcomes.push(o);
      aloneOutcomes.push(
        outcome(kind, screener.screen(q, alone(listsOf(row))), (r) => r.entityId === row.expected),
      );
      if (o.expectedScore < threshold)
        misses.push(
          `${kind} | ${row.name} → ${row.expected} (${o.expectedScore}) top ${results[0]?.entityId ?? "-"} ${results[0]?.name ?? ""} ${o.topScore}`,
        );
    }
  }
  // UN typo positives: no expected id in the file. A hit is a `un` result at the threshold whose
  // matched list name is close to the query by an independent measure (Jaro-Winkler ≥ 0.85 on the
  // folded, word-sorted names), so a match to some other listed person does not count.
  for (const row of readCsv("positives-un-typos.csv")) {
    const q = queryOf(row);
    const results = screener.screen(q, opts(["un"]));
    const target = sortedWords(q.name);
    const plain = foldedWords(q.name);
    const close = (r: MatchResult) => {
      const listed = r.explanation.listNameReading ?? r.explanation.listName;
      return (
        jaroWinkler(target, sortedWords(listed)) >= 0.85 || jaroWinkler(plain, foldedWords(listed)) >= 0.85
      );
    };
    const o = outcome("un-typos", results, close);
    outcomes.push(o);
    aloneOutcomes.push(outcome("un-typos", screener.screen(q, alone(["un"])), close));
    if (o.expectedScore < threshold)
      misses.push(`un-typos | ${q.name} top ${results[0]?.name ?? "-"} ${o.topScore}`);
  }
  const screenStart = performance.now();
  let synthetic = 0;
  /** Per script of the name: synthetic negatives, and how many were flagged at the threshold. */
  const byScript = new Map<string, { names: number; flagged: number }>();
  for (const row of readCsv("negatives-us-synthetic.csv")) {
    const q = queryOf(row);
    negatives["synthetic-negative"].push(q);
    const o = negative("synthetic-negative", q.name, screener.screen(q, opts(undefined)));
    outcomes.push(o);
    synthetic++;
    const script = scriptOf(q.name);
    const counts = byScript.get(script) ?? { names: 0, flagged: 0 };
    counts.names++;
    if (o.topScore >= threshold) counts.flagged++;
    byScript.set(script, counts);
  }
  const syntheticSeconds = (performance.now() - screenStart) / 1000;
  // Negatives are screened against every list above, where no link can start. Against one list,
  // a negative that nearly equals a record of another list would be linked onwards: count how
  // often that adds a false positive.
  const linkFalsePositives: string[] = [];
  const top = (results: MatchResult[]) => results[0]?.score ?? -1;
  for (const [kind, queries] of Object.entries(negatives)) {
    let flaggedAlone = 0;
    let flaggedLinked = 0;
    for (const q of queries) {
      if (top(screener.screen(q, alone(["ofac-sdn"]))) >= threshold) flaggedAlone++;
      if (top(screener.screen(q, opts(["ofac-sdn"]))) >= threshold) flaggedLinked++;
    }
    linkFalsePositives.push(
      `${kind} against ofac-sdn alone: FPR ${pct(flaggedAlone / queries.length)} (${flaggedAlone}) by name alone, ${pct(flaggedLinked / queries.length)} (${flaggedLinked}) with links`,
    );
  }

  const kinds = [...new Set(outcomes.map((o) => o.kind))];
  let passed = true;
  lines.push(`threshold ${threshold}`);
  lines.push("kind | rows | recall | top-1 | target | recall by name alone");
  for (const kind of kinds) {
    const rows = outcomes.filter((o) => o.kind === kind);
    const aloneRows = aloneOutcomes.filter((o) => o.kind === kind);
    const aloneRecall = aloneRows.filter((o) => o.expectedScore >= threshold).length / aloneRows.length;
    if (kind.endsWith("negative")) {
      const fp = rows.filter((o) => o.topScore >= threshold).length;
      const fpr = fp / rows.length;
      const ok = fpr <= 0.01;
      passed &&= ok;
      lines.push(`${kind} | ${rows.length} | FPR ${pct(fpr)} (${fp}) | - | ≤ 1% ${ok ? "ok" : "MISSED"}`);
      continue;
    }
    const hits = rows.filter((o) => o.expectedScore >= threshold).length;
    const top1 = rows.filter((o) => o.expectedRank === 0 && o.expectedScore >= threshold).length;
    const target = RECALL_TARGETS.find(([re]) => re.test(kind))?.[1];
    const recall = hits / rows.length;
    const ok = target === undefined || recall >= target;
    // The rows come from the loaded lists, so links often start at a row's own record: the name
    // matcher must meet the target by name alone too. Shared-alias rows are exempt: their two
    // records are the same party by a shared alias, and some share no word at all.
    const aloneGated = target !== undefined && kind !== "cross-list (shared alias)";
    const aloneOk = !aloneGated || aloneRecall >= target;
    passed &&= ok && aloneOk;
    lines.push(
      `${kind} | ${rows.length} | ${pct(recall)} | ${pct(top1 / rows.length)} | ${target === undefined ? "-" : `≥ ${pct(target)} ${ok ? "ok" : "MISSED"}`} | ${pct(aloneRecall)}${aloneGated ? (aloneOk ? " ok" : " MISSED") : ""}`,
    );
  }
  lines.push(...linkFalsePositives);
  lines.push(
    `synthetic-negative FPR by script of the name (not a target): ${[...byScript.entries()]
      .sort((a, b) => b[1].names - a[1].names)
      .map(([script, c]) => `${script} ${pct(c.flagged / c.names)} (${c.flagged} of ${c.names})`)
      .join(", ")}`,
  );
  lines.push(
    `synthetic negatives screened in ${syntheticSeconds.toFixed(1)} s (${Math.round(synthetic / syntheticSeconds)} names/s, one thread, incl. explanations)`,
  );
  lines.push("threshold sweep (recall on positives by group | FPR congress | FPR synthetic):");
  const group = (o: Outcome) =>
    o.kind.startsWith("cross-list") || o.kind.startsWith("perturbed")
      ? "list+perturbed"
      : o.kind === "cross-script"
        ? "cross-script"
        : o.kind.includes("cyrillic")
          ? "cyrillic"
          : o.kind.includes("persian")
            ? "persian-arabic"
            : o.kind;
  for (const t of SWEEP) {
    const parts: string[] = [];
    for (const g of ["list+perturbed", "cross-script", "cyrillic", "persian-arabic", "un-typos"]) {
      const rows = outcomes.filter((o) => group(o) === g);
      parts.push(`${g} ${pct(rows.filter((o) => o.expectedScore >= t).length / rows.length)}`);
    }
    for (const g of ["negative", "synthetic-negative"]) {
      const rows = outcomes.filter((o) => o.kind === g);
      parts.push(`${g} ${pct(rows.filter((o) => o.topScore >= t).length / rows.length)}`);
    }
    lines.push(`  ${t.toFixed(2)}: ${parts.join(" | ")}`);
  }
  if (process.env.EVAL_MISSES) lines.push(...misses.map((m) => `  miss: ${m}`));
  return { passed, lines };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { passed, lines } = await evalParties();
  for (const line of lines) console.log(line);
  process.exitCode = passed ? 0 : 1;
}
