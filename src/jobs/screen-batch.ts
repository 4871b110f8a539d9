import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { MatchResult, PartyQuery, ScreenOptions, WordMemoSnapshot } from "../matching/index.js";
import type { StoreLocation } from "../store/index.js";
import type { PartyRow, RowIssue } from "./party-rows.js";
import {
  loadScreener,
  SAVED_WORDS_LIMIT,
  saveWordMemo,
  saveWordsAfter,
  sharedScreenerSnapshot,
} from "./screener-cache.js";
import { startModuleWorker } from "./worker-thread.js";

/**
 * One answered input row, in input order.
 *
 * @example
 * { id: "C-001", name: "Saddam Hussein AL-TIKRITI", matches: [{ entityId: "ofac-sdn:7843", ... }], issues: [] }
 */
export interface ScreenedRow {
  id: string;
  name: string;
  matches: MatchResult[];
  issues: RowIssue[];
  /** What was screened (name plus secondary evidence), for cases and the audit trail. */
  query?: PartyQuery;
}

/** What a screening worker thread starts with (see screen-worker.ts). */
export interface ScreenWorkerData {
  /** The index as snapshot bytes (snapshot-file.ts), shared by every worker. */
  readonly snapshot: SharedArrayBuffer;
  /** Word lookups saved by earlier runs over the same index. */
  readonly words: WordMemoSnapshot | undefined;
  readonly threshold: number | undefined;
}

export interface BatchScreenOptions extends ScreenOptions {
  /** Worker threads; 0 screens on this thread. */
  workers: number;
  /**
   * Read and save the word lookups kept beside the index (`cache/words-*.snap`, made of the words
   * of screened names); default true. False leaves no trace of the batch's names in the cache.
   */
  keepWords?: boolean;
  /**
   * Rows screened between two hand-backs of results, and per message to a worker: big enough to
   * amortise the hand-off, small enough to keep memory flat. Default `THREAD_CHUNK_ROWS` on this
   * thread, `workerChunkRows` with workers.
   */
  chunkSize?: number;
}

/** Most rows per message to a worker (see `workerChunkRows`): enough to amortise messaging. */
export const WORKER_CHUNK_ROWS = 256;

/** Fewest rows per message to a worker, however many candidates rows come back with. */
const MIN_WORKER_CHUNK_ROWS = 16;

/** Rows per message to a worker before any have come back. */
const FIRST_WORKER_CHUNK_ROWS = 32;

/** Explained candidates a chunk of rows sent to a worker should come back with, about. */
const WORKER_CHUNK_MATCHES = 320;

/**
 * Rows for the next chunk sent to a worker, from the candidates rows came back with so far. Rows
 * of common names come back with many explained candidates, and big chunks of them swell the heaps:
 * 200,000 common Arabic names (5 candidates a row) took two workers to 667 MB in 20.9 s in chunks of
 * 256 rows, 353 MB in 18.9 s this way; 45,000 six-byte names (7.5 a row) 564–618 MB in 4.7 s, now
 * 414–426 MB in 4.1 s. The first chunks are small too: starting at 256 rows kept the peak at
 * 556–600 MB even with later chunks of ~60 rows. Rows with few candidates (0.16 a row for the
 * 50,000 synthetic names) go in chunks of 256: in chunks of 32 that run took 4% longer.
 *
 * @example
 * workerChunkRows(0, 0) // 32: nothing back yet
 * workerChunkRows(1000, 160) // 256
 * workerChunkRows(1000, 10_000) // 32
 */
export function workerChunkRows(rowsBack: number, matchesBack: number): number {
  if (rowsBack === 0) return FIRST_WORKER_CHUNK_ROWS;
  if (matchesBack === 0) return WORKER_CHUNK_ROWS;
  const rows = Math.floor(WORKER_CHUNK_MATCHES / (matchesBack / rowsBack));
  return Math.max(MIN_WORKER_CHUNK_ROWS, Math.min(WORKER_CHUNK_ROWS, rows));
}

/**
 * Most rows screened on this thread between two hand-backs of results, unless `chunkSize` says
 * otherwise; results also go back as soon as they hold `THREAD_CHUNK_MATCHES` candidates.
 */
export const THREAD_CHUNK_ROWS = 8;

