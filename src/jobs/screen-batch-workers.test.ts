// How batch screening copes with its worker threads misbehaving: the workers are the real ones,
// started through a wrapper that lets a test reach them (stop one, hold back an answer).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listEntitySchema } from "../model/index.js";
import { openStore } from "../store/index.js";
import { saveTestLists } from "../store/testing/lists.js";
import type { PartyRow } from "./party-rows.js";
import { type ScreenedRow, screenRowBatches } from "./screen-batch.js";

const control = vi.hoisted(() => ({
  started: [] as Worker[],
  /** Hold back the answer to chunk 0 this long (0: do not) once it comes. */
  holdFirstAnswerMs: 0,
  /** Chunks sent after chunk 0 and before its answer is let through: every one waits for it. */
  sentBehindFirst: 0,
  firstPending: false,
}));
vi.mock("./worker-thread.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("./worker-thread.js")>();
  return {
    ...original,
    startModuleWorker: (url: URL, data: unknown) => {
      const worker = original.startModuleWorker(url, data);
      control.started.push(worker);
      if (control.holdFirstAnswerMs > 0) {
        const post = worker.postMessage.bind(worker);
        worker.postMessage = (message: { type?: string; seq?: number }) => {
          if (message.type === "screen" && message.seq === 0) control.firstPending = true;
          else if (message.type === "screen" && control.firstPending) control.sentBehindFirst++;
          post(message);
        };
        const emit = worker.emit.bind(worker);
        worker.emit = (event: string | symbol, ...args: unknown[]) => {
          const message = args[0] as { type?: string; seq?: number } | undefined;
          if (event !== "message" || message?.type !== "results" || message.seq !== 0)
            return emit(event, ...args);
          setTimeout(() => {
            control.firstPending = false;
            emit(event, ...args);
          }, control.holdFirstAnswerMs);
          return true;
        };
      }
      return worker;
    },
  };
});

const home = mkdtempSync(join(tmpdir(), "chokepoint-batch-workers-"));
beforeAll(async () => {
  const store = await openStore({ home });
  try {
    await saveTestLists(store, {
      "test-sdn": [
        listEntitySchema.parse({
          id: "test-sdn:100",
          listId: "test-sdn",
          nativeId: "100",
          schema: "Company",
          name: "GULF STAR ELECTRONICS FZE",
          names: [{ full: "GULF STAR ELECTRONICS FZE", kind: "primary" }],
          raw: null,
        }),
      ],
    });
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** One row a batch; with `pause`, the input stalls that long after that many rows (a slow read). */
async function* customers(count: number, pause?: { after: number; ms: number }): AsyncGenerator<PartyRow[]> {
  for (let k = 0; k < count; k++) {
    if (pause && k === pause.after) await new Promise((resolve) => setTimeout(resolve, pause.ms));
    yield [{ line: k + 2, id: `C-${k}`, name: `Customer ${k}`, issues: [] }];
  }
}

/** The ids a batch answers, in order; `options` as for `screenRowBatches`. */
async function answeredIds(
  rows: AsyncIterable<PartyRow[]>,
  options: { workers: number; chunkSize: number },
): Promise<string[]> {
  const answered: string[] = [];
  for await (const results of screenRowBatches(
    rows,
    { location: { home } },
    { ...options, keepWords: false },
  ))
    answered.push(...results.map((row) => row.id));
  return answered;
}

/** A hang must fail the test, not wait for the suite's 60 s. */
const HANG_MS = 15_000;

describe("screenRowBatches with workers that misbehave", () => {
  it(
    "fails the batch, rather than waiting for ever, when a worker stops without an error",
    async () => {
      control.started.length = 0;
      const answered: ScreenedRow[] = [];
      const run = async () => {
        for await (const results of screenRowBatches(
          customers(200),
          { location: { home } },
          { workers: 1, chunkSize: 4, keepWords: false },
        )) {
          answered.push(...results);
          // terminate() ends the thread with an exit event and no error event, as process.exit would.
          if (answered.length === 4) await control.started[0]!.terminate();
        }
      };
      await expect(run()).rejects.toThrow(/screening worker stopped \(exit code \d+\)/);
      expect(answered.length).toBeLessThan(200);
    },
    HANG_MS,
  );

  it(
    "stops sending chunks while answered ones wait behind a slow earlier chunk",
    async () => {
      control.started.length = 0;
      control.holdFirstAnswerMs = 500;
      control.sentBehindFirst = 0;
      try {
        const answered = await answeredIds(customers(400), { workers: 2, chunkSize: 4 });
        expect(answered).toEqual(Array.from({ length: 400 }, (_, k) => `C-${k}`));
      } finally {
        control.holdFirstAnswerMs = 0;
      }
      // Until chunk 0 is handed back, two workers get at most 8 answered chunks waiting plus two
      // queued each (and the one that frees a slot): without a bound, all 99 others went out.
      expect(control.sentBehindFirst).toBeGreaterThanOrEqual(3);
      expect(control.sentBehindFirst).toBeLessThanOrEqual(8 + 4 + 1);
    },
    HANG_MS,
  );

  it(
    "goes on when the answers that piled up while the input stalled reach the bound",
    async () => {
      // Chunk 0 is held 300 ms while the input stalls for 1 s after 9 chunks: by the time the next
      // chunk is sent, every chunk sent so far is answered and waiting to be handed back.
      control.holdFirstAnswerMs = 300;
      try {
        const answered = await answeredIds(customers(100, { after: 36, ms: 1_000 }), {
          workers: 2,
          chunkSize: 4,
        });
        expect(answered).toEqual(Array.from({ length: 100 }, (_, k) => `C-${k}`));
      } finally {
        control.holdFirstAnswerMs = 0;
      }
    },
    HANG_MS,
  );
});
