// How screening scales over this machine's cores: the 50,000 synthetic names split in two halves,
// one half screened by one worker thread alone, then both halves by two worker threads at once
// (each thread restores its screener from one shared snapshot, as `screen --workers` does). With
// perfect scaling both would take the same time; the ratio is what two cores give here, before
// any CSV, JSON or queue work. Runs standalone: `npx tsx scripts/bench-threads.ts`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { parse } from "csv-parse/sync";
import { decodeSnapshot, encodeSnapshot } from "../src/jobs/snapshot-file.js";
import { startModuleWorker } from "../src/jobs/worker-thread.js";
import { createScreener, restoreScreener, type ScreenerSnapshot } from "../src/matching/index.js";
import { EVAL_DIR, loadEntities } from "./eval-parties.js";

interface ThreadJob {
  snapshot: SharedArrayBuffer;
  names: string[];
}
interface ThreadResult {
  restoreMs: number;
  screenMs: number;
}

/** Worker side: restore from the shared snapshot, screen the names, report the times. */
function screenInThread({ snapshot, names }: ThreadJob): ThreadResult {
  const started = performance.now();
  const screener = restoreScreener(decodeSnapshot(new Uint8Array(snapshot)) as ScreenerSnapshot);
  const restored = performance.now();
  for (const name of names) screener.screen({ name, schema: "Person" });
  return { restoreMs: restored - started, screenMs: performance.now() - restored };
}

function runThreads(snapshot: SharedArrayBuffer, parts: string[][]): Promise<ThreadResult[]> {
  return Promise.all(
    parts.map(
      (names) =>
        new Promise<ThreadResult>((done, fail) => {
          const job: ThreadJob = { snapshot, names };
          const worker = startModuleWorker(new URL(import.meta.url), job);
          worker.once("message", (result: ThreadResult) => {
            done(result);
            void worker.terminate();
          });
          worker.once("error", fail);
        }),
    ),
  );
}

/**
 * Runs the benchmark and returns printable lines.
 *
 * @example
 * for (const line of await benchThreads()) console.log(line);
 */
export async function benchThreads(): Promise<string[]> {
  const bytes = encodeSnapshot(createScreener(await loadEntities()).snapshot());
  const snapshot = new SharedArrayBuffer(bytes.length);
  new Uint8Array(snapshot).set(bytes);
  const rows = parse(readFileSync(resolve(EVAL_DIR, "negatives-us-synthetic.csv")), {
    columns: true,
    bom: true,
  }) as Record<string, string>[];
  const names = rows.map((r) => r.full_name ?? "");
  const halves = [0, 1].map((h) => names.filter((_, i) => i % 2 === h));
  // Interleaved rounds, best of each: the machine is shared.
  let alone = Number.POSITIVE_INFINITY;
  let together = Number.POSITIVE_INFINITY;
  let restore = 0;
  for (let round = 0; round < 3; round++) {
    const [one] = await runThreads(snapshot, [halves[0]!]);
    alone = Math.min(alone, one!.screenMs);
    const both = await runThreads(snapshot, halves);
    together = Math.min(together, Math.max(...both.map((r) => r.screenMs)));
    restore = Math.max(restore, ...both.map((r) => r.restoreMs));
  }
  return [
    `threads: ${halves[0]!.length} names on one worker thread alone ${(alone / 1000).toFixed(2)} s; two threads screening a half each at once ${(together / 1000).toFixed(2)} s (${Math.round((100 * together) / alone)}% of alone; 100% would be perfect scaling); a thread restores the shared snapshot in ${restore.toFixed(0)} ms`,
  ];
}

if (!isMainThread && (workerData as ThreadJob | undefined)?.snapshot) {
  parentPort?.postMessage(screenInThread(workerData as ThreadJob));
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const line of await benchThreads()) console.log(line);
}
