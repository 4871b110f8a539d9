// Worker thread for batch screening: reads the lists from the store and its index from the home's
// cache (see screener-cache.ts), then answers chunks of rows. See screen-batch.ts for the protocol.
import { parentPort, workerData } from "node:worker_threads";
import type { createScreener, ScreenOptions } from "../matching/index.js";
import type { PartyRow } from "./party-rows.js";
import { type EntitySource, type ScreenedRow, screenOne } from "./screen-batch.js";
import { loadScreener } from "./screener-cache.js";

const { source, threshold } = workerData as { source: EntitySource; threshold?: number };
let screener: ReturnType<typeof createScreener>;
try {
  ({ screener } = await loadScreener(
    source.location,
    source.lists,
    threshold !== undefined ? { threshold } : {},
  ));
  parentPort?.postMessage({ type: "ready" });
} catch (error) {
  parentPort?.postMessage({ type: "failed", error: error instanceof Error ? error.message : String(error) });
  throw error;
}

parentPort?.on(
  "message",
  (message: { type: string; seq: number; rows: PartyRow[]; options: ScreenOptions }) => {
    if (message.type !== "screen") return;
    const results: ScreenedRow[] = message.rows.map((row) =>
      screenOne((query, options) => screener.screen(query, options), row, message.options),
    );
    parentPort?.postMessage({ type: "results", seq: message.seq, results });
  },
);
