// Worker thread for batch screening: builds its own screener from the entities it was given, then
// answers chunks of rows. See screen-batch.ts for the protocol.
import { parentPort, workerData } from "node:worker_threads";
import { createScreener, type ScreenOptions } from "../matching/index.js";
import type { ListEntity } from "../model/index.js";
import type { PartyRow } from "./party-rows.js";
import { rowQuery, type ScreenedRow } from "./screen-batch.js";

const { entities, threshold } = workerData as { entities: ListEntity[]; threshold?: number };
const screener = createScreener(entities, threshold !== undefined ? { threshold } : {});
parentPort?.postMessage({ type: "ready" });

parentPort?.on(
  "message",
  (message: { type: string; seq: number; rows: PartyRow[]; options: ScreenOptions }) => {
    if (message.type !== "screen") return;
    const results: ScreenedRow[] = message.rows.map((row) => {
      if (!row.name) return { id: row.id, name: row.name, matches: [], issues: row.issues };
      try {
        return {
          id: row.id,
          name: row.name,
          matches: screener.screen(rowQuery(row), message.options),
          issues: row.issues,
        };
      } catch (error) {
        return {
          id: row.id,
          name: row.name,
          matches: [],
          issues: [...row.issues, { code: "screening-failed", message: String(error), field: "name" }],
        };
      }
    });
    parentPort?.postMessage({ type: "results", seq: message.seq, results });
  },
);
