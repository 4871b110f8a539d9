// Item classification speed: 100,000 lines classified in one thread (target < 5 s, issue 4),
// plus the CLI's path (CSV read + classify + JSON line) on the same lines.
// Run alone: `npx tsx scripts/bench-items.ts`; or `npm run bench items`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readItemControls } from "../src/cli/items-command.js";
import { classifyItem } from "../src/items/index.js";
import type { ItemLine } from "../src/model/item.js";
import { csvRows } from "../src/sources/io.js";

const EVAL_FILE = fileURLToPath(new URL("../data/eval/items.csv", import.meta.url));
const LINES = 100_000;
const TARGET_SECONDS = 5;

/** Lines cycled from the labelled set, with ids and numbers varied so no two lines are equal. */
async function benchLines(count: number): Promise<ItemLine[]> {
  const seeds: ItemLine[] = [];
  let header: string[] | null = null;
  for await (const { fields } of csvRows(EVAL_FILE)) {
    if (!header) {
      header = fields;
      continue;
    }
    const get = (name: string): string => fields[header!.indexOf(name)] ?? "";
    seeds.push({
      id: get("id"),
      hs_code: get("hs_code"),
      description: get("description"),
      manufacturer: get("manufacturer"),
      part_number: get("part_number"),
    });
  }
  const lines: ItemLine[] = [];
  for (let i = 0; i < count; i++) {
    const seed = seeds[i % seeds.length]!;
    lines.push({
      ...seed,
      id: `L${i}`,
      description: seed.description ? `${seed.description} qty ${i % 997}` : "",
    });
  }
  return lines;
}

/**
 * Times 100,000 classifications and the CSV-to-JSON-lines path; returns printable lines.
 *
 * @example
 * for (const line of await benchItems()) console.log(line);
 */
export async function benchItems(count: number = LINES): Promise<string[]> {
  let started = performance.now();
  const controls = await readItemControls();
  const loadMs = performance.now() - started;
  const lines = await benchLines(count);

  for (const line of lines.slice(0, 2000)) classifyItem(line, controls); // warm-up (JIT)
  started = performance.now();
  let hits = 0;
  for (const line of lines) hits += classifyItem(line, controls).controls.length > 0 ? 1 : 0;
  const seconds = (performance.now() - started) / 1000;

  const dir = mkdtempSync(join(tmpdir(), "chokepoint-bench-items-"));
  const csv = join(dir, "items.csv");
  const cell = (value: unknown): string => `"${String(value ?? "").replace(/"/g, '""')}"`;
  writeFileSync(
    csv,
    `id,hs_code,description,manufacturer,part_number\n${lines
      .map((l) => [l.id, l.hs_code, l.description, l.manufacturer, l.part_number].map(cell).join(","))
      .join("\n")}\n`,
  );
  started = performance.now();
  let bytes = 0;
  let header = true;
  for await (const { fields } of csvRows(csv)) {
    if (header) {
      header = false;
      continue;
    }
    const [id, hs_code, description, manufacturer, part_number] = fields;
    const result = classifyItem({ id: id ?? "", hs_code, description, manufacturer, part_number }, controls);
    bytes += JSON.stringify({
      id: result.id,
      hsCode: result.hsCode,
      controls: result.controls,
      issues: result.issues,
    }).length;
  }
  const pipeSeconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });

  const rate = Math.round(count / seconds);
  return [
    `items: control lists loaded and compiled in ${loadMs.toFixed(0)} ms`,
    `items: ${count.toLocaleString("en-US")} lines classified in ${seconds.toFixed(2)} s (${rate.toLocaleString("en-US")} lines/s, one thread; ${hits.toLocaleString("en-US")} with a control hit) — target < ${TARGET_SECONDS} s: ${seconds < TARGET_SECONDS ? "met" : "MISSED"}`,
    `items: CSV read + classify + JSON line for the same ${count.toLocaleString("en-US")} lines: ${pipeSeconds.toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MiB of JSON)`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await benchItems()) console.log(line);
}
