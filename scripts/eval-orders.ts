/**
 * Order-screening eval: runs every case of `data/eval/orders.json` through the real pipeline
 * (bundled lists → party screening and address matching, bundled controls → item
 * classification, default rule pack and policy) and checks the decision and the exact set of
 * triggered rules (or, for invalid input, the decision and the paths of the validation errors).
 *
 * Run: `npx tsx scripts/eval-orders.ts` (exit code 1 when a case fails).
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readItemControls } from "../src/cli/items-command.js";
import { createOrderPipeline, loadOrderRules } from "../src/jobs/order-screening.js";
import type { ListEntity } from "../src/model/entity.js";
import { parseOrder } from "../src/model/order.js";
import { customerKeyOf } from "../src/orders/facts.js";
import { invalidOrderResult } from "../src/orders/screen-order.js";
import type { HistoricOrder, OrderResult } from "../src/orders/types.js";
import { planImport } from "../src/sources/detect.js";
import { readBundle } from "../src/sources/read-bundle.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ORDERS_EVAL_FILE = join(ROOT, "data", "eval", "orders.json");

interface EvalCase {
  id: string;
  kind: string;
  reason: string;
  today: string;
  expected: { decision: string; triggered: string[]; errorPaths?: string[] };
  order: unknown;
  history?: unknown[];
}

async function bundledEntities(): Promise<ListEntity[]> {
  const plan = await planImport([join(ROOT, "data", "lists")]);
  const entities: ListEntity[] = [];
  for (const bundle of plan.bundles) entities.push(...(await readBundle(bundle)).entities);
  return entities;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * Runs the order eval and returns whether every case passed, with a report (one line per
 * failure, then per-kind and per-rule summaries).
 *
 * @example
 * const { passed, lines } = await evalOrders();
 */
export async function evalOrders(): Promise<{ passed: boolean; lines: string[] }> {
  const started = Date.now();
  const data = JSON.parse(await readFile(ORDERS_EVAL_FILE, "utf8")) as { cases: EvalCase[] };
  const [rules, controls, entities] = await Promise.all([
    loadOrderRules(),
    readItemControls(),
    bundledEntities(),
  ]);
  const pipeline = createOrderPipeline({ entities, controls, rules });
  const ready = Date.now();
  const lines: string[] = [];
  const byKind = new Map<string, { total: number; passed: number }>();
  const outcomes = new Map<string, { triggered: number; could_not_run: number }>();
  const confusion = new Map<string, number>();
  let failures = 0;
  for (const c of data.cases) {
    const kind = byKind.get(c.kind) ?? { total: 0, passed: 0 };
    byKind.set(c.kind, kind);
    kind.total++;
    const problems: string[] = [];
    const parsed = parseOrder(c.order);
    let result: OrderResult;
    if (!parsed.ok) {
      result = invalidOrderResult(parsed.id, parsed.errors, rules.policy);
      const paths = parsed.errors.map((e) => e.path);
      const missingPaths = (c.expected.errorPaths ?? []).filter((p) => !paths.includes(p));
      if (!c.expected.errorPaths)
        problems.push(
          `unexpected validation errors: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
        );
      if (missingPaths.length)
        problems.push(`expected errors at ${missingPaths.join(", ")}; got ${paths.join(", ")}`);
    } else {
      if (c.expected.errorPaths) problems.push("expected validation errors, order was valid");
      const history: HistoricOrder[] = [];
      for (const raw of c.history ?? []) {
        const past = parseOrder(raw);
        if (!past.ok) {
          problems.push(
            `history order invalid: ${past.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
          );
          continue;
        }
        history.push({
          orderId: past.order.id,
          orderDate: past.order.date,
          customerKey: customerKeyOf(past.order),
          order: past.order,
        });
      }
      result = pipeline.screen(parsed.order, history, c.today);
      const triggered = result.flags.filter((f) => f.outcome === "triggered").map((f) => f.rule);
      if (!sameSet(triggered, c.expected.triggered)) {
        const extra = triggered.filter((r) => !c.expected.triggered.includes(r));
        const missing = c.expected.triggered.filter((r) => !triggered.includes(r));
        problems.push(
          `triggered ${extra.length ? `+[${extra.join(", ")}] ` : ""}${missing.length ? `-[${missing.join(", ")}]` : ""}`.trim(),
        );
      }
      for (const f of result.flags) {
        const o = outcomes.get(f.rule) ?? { triggered: 0, could_not_run: 0 };
        if (f.outcome === "triggered") o.triggered++;
        if (f.outcome === "could_not_run") o.could_not_run++;
        outcomes.set(f.rule, o);
      }
    }
    const key = `${c.expected.decision}→${result.decision}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    if (result.decision !== c.expected.decision)
      problems.unshift(`decision ${result.decision}, expected ${c.expected.decision}`);
    if (problems.length === 0) kind.passed++;
    else {
      failures++;
      lines.push(`FAIL ${c.id} (${c.kind}): ${problems.join("; ")}`);
      lines.push(`     reason: ${c.reason}`);
      lines.push(`     why: ${result.reasons.map((r) => `${r.rule ?? ""} ${r.clause}`).join(", ") || "-"}`);
    }
  }
  const total = data.cases.length;
  lines.push(
    `orders eval: ${total - failures}/${total} cases pass (${[...byKind].map(([k, v]) => `${k} ${v.passed}/${v.total}`).join(", ")}); ` +
      `setup ${((ready - started) / 1000).toFixed(1)} s, screening ${(Date.now() - ready) / 1000} s`,
  );
  lines.push(`  expected→actual decisions: ${[...confusion].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const coverage = rules.pack.rules.map((r) => `${r.id} ${outcomes.get(r.id)?.triggered ?? 0}`);
  lines.push(`  cases triggering each rule: ${coverage.join(", ")}`);
  const untested = rules.pack.rules.filter((r) => !outcomes.get(r.id)?.triggered).map((r) => r.id);
  if (untested.length) lines.push(`  rules no case triggers: ${untested.join(", ")}`);
  return { passed: failures === 0 && total >= 60, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, lines } = await evalOrders();
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = passed ? 0 : 1;
}
