import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_QUEUE_SETTINGS } from "../jobs/queue/settings.js";
import type { startWorker } from "../jobs/queue/worker.js";
import { JOBS_NEED_POSTGRES } from "../store/jobs-repository.js";
import { openCliStore, storeLocation } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { jsonLine } from "./screen-output.js";

function concurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError("expected an integer from 1 to 64");
  return n;
}

function threshold(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3600)
    throw new InvalidArgumentError("expected whole seconds from 1 to 3600");
  return n;
}

/**
 * Opens the store, retrying twice: workers are often started together on a fresh database, where
 * the store's migrations and the first-run list import race (one process wins, the other fails
 * on a duplicate key and finds everything in place on the next try).
 */
async function openStoreRetrying<T>(open: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (attempt >= 3) throw error;
      process.stderr.write(
        `chokepoint worker: opening the store failed (${error instanceof Error ? error.message : String(error)}); retrying\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 1000));
    }
  }
}

interface WorkerCommandOptions {
  concurrency: number;
  maintenanceInterval: number;
  threshold?: number;
  quiet?: boolean;
  wordCache: boolean;
}

/**
 * `chokepoint worker [--concurrency N]`: takes chunks of batch screening jobs from the PostgreSQL
 * queue and screens them against the store's lists, until SIGINT/SIGTERM (it then finishes the
 * chunks in hand). Run one per core, on as many machines as reach the database: throughput grows
 * with workers. A worker that dies mid-chunk loses nothing; the chunk goes to another worker.
 *
 * @example
 * program.addCommand(workerCommand());
 * // DATABASE_URL=postgres://db/chokepoint chokepoint worker --concurrency 1
 */
export function workerCommand(): Command {
  return new Command("worker")
    .description("process batch screening jobs from the PostgreSQL queue (start one per core, anywhere)")
    .option("--concurrency <n>", "chunks this process works on at once", concurrency, 1)
    .option(
      "--threshold <score>",
      "match threshold of this worker's screener (a job's own threshold wins)",
      threshold,
    )
    .option(
      "--maintenance-interval <seconds>",
      "how often the workers look for expired chunks (of dead workers) to put back in the queue",
      seconds,
      DEFAULT_QUEUE_SETTINGS.maintenanceIntervalSeconds,
    )
    .option("--quiet", "do not log each chunk to stderr")
    .option(
      "--no-word-cache",
      "neither read nor keep the words of screened names in the home's cache (kept by default)",
    )
    .action(async (options: WorkerCommandOptions, command: Command) => {
      const { databaseUrl } = storeLocation(command);
      if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
        throw new CliError(JOBS_NEED_POSTGRES, EXIT.usage);
      const store = await openStoreRetrying(() => openCliStore(command, { withDefaults: true }));
      const log = (line: string) => {
        if (!options.quiet || !line.startsWith("chunk "))
          process.stderr.write(`chokepoint worker: ${line}\n`);
      };
      let worker: Awaited<ReturnType<typeof startWorker>>;
      try {
        // Loaded here, not at the top: pg-boss would slow every other command's start.
        const { startWorker } = await import("../jobs/queue/worker.js");
        worker = await startWorker({
          store,
          databaseUrl,
          home: storeLocation(command).home,
          keepWords: options.wordCache,
          formatRow: jsonLine,
          concurrency: options.concurrency,
          settings: { maintenanceIntervalSeconds: options.maintenanceInterval },
          ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
          log,
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      await new Promise<void>((done) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          log("stopping: finishing the chunks in hand");
          worker
            .stop()
            .then(() => store.close())
            .then(() => log(`stopped after ${worker.chunksDone} chunks`))
            .finally(done);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
