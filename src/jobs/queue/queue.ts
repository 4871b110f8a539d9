import PgBoss from "pg-boss";
import type { JobRecord, JobsRepository, SqlExecutor } from "../../store/jobs-repository.js";
import {
  chunkRows,
  DEFAULT_CHUNK_SIZE,
  type JobInputRow,
  type JobScreenOptions,
  type UploadFormat,
} from "./job-model.js";
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings } from "./settings.js";

export { DEFAULT_QUEUE_SETTINGS, type QueueSettings };

/** The pg-boss queue of chunks to screen: each message is one chunk's (job id, seq). */
export const CHUNK_QUEUE = "chokepoint-screen-chunks";
/** Where pg-boss moves a chunk whose retries are used up (errors or expiries); workers mark it failed. */
export const FAILED_CHUNK_QUEUE = "chokepoint-screen-chunks-failed";

/**
 * A queue message: which chunk to screen. The rows stay in the database, so messages are tiny
 * and a retried message reads the same rows again.
 *
 * @example
 * { jobId: "9b2f...", seq: 17 }
 */
export interface ChunkMessage {
  jobId: string;
  seq: number;
}

/**
 * The pg-boss instance of a producer (the API) or a worker, with the chunk queues created.
 *
 * @example
 * const queue = await openJobQueue("postgres://...", { supervise: false });
 * await queue.stop();
 */
export interface JobQueue {
  readonly boss: PgBoss;
  readonly settings: QueueSettings;
  /** Queue messages for chunks, through `execute` (the job's own transaction). */
  enqueue(chunks: ReadonlyArray<ChunkMessage>, execute: SqlExecutor): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss on `databaseUrl` (its tables live in the `pgboss` schema of the same database)
 * and creates the chunk queues. Producers pass `supervise: false`: maintenance, which is what
 * retries the chunks of dead workers, runs in the workers.
 *
 * @example
 * const queue = await openJobQueue(process.env.DATABASE_URL!, { supervise: true });
 */
export async function openJobQueue(
  databaseUrl: string,
  options: { supervise: boolean; settings?: Partial<QueueSettings>; onError?: (error: Error) => void },
): Promise<JobQueue> {
  const settings = { ...DEFAULT_QUEUE_SETTINGS, ...options.settings };
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 4,
    application_name: "chokepoint-jobs",
    supervise: options.supervise,
    schedule: false,
    maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
    pollingIntervalSeconds: settings.pollingIntervalSeconds,
  });
  // pg-boss reports connection trouble as events; without a listener Node would crash the process.
  boss.on("error", (error) => (options.onError ?? (() => {}))(error));
  await boss.start();
  const queueOptions = {
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    // Doubling pauses (2, 4, 8, 16, 32 s by default): a chunk waiting for a worker's lists or a
    // database hiccup gets about a minute before it is given up, a crash-looping chunk no more.
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds,
  };
  await boss.createQueue(FAILED_CHUNK_QUEUE, { name: FAILED_CHUNK_QUEUE, ...queueOptions });
  await boss.createQueue(CHUNK_QUEUE, { name: CHUNK_QUEUE, ...queueOptions, deadLetter: FAILED_CHUNK_QUEUE });
  return {
    boss,
    settings,
    async enqueue(chunks, execute) {
      const db = { executeSql: (text: string, values: unknown[]) => execute(text, values) };
      for (let i = 0; i < chunks.length; i += 1000) {
        await boss.insert(
          chunks.slice(i, i + 1000).map((chunk) => ({
            name: CHUNK_QUEUE,
            data: { jobId: chunk.jobId, seq: chunk.seq },
            ...queueOptions,
            deadLetter: FAILED_CHUNK_QUEUE,
          })),
          { db: db as PgBoss.Db },
        );
      }
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}

/**
 * Stores a screening job (rows split into chunks) and queues its chunks, atomically.
 *
 * @example
 * const job = await submitScreenJob(repo, queue, { rows, format: "csv", options: { lists: ["un"] } });
 */
export async function submitScreenJob(
  repo: JobsRepository,
  queue: Pick<JobQueue, "enqueue">,
  input: {
    rows: JobInputRow[];
    format: UploadFormat;
    options: JobScreenOptions;
    createdBy?: string;
    chunkSize?: number;
  },
): Promise<JobRecord> {
  return repo.createJob(
    {
      format: input.format,
      options: input.options,
      chunks: chunkRows(input.rows, input.chunkSize ?? DEFAULT_CHUNK_SIZE),
      ...(input.createdBy ? { createdBy: input.createdBy } : {}),
    },
    (chunks, execute) => queue.enqueue(chunks, execute),
  );
}
