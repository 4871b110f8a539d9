// A `chokepoint worker` process for tests and benchmarks, usable before main.ts registers the
// command: `node --import tsx src/jobs/queue/testing/worker-process.ts [--concurrency N]`, with
// DATABASE_URL and CHOKEPOINT_HOME in the environment.

import { CliError } from "../../../cli/exit-codes.js";
import { buildProgram } from "../../../cli/main.js";
import { workerCommand } from "../../../cli/worker-command.js";

const program = buildProgram();
if (!program.commands.some((command) => command.name() === "worker")) program.addCommand(workerCommand());
try {
  await program.parseAsync(["node", "chokepoint", "worker", ...process.argv.slice(2)]);
} catch (error) {
  process.stderr.write(`chokepoint worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 70;
}