/**
 * Explained candidates after which results screened on this thread are handed back. Results die
 * young only if they are written before the next young-generation collection, and short common
 * names bring ~8 candidates a row: 45,000 of them peaked at 635 MB handed back a whole read at a
 * time, 371 MB 32 rows at a time, 184–187 MB 8 rows at a time, but a 30,000-row file still reached
 * 226–292 MB at 8 rows and 178–183 MB at 4 (83eb5a1, one row at a time: 179–181 MB); with 32
 * candidates (or 64 rows) the two files peaked at 181–182 and 185–187 MB. Rows with few candidates
 * still go back 8 at a time (`THREAD_CHUNK_ROWS`): at 64, re-screening the 50,000 synthetic names
 * peaked at 227–289 MB against 223–227 MB.
 */
const THREAD_CHUNK_MATCHES = 32;

/** The query matching sees for a row. */
export function rowQuery(row: PartyRow): PartyQuery {
  return {
    name: row.name,
    ...(row.schema ? { schema: row.schema } : {}),
    ...(row.country ? { country: row.country } : {}),
    ...(row.dob ? { dob: row.dob } : {}),
    ...(row.identifier ? { identifiers: [{ value: row.identifier }] } : {}),
  };
}

/**
 * Decides how many workers a batch deserves. Workers share one index (~0.3 s each to restore it
 * from shared memory) and hand each other the words they look up, but on this 2-core VM two threads
 * screen only ~1.4× as fast as one (the `threads` bench), next to a main thread busy with CSV and
 * JSON. Not mainly for want of memory bandwidth: with V8's helper threads off (`--single-threaded`)
 * two threads take as long as one alone. A thread alone has the idle core compile its code (~1 s
 * of optimising over a first pass of the 50,000 names) and collect its garbage; two threads must
 * do that on their own cores.
 * So threads only pay off on big inputs: measured (docs/benchmarks.md,
 * 2026-12-05), one thread wins at 10,000 and 25,000 rows (2.98 s against 3.45 s, 4.01 against
 * 4.50), the two are even at 50,000 (1.7 MB); at 200,000 rows (7 MB) two workers took 16.4–17.7 s
 * against 19.6–24.5 s, so above ~4 MB of CSV the workers are used.
 *
 * @example
 * autoWorkers(20 * 1024 * 1024) // 2 on this 2-core machine
 */
