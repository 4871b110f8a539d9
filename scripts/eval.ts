// `npm run eval`: every accuracy evaluation, on the labelled real data in ../shared/data/eval and
// the project's own labelled item and order sets. Exits non-zero when a target is missed.
import { evalItems } from "./eval-items.js";
import { evalOrders } from "./eval-orders.js";
import { evalParties } from "./eval-parties.js";

const suites: Array<[string, () => Promise<{ passed: boolean; lines: string[] }>]> = [
  ["parties", evalParties],
  ["items", evalItems],
  ["orders", evalOrders],
];
const only = process.argv.slice(2);
let failed = 0;
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  const started = performance.now();
  const result = await run();
  for (const line of result.lines) console.log(line);
  console.log(
    `${name}: ${result.passed ? "all targets met" : "TARGETS MISSED"} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (!result.passed) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
