import { hostname } from "node:os";
import type PgBoss from "pg-boss";
import {
  createScreener,
  type MatchResult,
  type PartyQuery,
  type Screener,
  type ScreenOptions,
} from "../../matching/index.js";
import { type Store, StoreError } from "../../store/index.js";
import { createJobsRepository, isPostgresStore, JOBS_NEED_POSTGRES } from "../../store/jobs-repository.js";
import { recordPartyScreenings } from "../cases.js";
import { rowQuery, type ScreenedRow } from "../screen-batch.js";
import { loadScreener, readWordMemo, SAVED_WORDS_LIMIT, saveWordsAfter } from "../screener-cache.js";
import { brokenLine, type JobInputRow, type JobScreenOptions, screenOptions } from "./job-model.js";
import {
  CHUNK_QUEUE,
  type ChunkMessage,
  FAILED_CHUNK_QUEUE,
  openJobQueue,
  type QueueSettings,
} from "./queue.js";

/**
 * What a worker needs: an open PostgreSQL store (its lists are what chunks are screened against),
 * the database URL for the queue, and the result line format of the screening contract.
 *
 * @example
 * await startWorker({ store, databaseUrl, formatRow: jsonLine, concurrency: 1 });
 */
export interface WorkerOptions {
  store: Store;
  databaseUrl: string;
  /** The answer line of one screened row (the CLI's `jsonLine`: the screening contract). */
  formatRow: (row: ScreenedRow) => string;
  /**
   * Chunks this process works on at once. Screening is synchronous CPU work, so 1 per process is
   * right for throughput (add processes to scale); 2 overlaps one chunk's database writes with the
   * next chunk's screening.
   */
  concurrency?: number;
  /** Screener threshold (a job's own threshold still applies per row). */
  threshold?: number;
  /**
   * Home folder whose index cache the worker shares (see `jobs/screener-cache.ts`): a worker
   * restores the index in a fraction of a second instead of reading every entity and building
   * it. Without it the worker builds from the store.
   */
  home?: string;
  /**
   * With `home`: take the word lookups kept beside the index (`cache/words-*.snap`) and, on stop,
   * add this worker's to them, so a worker started for next month's re-screening does not look the
   * same words up again. Default true.
   */
  keepWords?: boolean;
  settings?: Partial<QueueSettings>;
  /** Names this worker in chunk records; default host:pid. */
  name?: string;
  log?: (line: string) => void;
}

/**
 * A running worker.
 *
 * @example
 * const worker = await startWorker(options);
 * process.on("SIGTERM", () => worker.stop());
 */
export interface RunningWorker {
  readonly name: string;
  /** Chunks this worker finished. */
  readonly chunksDone: number;
  /** Stops taking chunks, finishes the ones in hand, stops the queue (the store stays open). */
  stop(): Promise<void>;
}

/** How often a worker looks for new list versions. */
const LIST_CHECK_MS = 5000;

interface LoadedScreener {
  screener: Screener;
  /** Where the index's word lookups are kept (only with a home and `keepWords`). */
  wordsFile: string | undefined;
  /** Which list versions it was built from; a new import makes the worker rebuild. */
  fingerprint: string;
  versions: Map<string, number>;
}

async function listVersions(store: Store): Promise<{ fingerprint: string; versions: Map<string, number> }> {
  const current = await store.currentVersions();
  return {
    fingerprint: current.map((v) => `${v.listId}@${v.version}`).join(","),
    versions: new Map(current.map((v) => [v.listId, v.version])),
  };
}

/**
 * The lists a job needs that a screener lacks (missing, or older than at submission).
 *
 * @example
 * missingLists({ un: 3, "ofac-sdn": 7 }, new Map([["un", 3]])) // ["ofac-sdn@7"]
 */
export function missingLists(
  required: Record<string, number> | undefined,
  loaded: ReadonlyMap<string, number>,
): string[] {
  return Object.entries(required ?? {})
    .filter(([listId, version]) => (loaded.get(listId) ?? 0) < version)
    .map(([listId, version]) => `${listId}@${version}`);
}

/** A chunk row screened (its answer still to be written), or the ready line of a row that could not be read. */
export type ScreenedChunkRow = { index: number; row: ScreenedRow } | { index: number; line: string };

/**
 * Screens one chunk's rows, keyed by row index. A row that cannot be read or whose screening
 * throws is answered with its issue: a failed screening is data.
 *
 * @example
 * screenChunk(rows, (q, o) => screener.screen(q, o), {})[0] // { index: 0, row: { id: "C-1", matches: [], ... } }
 */
export function screenChunk(
  rows: readonly JobInputRow[],
  screen: (query: PartyQuery, options: ScreenOptions) => MatchResult[],
  options: JobScreenOptions,
): ScreenedChunkRow[] {
  const matchOptions = screenOptions(options);
  return rows.map((input) => {
    if ("broken" in input) return { index: input.index, line: brokenLine(input.broken) };
    const row = input.party;
    if (!row.name)
      return { index: input.index, row: { id: row.id, name: row.name, matches: [], issues: row.issues } };
    const query = rowQuery(row);
    try {
      return {
        index: input.index,
        row: { id: row.id, name: row.name, matches: screen(query, matchOptions), issues: row.issues, query },
      };
    } catch (error) {
      return {
        index: input.index,
        row: {
          id: row.id,
          name: row.name,
          matches: [],
          issues: [...row.issues, { code: "screening-failed", message: String(error), field: "name" }],
        },
      };
    }
  });
}

