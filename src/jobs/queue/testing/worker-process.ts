// A `chokepoint worker` process for tests and benchmarks: `node --import tsx
// src/jobs/queue/testing/worker-process.ts [--concurrency N]`, with DATABASE_URL and CHOKEPOINT_HOME
// in the environment. It builds a root program with only the global options and the worker
// command, so it loads what a worker needs and nothing else.
import { Command } from "commander";
import { CliError } from "../../../cli/exit-codes.js";
import { workerCommand } from "../../../cli/worker-command.js";

const program = new Command("chokepoint")
  .option("--home <dir>")
  .option("--database-url <url>")
  .exitOverride()
  .addCommand(workerCommand());
try {
  await program.parseAsync(["node", "chokepoint", "worker", ...process.argv.slice(2)]);
} catch (error) {
  process.stderr.write(`chokepoint worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 70;
}
