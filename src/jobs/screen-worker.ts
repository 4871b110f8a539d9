// Worker thread for batch screening: restores its screener from the index snapshot the main
// thread shares (see screener-cache.ts), then answers chunks of rows, each answer carrying the words
// the chunk made it look up, and takes the words the other threads looked up ("remember"). See
// screen-batch.ts for the protocol.
import { parentPort, workerData } from "node:worker_threads";
import {
  restoreScreener,
  type Screener,
  type ScreenerSnapshot,
  type ScreenOptions,
  type WordMemoSnapshot,
} from "../matching/index.js";
import type { PartyRow } from "./party-rows.js";
import { type ScreenedRow, type ScreenWorkerData, screenOne, type WorkerWords } from "./screen-batch.js";
import { decodeSnapshot } from "./snapshot-file.js";

const { snapshot, words, threshold } = workerData as ScreenWorkerData;
let screener: Screener;
try {
  screener = restoreScreener(
    // The main thread verified these bytes' checksum when it read them.
    decodeSnapshot(new Uint8Array(snapshot), { verify: false }) as ScreenerSnapshot,
    threshold !== undefined ? { threshold } : {},
  );
  if (words) {
    try {
      screener.rememberWords(words);
    } catch {
      // Lookups saved for another index, or damaged: the words are looked up again.
    }
  }
  screener.takeNewLookups(); // starts collecting this thread's lookups, to share after each chunk
  parentPort?.postMessage({ type: "ready" });
} catch (error) {
  parentPort?.postMessage({ type: "failed", error: error instanceof Error ? error.message : String(error) });
  throw error;
}

parentPort?.on(
  "message",
  (message: {
    type: string;
    seq: number;
    rows: PartyRow[];
    options: ScreenOptions;
    limit?: number;
    words?: WordMemoSnapshot;
  }) => {
    if (message.type === "remember" && message.words) {
      try {
        screener.rememberWords(message.words);
      } catch {
        // Only a saving: a word it lacks is looked up here.
      }
      return;
    }
    if (message.type === "words") {
      const reply: WorkerWords = {
        words: screener.lookedUpWords(message.limit, "met"),
        fresh: screener.freshLookups,
      };
      parentPort?.postMessage({ type: "words", ...reply });
      return;
    }
    if (message.type !== "screen") return;
    const results: ScreenedRow[] = message.rows.map((row) =>
      screenOne((query, options) => screener.screen(query, options), row, message.options),
    );
    // The words this chunk made it look up, for the other threads (screen-batch.ts passes them on).
    parentPort?.postMessage({ type: "results", seq: message.seq, results, words: screener.takeNewLookups() });
  },
);
