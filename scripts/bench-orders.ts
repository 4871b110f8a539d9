/**
 * Order-screening throughput: screens the eval orders repeatedly through the real pipeline
 * (party screening, address matching, item classification, rules) after a one-off setup.
 *
 * Run: `npx tsx scripts/bench-orders.ts`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readItemControls } from "../src/cli/items-command.js";
import { createOrderPipeline, loadOrderRules } from "../src/cli/orders-command.js";
import type { ListEntity } from "../src/model/entity.js";
import { type Order, parseOrder } from "../src/model/order.js";
import { planImport } from "../src/sources/detect.js";
import { readBundle } from "../src/sources/read-bundle.js";
import { ORDERS_EVAL_FILE } from "./eval-orders.js";

/**
 * Returns report lines: setup time and orders per second.
 *
 * @example
 * for (const line of await benchOrders()) console.log(line);
 */
export async function benchOrders(rounds = 20): Promise<string[]> {
  const started = Date.now();
  const plan = await planImport([join(ORDERS_EVAL_FILE, "..", "..", "lists")]);
  const entities: ListEntity[] = [];
  for (const bundle of plan.bundles) entities.push(...(await readBundle(bundle)).entities);
  const pipeline = createOrderPipeline({
    entities,
    controls: await readItemControls(),
    rules: await loadOrderRules(),
  });
  const cases = (JSON.parse(await readFile(ORDERS_EVAL_FILE, "utf8")) as { cases: Array<{ order: unknown }> })
    .cases;
  const orders: Order[] = cases.flatMap((c) => {
    const parsed = parseOrder(c.order);
    return parsed.ok ? [parsed.order] : [];
  });
  const setup = Date.now() - started;
  const t0 = performance.now();
  for (let round = 0; round < rounds; round++)
    for (const order of orders) pipeline.screen(order, [], "2025-03-20");
  const ms = performance.now() - t0;
  const count = rounds * orders.length;
  return [
    `orders bench: ${count} orders (${orders.length} × ${rounds}) in ${(ms / 1000).toFixed(2)} s = ${Math.round((count / ms) * 1000)} orders/s, ${(ms / count).toFixed(2)} ms/order; setup (lists, indexes, controls) ${(setup / 1000).toFixed(1)} s`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchOrders()) process.stdout.write(`${line}\n`);
}