/**
 * Screens one chunk's rows into answer lines keyed by row index (`screenChunk`, then `formatRow`).
 *
 * @example
 * screenChunkRows(rows, (q, o) => screener.screen(q, o), {}, jsonLine)[0] // { index: 0, line: '{"id":"C-1","matches":[]}' }
 */
export function screenChunkRows(
  rows: readonly JobInputRow[],
  screen: (query: PartyQuery, options: ScreenOptions) => MatchResult[],
  options: JobScreenOptions,
  formatRow: (row: ScreenedRow) => string,
): Array<{ index: number; line: string }> {
  return screenChunk(rows, screen, options).map((screened) => ({
    index: screened.index,
    line: "line" in screened ? screened.line : formatRow(screened.row),
  }));
}

/**
 * For a job submitted with `record`: the chunk's hits open or update review cases and are audited
 * (one transaction per chunk), as `chokepoint screen` does, and each answer says which case its
 * hit is on, or that a standing clearance suppressed it. A chunk retried after a crash records its
 * hits again on the same cases (a second hit event), never on new ones.
 */
async function recordChunkHits(
  store: Store,
  screened: ScreenedChunkRow[],
  options: JobScreenOptions & { record: { actor: string } },
  threshold: number,
): Promise<void> {
  const withHits = screened.flatMap((s) => ("row" in s && s.row.matches.some((m) => m.match) ? [s.row] : []));
  if (withHits.length === 0) return;
  const outcomes = await recordPartyScreenings(
    store,
    withHits.map((row) => ({
      subjectId: row.id,
      subjectName: row.name,
      query: row.query ?? { name: row.name },
      matches: row.matches,
    })),
    { listVersions: options.listVersions ?? {}, threshold },
    { actor: options.record.actor, action: "screen.job" },
  );
  withHits.forEach((row, i) => {
    const byEntity = new Map((outcomes[i]?.hits ?? []).map((hit) => [hit.entityId, hit]));
    row.matches = row.matches.map((match) => {
      const hit = byEntity.get(match.entityId);
      if (!hit) return match;
      return {
        ...match,
        caseId: hit.caseId,
        caseOutcome: hit.outcome,
        ...(hit.outcome === "suppressed" ? { suppressed: true } : {}),
      };
    });
  });
}

/**
 * Answers for the rows of a chunk that failed for good: no matches and a `screening-failed` issue,
 * so they read as "could not screen", never as "no match". Undefined when the stored rows are not
 * job rows at all.
 *
 * @example
 * notScreenedLines(rows, "job failed by timeout in active state", jsonLine)
 */
export function notScreenedLines(
  rows: readonly unknown[],
  reason: string,
  formatRow: (row: ScreenedRow) => string,
): string[] | undefined {
  if (!rows.every((row) => typeof row === "object" && row !== null && ("party" in row || "broken" in row))) {
    return undefined;
  }
  return (rows as JobInputRow[]).map((input) => {
    if ("broken" in input) return brokenLine(input.broken);
    const row = input.party;
    return formatRow({
      id: row.id,
      name: row.name,
      matches: [],
      issues: [
        ...row.issues,
        { code: "screening-failed", message: `not screened: ${reason}`, field: "name" },
      ],
    });
  });
}

