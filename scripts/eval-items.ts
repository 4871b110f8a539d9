// Item classification accuracy on data/eval/items.csv: lines built from public facts (HS 2022
// nomenclature and chapter notes, makers' part numbering, the June 2023 advisory), each with the
// expected CHPL tier, UAV flag and category, and the reason for the label. A second, independent
// set (data/eval/items-independent.csv, labelled by a reviewer who had not read the classifier) is
// scored the same way and reported, but does not gate the run: it is a check against tuning the
// method to our own labels.
// Run alone: `npx tsx scripts/eval-items.ts [FILE]`; or with the others: `npm run eval items`.
import { fileURLToPath } from "node:url";
import { readItemControls, topChplTier, uavCategories } from "../src/cli/items-command.js";
import { classifyItem, type ItemControls } from "../src/items/index.js";
import { csvRows } from "../src/sources/io.js";

const EVAL_FILE = fileURLToPath(new URL("../data/eval/items.csv", import.meta.url));
const INDEPENDENT_FILE = fileURLToPath(new URL("../data/eval/items-independent.csv", import.meta.url));

/** Targets from issue 4. */
const TARGETS = { chplTier: 0.95, uavFlag: 0.95 } as const;

// The independent set spells some labels its own way ("Tier 1", "true", "other-ics").
const CATEGORY_ALIASES: Record<string, string> = {
  "processors-controllers": "processors-and-controllers",
  "other-ics": "other-integrated-circuits",
};

const pct = (n: number, d: number): string => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);

/** Scores of one labelled set. */
export interface ItemSetScore {
  file: string;
  total: number;
  tierRight: number;
  uavRight: number;
  categoryRight: number;
  categoryTotal: number;
  uncontrolled: number;
  uncontrolledHits: number;
  byKind: Map<string, { n: number; tier: number; uav: number }>;
  misses: string[];
}

/**
 * Classifies every line of a labelled set and counts what came out right. Reads either layout:
 * ours (`kind` column, tiers "1", UAV "yes") or the independent one (tiers "Tier 1", UAV "true",
 * the kind read from the reason's first word, such as "uncontrolled:" or "trap:").
 *
 * @example
 * const score = await scoreItemSet("data/eval/items.csv", await readItemControls());
 */
export async function scoreItemSet(file: string, controls: ItemControls): Promise<ItemSetScore> {
  const score: ItemSetScore = {
    file,
    total: 0,
    tierRight: 0,
    uavRight: 0,
    categoryRight: 0,
    categoryTotal: 0,
    uncontrolled: 0,
    uncontrolledHits: 0,
    byKind: new Map(),
    misses: [],
  };
  let header: string[] | null = null;
  for await (const { fields } of csvRows(file)) {
    if (!header) {
      header = fields;
      continue;
    }
    const get = (name: string): string => fields[header!.indexOf(name)] ?? "";
    const result = classifyItem(
      {
        id: get("id"),
        hs_code: get("hs_code"),
        description: get("description"),
        manufacturer: get("manufacturer"),
        part_number: get("part_number"),
      },
      controls,
    );
    score.total++;
    const tier = topChplTier(result) ?? "";
    const categories = uavCategories(result);
    const expectedTier = get("expected_chpl_tier").replace(/^\s*tier\s*/i, "");
    const expectedUav = ["yes", "true"].includes(get("expected_uav").trim().toLowerCase());
    const expectedCategories = get("expected_uav_category")
      .split("|")
      .filter(Boolean)
      .map((category) => CATEGORY_ALIASES[category] ?? category);
    const tierOk = tier === expectedTier;
    const uavOk = categories.length > 0 === expectedUav;
    if (tierOk) score.tierRight++;
    if (uavOk) score.uavRight++;
    if (expectedUav && categories.length > 0) {
      score.categoryTotal++;
      if (expectedCategories.some((category) => categories.includes(category))) score.categoryRight++;
    }
    const kind = header.includes("kind") ? get("kind") : kindFromReason(get("reason"));
    const stats = score.byKind.get(kind) ?? { n: 0, tier: 0, uav: 0 };
    stats.n++;
    stats.tier += tierOk ? 1 : 0;
    stats.uav += uavOk ? 1 : 0;
    score.byKind.set(kind, stats);
    if (kind === "uncontrolled") {
      score.uncontrolled++;
      if (result.controls.length > 0) score.uncontrolledHits++;
    }
    if (!tierOk || !uavOk) {
      score.misses.push(
        `  ${get("id")} [${kind}] ${JSON.stringify(get("description") || get("part_number") || get("hs_code"))}: ` +
          `tier ${tier || "-"} (want ${expectedTier || "-"}), uav ${categories.join("+") || "no"} (want ${expectedUav ? expectedCategories.join("|") : "no"})`,
      );
    }
  }
  return score;
}

/** The independent set has no kind column; its reasons start "uncontrolled:", "trap:", "review:", "bad code:". */
function kindFromReason(reason: string): string {
  const head = /^\s*(uncontrolled|trap|review|bad code)\s*:/i.exec(reason)?.[1]?.toLowerCase();
  return head ? head.replace(" ", "-") : "labelled";
}

function report(score: ItemSetScore, gated: boolean): string[] {
  const { total } = score;
  const target = (value: number): string => (gated ? ` (target ${value * 100}%)` : "");
  const lines = [
    `item lines: ${total} (${score.file.split("/").slice(-3).join("/")})${gated ? "" : " — reported, not gating"}`,
    `CHPL tier right: ${score.tierRight}/${total} = ${pct(score.tierRight, total)}${target(TARGETS.chplTier)}`,
    `UAV flag right:  ${score.uavRight}/${total} = ${pct(score.uavRight, total)}${target(TARGETS.uavFlag)}`,
    `UAV category right when flagged: ${score.categoryRight}/${score.categoryTotal} = ${pct(score.categoryRight, score.categoryTotal)}`,
    `control hits on plainly uncontrolled goods: ${score.uncontrolledHits}/${score.uncontrolled}${gated ? " (target 0)" : ""}`,
    "by kind (tier right / UAV right / lines):",
    ...[...score.byKind].map(([kind, s]) => `  ${kind.padEnd(16)} ${s.tier}/${s.uav}/${s.n}`),
  ];
  if (score.misses.length > 0) lines.push("misses:", ...score.misses);
  return lines;
}

/**
 * Runs the labelled item set and checks the targets: CHPL tier right >= 95%, UAV flag right
 * >= 95%, no control hit at all on plainly uncontrolled goods. Then scores the independent set
 * with the same metrics and reports it without gating (pass `null` to skip it).
 *
 * @example
 * const { passed, lines } = await evalItems();
 */
export async function evalItems(
  file: string = EVAL_FILE,
  independent: string | null = INDEPENDENT_FILE,
): Promise<{ passed: boolean; lines: string[] }> {
  const controls = await readItemControls();
  const main = await scoreItemSet(file, controls);
  const passed =
    main.tierRight / main.total >= TARGETS.chplTier &&
    main.uavRight / main.total >= TARGETS.uavFlag &&
    main.uncontrolledHits === 0;
  const lines = report(main, true);
  if (independent) {
    lines.push("", "independent set:", ...report(await scoreItemSet(independent, controls), false));
  }
  return { passed, lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  const { passed, lines } = await evalItems(file ?? EVAL_FILE, file ? null : INDEPENDENT_FILE);
  for (const line of lines) console.log(line);
  console.log(passed ? "items: all targets met" : "items: TARGETS MISSED");
  process.exitCode = passed ? 0 : 1;
}