export function autoWorkers(inputBytes: number): number {
  if (inputBytes < 4 * 1024 * 1024) return 0;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Where a batch's entities come from: the store, through the home's index cache. With workers the
 * main thread reads the cache once and shares its bytes (`sharedScreenerSnapshot`).
 */
export interface EntitySource {
  location: StoreLocation;
  /** List ids; absent = every stored list. */
  lists?: string[];
}

/**
 * Screens one row; an empty name or a failed screening is answered with an issue, never thrown.
 * Used on the main thread and in worker threads alike.
 *
 * @example
 * screenOne((q, o) => screener.screen(q, o), row, { limit: 10 })
 */
export function screenOne(
  screen: (query: PartyQuery, options: ScreenOptions) => MatchResult[],
  row: PartyRow,
  options: ScreenOptions,
): ScreenedRow {
  if (!row.name) return { id: row.id, name: row.name, matches: [], issues: row.issues };
  try {
    const query = rowQuery(row);
    return { id: row.id, name: row.name, matches: screen(query, options), issues: row.issues, query };
  } catch (error) {
    // A failed screening is data: the row says so and the batch goes on.
    return {
      id: row.id,
      name: row.name,
      matches: [],
      issues: [...row.issues, { code: "screening-failed", message: String(error), field: "name" }],
    };
  }
}

/**
 * Screens rows in input order with flat memory: results come back a few rows at a time (with
 * workers, a chunk at a time, at most `2 × workers` chunks in flight), each as soon as every
 * earlier row is done.
 * Rows come in batches (a file's rows a read at a time, `readPartyRowBatches`): passed one by one
 * through the async generators of reading, screening and writing, 50,000 rows spent ~20 ms in each
 * layer on the hand-offs alone. A read of short rows holds tens of thousands of them, so results
 * are not held a read at a time (`THREAD_CHUNK_ROWS`).
 *
 * @example
 * for await (const results of screenRowBatches(readPartyRowBatches(file), { location }, { workers: 2 })) write(results);
 */
export async function* screenRowBatches(
  batches: AsyncIterable<readonly PartyRow[]>,
  source: EntitySource,
  options: BatchScreenOptions,
): AsyncGenerator<ScreenedRow[]> {
  const screenOptions: ScreenOptions = {
    ...(options.lists ? { lists: options.lists } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.viaOtherLists !== undefined ? { viaOtherLists: options.viaOtherLists } : {}),
    ...(options.linkThrough ? { linkThrough: options.linkThrough } : {}),
  };
  if (options.chunkSize !== undefined && !(Number.isInteger(options.chunkSize) && options.chunkSize > 0))
    throw new RangeError(`chunkSize must be a whole number above 0, got ${options.chunkSize}`);
  if (options.workers <= 0) {
    const keepWords = options.keepWords !== false;
    const { screener, wordsFile } = await loadScreener(
      source.location,
      source.lists,
      options.threshold !== undefined ? { threshold: options.threshold } : {},
      { words: keepWords },
    );
    const rowLimit = options.chunkSize ?? THREAD_CHUNK_ROWS;
    try {
      for await (const batch of batches) {
        let results: ScreenedRow[] = [];
        let matches = 0;
        for (const row of batch) {
          const result = screenOne((q, o) => screener.screen(q, o), row, screenOptions);
          results.push(result);
          matches += result.matches.length;
          if (results.length >= rowLimit || matches >= THREAD_CHUNK_MATCHES) {
            yield results;
            results = [];
            matches = 0;
          }
        }
        if (results.length > 0) yield results;
      }
    } finally {
      // The words met are kept for the next run over the same index, even after a failure.
      if (keepWords && screener.freshLookups > 0)
        await saveWordMemo(wordsFile, screener.lookedUpWords(SAVED_WORDS_LIMIT));
    }
    return;
  }
  yield* screenWithWorkers(batches, source, options, screenOptions);
}

/**
 * Answered chunks held, per worker, while an earlier chunk is still being screened: without a
 * bound, one slow chunk (rows with hundreds of candidates) let the other workers' answers pile up.
 */
const MAX_CHUNKS_WAITING_PER_WORKER = 4;

interface WorkerSlot {
  worker: Worker;
  inFlight: number;
  ready: Promise<void>;
}

async function* screenWithWorkers(
  batches: AsyncIterable<readonly PartyRow[]>,
  source: EntitySource,
  options: BatchScreenOptions,
  screenOptions: ScreenOptions,
): AsyncGenerator<ScreenedRow[]> {
  // Rows and their candidates come back from workers so far, for the size of the next chunk.
  let rowsBack = 0;
  let matchesBack = 0;
  const chunkRows = () => options.chunkSize ?? workerChunkRows(rowsBack, matchesBack);
  const compiled = !import.meta.url.endsWith(".ts");
  const workerUrl = new URL(compiled ? "./screen-worker.js" : "./screen-worker.ts", import.meta.url);
  const done = new Map<number, ScreenedRow[]>();
  let allDispatched = false;
  /** Set once the batch ends and its workers are terminated on purpose. */
  let stopping = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  // One copy of the index in shared memory for every worker (built here when the cache lacks it,
  // rather than in every worker at once): a worker restores it in ~0.1 s without the store.
  const keepWords = options.keepWords !== false;
  const { snapshot, wordsFile, words } = await sharedScreenerSnapshot(source.location, source.lists, {
    words: keepWords,
  });
  const slots: WorkerSlot[] = Array.from({ length: options.workers }, () => {
    const workerData: ScreenWorkerData = { snapshot, words, threshold: options.threshold };
    const worker = startModuleWorker(workerUrl, workerData);
    const ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (message: { type: string; error?: string }) =>
        message.type === "ready"
          ? resolve()
          : reject(new Error(`screening worker failed to start: ${message.error}`)),
      );
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`screening worker stopped (exit code ${code}) while starting`)),
      );
    });
    const slot: WorkerSlot = { worker, inFlight: 0, ready };
    worker.on(
      "message",
      (message: { type: string; seq?: number; results?: ScreenedRow[]; words?: WordMemoSnapshot }) => {
        if (message.type === "words") return;
        if (message.type !== "results" || message.seq === undefined) return;
        slot.inFlight--;
        const results = message.results ?? [];
        done.set(message.seq, results);
        rowsBack += results.length;
        for (const row of results) matchesBack += row.matches.length;
        // Words one thread looked up are passed to the others: each word new to the batch is then
        // looked up about once, not once per thread. Once every row is dispatched, they would
        // arrive too late to save anything.
        if (message.words && !allDispatched)
          for (const other of slots)
            if (other !== slot) other.worker.postMessage({ type: "remember", words: message.words });
        notify();
      },
    );
    worker.on("error", (error) => {
      failure = error;
      notify();
    });
    // A worker that stops without an error (process.exit in its code, or terminated from outside)
    // would otherwise leave its chunks unanswered and the batch waiting for ever.
    worker.on("exit", (code) => {
      if (stopping) return;
      failure ??= new Error(`screening worker stopped (exit code ${code}) before answering every row`);
      notify();
    });
    return slot;
  });

  let nextToYield = 0;
  let nextSeq = 0;
  const flush = function* (): Generator<ScreenedRow[]> {
    while (done.has(nextToYield)) {
      const results = done.get(nextToYield)!;
      done.delete(nextToYield);
      nextToYield++;
      yield results;
    }
  };
  const waitForProgress = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  try {
    await Promise.all(slots.map((slot) => slot.ready));
    let chunk: PartyRow[] = [];
    const dispatch = async function* (batch: PartyRow[]): AsyncGenerator<ScreenedRow[]> {
      // Back-pressure: wait while every worker has two chunks queued, or while answered chunks pile
      // up behind a slow earlier one (they are held until it is answered, to keep rows in order).
      for (;;) {
        if (failure) throw failure;
        // Hand back what is in order first: answers may have piled up while this generator waited
        // on the input or its consumer. After that, a full `done` means the chunk it waits for is
        // still being screened, so waiting for progress cannot wait for ever.
        yield* flush();
        if (failure) throw failure;
        const free = slots.reduce((best, slot) => (slot.inFlight < best.inFlight ? slot : best));
        if (free.inFlight < 2 && done.size < MAX_CHUNKS_WAITING_PER_WORKER * slots.length) {
          free.inFlight++;
          free.worker.postMessage({ type: "screen", seq: nextSeq++, rows: batch, options: screenOptions });
          return;
        }
        const progress = waitForProgress();
        if (!done.has(nextToYield)) await progress;
      }
    };
    // An input that fails part-way (malformed quoting on line 1,000) still has every row before the
    // failure screened and answered, as on one thread; then the failure is thrown.
    let inputFailure: { error: unknown } | undefined;
    try {
      for await (const batch of batches) {
        for (const row of batch) {
          chunk.push(row);
          if (chunk.length >= chunkRows()) {
            yield* dispatch(chunk);
            chunk = [];
            yield* flush();
          }
        }
      }
    } catch (error) {
      inputFailure = { error };
    }
    if (chunk.length > 0) yield* dispatch(chunk);
    allDispatched = true;
    while (nextToYield < nextSeq) {
      if (failure) throw failure;
      yield* flush();
      if (nextToYield >= nextSeq) break;
      const progress = waitForProgress();
      if (!done.has(nextToYield)) await progress;
    }
    if (keepWords) {
      // The saved words, then those each worker met, as one memo for the next run over the same
      // index. Only a cache: a worker that cannot answer costs the next run some lookups.
      const replies = await Promise.all(slots.map((slot) => askForWords(slot.worker))).catch(() => []);
      if (replies.some((reply) => reply.fresh > 0))
        await saveWordsAfter(
          wordsFile,
          words,
          replies.map((reply) => reply.words),
        );
    }
    if (inputFailure) throw inputFailure.error;
  } finally {
    stopping = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}

/** What a screening worker answers a "words" message with. */
export interface WorkerWords {
  /** The words it met (`lookedUpWords(limit, "met")`). */
  words: WordMemoSnapshot;
  /** How many of them it looked up itself. */
  fresh: number;
}

/** How long a worker may take to hand over its words before the batch ends without them. */
const WORDS_REPLY_MS = 10_000;

/** A screening worker's word lookups; rejects if it errors, exits or does not answer in time. */
function askForWords(worker: Worker): Promise<WorkerWords> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      outcome();
    };
    const onMessage = (message: { type: string } & Partial<WorkerWords>) => {
      if (message.type === "words" && message.words)
        settle(() => resolve({ words: message.words!, fresh: message.fresh ?? 0 }));
    };
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = () => settle(() => reject(new Error("screening worker exited")));
    const timer = setTimeout(() => settle(() => reject(new Error("no words from worker"))), WORDS_REPLY_MS);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ type: "words", limit: SAVED_WORDS_LIMIT });
  });
}
