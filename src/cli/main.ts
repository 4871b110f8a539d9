import { Command, CommanderError } from "commander";
import { auditCommand, casesCommand, customersCommand, monitorCommand } from "./cases-command.js";
import { entityCommand } from "./entity-command.js";
import { CliError, EXIT } from "./exit-codes.js";
import { itemsCommand } from "./items-command.js";
import { keysCommand } from "./keys-command.js";
import { listsCommand } from "./lists-command.js";
import { ordersCommand } from "./orders-command.js";
import { compareCommand, screenCommand } from "./screen-command.js";
import { serveCommand } from "./serve-command.js";
import { workerCommand } from "./worker-command.js";

/**
 * Builds the `chokepoint` program. Each door command lives in its own file.
 *
 * @example
 * await buildProgram().parseAsync(["node", "chokepoint", "lists", "status"]);
 */
export function buildProgram(): Command {
  const program = new Command("chokepoint")
    .description("Screens parties, items and orders against sanctions and export-control lists.")
    .option("--home <dir>", "state folder (default: $CHOKEPOINT_HOME or ~/.chokepoint)")
    .option(
      "--database-url <url>",
      "postgres://... to use PostgreSQL instead of SQLite in the home (default: $DATABASE_URL)",
    )
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(listsCommand());
  program.addCommand(entityCommand());
  program.addCommand(screenCommand());
  program.addCommand(compareCommand());
  program.addCommand(itemsCommand());
  program.addCommand(ordersCommand());
  program.addCommand(customersCommand());
  program.addCommand(casesCommand());
  program.addCommand(monitorCommand());
  program.addCommand(auditCommand());
  program.addCommand(serveCommand());
  program.addCommand(keysCommand());
  program.addCommand(workerCommand());
  // addCommand does not pass these down: without them a nested usage error would call process.exit.
  const configure = (command: Command) => {
    command.exitOverride();
    command.showHelpAfterError();
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code (see `exit-codes.ts`); never calls process.exit, so
 * output streams drain.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      return error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`chokepoint: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `chokepoint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.internal;
  }
}