/**
 * Starts a queue worker: builds its screener once from the store's current lists (rebuilding when
 * a list gets a new version), then takes chunk messages from pg-boss until stopped. A chunk's
 * answers are stored with it, replacing any earlier ones, as it is marked done (one statement), so
 * a chunk retried after a crash is answered exactly once. A chunk whose retries are used up is
 * marked failed and its rows answered as not screened.
 *
 * @example
 * const worker = await startWorker({ store, databaseUrl: "postgres://...", formatRow: jsonLine });
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { store, formatRow } = options;
  if (!isPostgresStore(store)) throw new StoreError("invalid", JOBS_NEED_POSTGRES);
  const repo = createJobsRepository(store);
  const log = options.log ?? (() => {});
  const name = options.name ?? `${hostname()}:${process.pid}`;

  const keepWords = options.keepWords !== false;
  const build = async (): Promise<LoadedScreener> => {
    // Versions first: a list imported meanwhile makes the next check rebuild, never the reverse.
    const { fingerprint, versions } = await listVersions(store);
    const screenerOptions = options.threshold === undefined ? {} : { threshold: options.threshold };
    let screener: Screener;
    let wordsFile: string | undefined;
    if (options.home !== undefined) {
      const cached = await loadScreener(
        { home: options.home, databaseUrl: options.databaseUrl },
        undefined,
        screenerOptions,
        { words: keepWords },
      );
      screener = cached.screener;
      if (keepWords) wordsFile = cached.wordsFile;
    } else {
      const entities = await store.entities();
      // Matching never reads the published record; dropping it halves the worker's memory.
      for (const entity of entities) entity.raw = undefined;
      screener = createScreener(entities, screenerOptions);
    }
    log(`screener ready: ${screener.entityCount} entities in ${screener.listIds.length} lists`);
    return { screener, wordsFile, fingerprint, versions };
  };
  let loaded = await build();
  let checking: Promise<Screener> | undefined;
  let checkedAt = Date.now();
  // One list check (and at most one rebuild) at a time, shared by concurrent chunks, and at most
  // every LIST_CHECK_MS: a new list version reaches the workers within seconds, without a query
  // per chunk.
  const current = (force = false): Promise<Screener> => {
    if (!force && Date.now() - checkedAt < LIST_CHECK_MS) return Promise.resolve(loaded.screener);
    checking ??= (async () => {
      if ((await listVersions(store)).fingerprint !== loaded.fingerprint) {
        log("lists changed: rebuilding the screener");
        loaded = await build();
      }
      checkedAt = Date.now();
      return loaded.screener;
    })().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const queue = await openJobQueue(options.databaseUrl, {
    supervise: true,
    ...(options.settings ? { settings: options.settings } : {}),
    onError: (error) => log(`queue error: ${error.message}`),
  });

  let chunksDone = 0;
  const processChunk = async ({ jobId, seq }: ChunkMessage): Promise<void> => {
    const work = await repo.claimChunk(jobId, seq, name);
    // The job was deleted, or another delivery of this message already finished the chunk.
    if (!work) return;
    log(`chunk ${jobId}:${seq} started (${work.chunk.rowCount} rows, attempt ${work.chunk.attempts})`);
    const jobOptions = work.options as JobScreenOptions;
    let screener = await current();
    if (missingLists(jobOptions.listVersions, loaded.versions).length > 0) {
      screener = await current(true);
      const missing = missingLists(jobOptions.listVersions, loaded.versions);
      // Never screen against fewer lists than the job was submitted with: fail, and let the
      // queue retry the chunk once the lists are in (or on another worker).
      if (missing.length > 0) throw new Error(`this worker's store lacks ${missing.join(", ")}`);
    }
    const screened = screenChunk(
      work.rows as JobInputRow[],
      (query, o) => screener.screen(query, o),
      jobOptions,
    );
    if (jobOptions.record) {
      await recordChunkHits(
        store,
        screened,
        { ...jobOptions, record: jobOptions.record },
        jobOptions.threshold ?? screener.threshold,
      );
    }
    await repo.saveChunkResults(
      jobId,
      seq,
      screened.map((answer) => ("line" in answer ? answer.line : formatRow(answer.row))),
    );
    chunksDone++;
    log(`chunk ${jobId}:${seq} done`);
  };

  const workerIds: string[] = [];
  const concurrency = Math.max(1, options.concurrency ?? 1);
  for (let i = 0; i < concurrency; i++) {
    let id = "";
    id = await queue.boss.work<ChunkMessage>(
      CHUNK_QUEUE,
      { batchSize: 1 },
      async (jobs: PgBoss.Job<ChunkMessage>[]) => {
        for (const job of jobs) await processChunk(job.data);
        // pg-boss waits a polling interval after each fetch; a worker that just finished a chunk
        // asks again at once, so a chunk of 0.1 s is not followed by a second of idling.
        queue.boss.notifyWorker(id);
      },
    );
    workerIds.push(id);
  }
  workerIds.push(
    await queue.boss.work<ChunkMessage>(
      FAILED_CHUNK_QUEUE,
      { batchSize: 10, includeMetadata: true },
      async (jobs: PgBoss.JobWithMetadata<ChunkMessage>[]) => {
        for (const job of jobs) {
          const output = job.output as { message?: string; value?: { message?: string } } | null;
          const reason = output?.message ?? output?.value?.message ?? "retries used up";
          const work = await repo.chunkWork(job.data.jobId, job.data.seq).catch(() => undefined);
          const lines = work ? notScreenedLines(work.rows, reason, formatRow) : undefined;
          await repo.failChunk(job.data.jobId, job.data.seq, reason, lines);
          log(`chunk ${job.data.jobId}:${job.data.seq} failed: ${reason}`);
        }
      },
    ),
  );
  log(`worker ${name} waiting for chunks (concurrency ${concurrency})`);

  return {
    name,
    get chunksDone() {
      return chunksDone;
    },
    async stop() {
      await queue.stop();
      await keepLookedUpWords(loaded);
    },
  };
}

/**
 * Adds the words a worker looked up to those kept for its index, merged with what other workers
 * saved meanwhile (the file is read again just before). Only a cache: failures are ignored.
 */
async function keepLookedUpWords({ screener, wordsFile }: LoadedScreener): Promise<void> {
  if (!wordsFile || screener.freshLookups === 0) return;
  await saveWordsAfter(wordsFile, await readWordMemo(wordsFile), [screener.lookedUpWords(SAVED_WORDS_LIMIT)]);
}
