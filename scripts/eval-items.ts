// Item classification accuracy on data/eval/items.csv: lines built from public facts (HS 2022
// nomenclature and chapter notes, makers' part numbering, the June 2023 advisory), each with the
// expected CHPL tier, UAV flag and category, and the reason for the label.
// Run alone: `npx tsx scripts/eval-items.ts`; or with the others: `npm run eval items`.
import { fileURLToPath } from "node:url";
import { readItemControls, topChplTier, uavCategories } from "../src/cli/items-command.js";
import { classifyItem } from "../src/items/index.js";
import { csvRows } from "../src/sources/io.js";

const EVAL_FILE = fileURLToPath(new URL("../data/eval/items.csv", import.meta.url));

/** Targets from issue 4. */
const TARGETS = { chplTier: 0.95, uavFlag: 0.95 } as const;

const pct = (n: number, d: number): string => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);

/**
 * Runs the labelled item set and checks the targets: CHPL tier right >= 95%, UAV flag right
 * >= 95%, no control hit at all on plainly uncontrolled goods.
 *
 * @example
 * const { passed, lines } = await evalItems();
 */
export async function evalItems(file: string = EVAL_FILE): Promise<{ passed: boolean; lines: string[] }> {
  const controls = await readItemControls();
  let header: string[] | null = null;
  let total = 0;
  let tierRight = 0;
  let uavRight = 0;
  let categoryRight = 0;
  let categoryTotal = 0;
  let uncontrolled = 0;
  let uncontrolledHits = 0;
  const byKind = new Map<string, { n: number; tier: number; uav: number }>();
  const misses: string[] = [];
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
    total++;
    const tier = topChplTier(result) ?? "";
    const categories = uavCategories(result);
    const expectedTier = get("expected_chpl_tier");
    const expectedUav = get("expected_uav") === "yes";
    const expectedCategories = get("expected_uav_category").split("|").filter(Boolean);
    const tierOk = tier === expectedTier;
    const uavOk = categories.length > 0 === expectedUav;
    if (tierOk) tierRight++;
    if (uavOk) uavRight++;
    if (expectedUav && categories.length > 0) {
      categoryTotal++;
      if (expectedCategories.some((category) => categories.includes(category))) categoryRight++;
    }
    const kind = get("kind");
    const stats = byKind.get(kind) ?? { n: 0, tier: 0, uav: 0 };
    stats.n++;
    stats.tier += tierOk ? 1 : 0;
    stats.uav += uavOk ? 1 : 0;
    byKind.set(kind, stats);
    if (kind === "uncontrolled") {
      uncontrolled++;
      if (result.controls.length > 0) uncontrolledHits++;
    }
    if (!tierOk || !uavOk) {
      misses.push(
        `  ${get("id")} [${kind}] ${JSON.stringify(get("description") || get("part_number") || get("hs_code"))}: ` +
          `tier ${tier || "-"} (want ${expectedTier || "-"}), uav ${categories.join("+") || "no"} (want ${expectedUav ? expectedCategories.join("|") : "no"})`,
      );
    }
  }
  const tierRate = tierRight / total;
  const uavRate = uavRight / total;
  const passed = tierRate >= TARGETS.chplTier && uavRate >= TARGETS.uavFlag && uncontrolledHits === 0;
  const lines = [
    `item lines: ${total} (${file.split("/").slice(-3).join("/")})`,
    `CHPL tier right: ${tierRight}/${total} = ${pct(tierRight, total)} (target ${TARGETS.chplTier * 100}%)`,
    `UAV flag right:  ${uavRight}/${total} = ${pct(uavRight, total)} (target ${TARGETS.uavFlag * 100}%)`,
    `UAV category right when flagged: ${categoryRight}/${categoryTotal} = ${pct(categoryRight, categoryTotal)}`,
    `control hits on plainly uncontrolled goods: ${uncontrolledHits}/${uncontrolled} (target 0)`,
    "by kind (tier right / UAV right / lines):",
    ...[...byKind].map(([kind, s]) => `  ${kind.padEnd(16)} ${s.tier}/${s.uav}/${s.n}`),
  ];
  if (misses.length > 0) lines.push("misses:", ...misses);
  return { passed, lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { passed, lines } = await evalItems(process.argv[2]);
  for (const line of lines) console.log(line);
  console.log(passed ? "items: all targets met" : "items: TARGETS MISSED");
  process.exitCode = passed ? 0 : 1;
}
