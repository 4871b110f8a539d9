import { Command, CommanderError } from "commander";
import { CliError, EXIT } from "./exit-codes.js";

/**
 * The commands, in help order, each with the module that defines it. A run loads only the module
 * of the command it names: every module loaded costs start-up time (the list parsers, the HTTP
 * server, the order rules), and `screen` needs none of the others' (~30 ms of its ~0.2 s).
 */
const COMMANDS: readonly (readonly [string, () => Promise<Command>])[] = [
  ["lists", async () => (await import("./lists-command.js")).listsCommand()],
  ["entity", async () => (await import("./entity-command.js")).entityCommand()],
  ["screen", async () => (await import("./screen-command.js")).screenCommand()],
  ["compare", async () => (await import("./screen-command.js")).compareCommand()],
  ["items", async () => (await import("./items-command.js")).itemsCommand()],
  ["orders", async () => (await import("./orders-command.js")).ordersCommand()],
  ["customers", async () => (await import("./cases-command.js")).customersCommand()],
  ["cases", async () => (await import("./cases-command.js")).casesCommand()],
  ["monitor", async () => (await import("./cases-command.js")).monitorCommand()],
  ["audit", async () => (await import("./cases-command.js")).auditCommand()],
  ["serve", async () => (await import("./serve-command.js")).serveCommand()],
  ["keys", async () => (await import("./keys-command.js")).keysCommand()],
  ["worker", async () => (await import("./worker-command.js")).workerCommand()],
];

/** Program options that take a value (`--home DIR`): skipped when looking for the command's name. */
const VALUE_OPTIONS = new Set(["--home", "--database-url"]);

/**
 * The command a command line names (`chokepoint --home x screen a.csv` → "screen"), or undefined
 * when it names none (help, a program option alone, a typo, which then load every command).
 *
 * @example
 * commandNamed(["node", "chokepoint", "--home", "/tmp/h", "screen", "a.csv"]) // "screen"
 */
export function commandNamed(argv: readonly string[]): string | undefined {
  for (let k = 2; k < argv.length; k++) {
    const arg = argv[k]!;
    if (VALUE_OPTIONS.has(arg)) {
      k++;
      continue;
    }
    if (arg === "--" || [...VALUE_OPTIONS].some((option) => arg.startsWith(`${option}=`))) continue;
    // Any other option before the command (--help, a typo) makes commander answer for the program
    // itself, with the list of every command.
    if (arg.startsWith("-")) return undefined;
    return COMMANDS.some(([name]) => name === arg) ? arg : undefined;
  }
  return undefined;
}

/**
 * The value of a program option (`--home`, `--database-url`) as commander will read it: given
 * anywhere before `--`, before or after the command, the last one winning; undefined when absent.
 * For work started before the program is built.
 *
 * @example
 * programOption(["node", "chokepoint", "screen", "a.csv", "--home=/tmp/h"], "--home") // "/tmp/h"
 */
export function programOption(argv: readonly string[], option: string): string | undefined {
  let value: string | undefined;
  for (let k = 2; k < argv.length; k++) {
    const arg = argv[k]!;
    if (arg === "--") break;
    if (arg === option) value = argv[++k];
    else if (arg.startsWith(`${option}=`)) value = arg.slice(option.length + 1);
  }
  return value;
}

/**
 * Builds the `chokepoint` program for a command line: with the command it names, or with every
 * command when it names none (help lists them all; a typo gets commander's suggestion). Each door
 * command lives in its own file.
 *
 * @example
 * await (await buildProgram(["node", "chokepoint", "lists", "status"])).parseAsync(argv);
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("chokepoint")
    .description("Screens parties, items and orders against sanctions and export-control lists.")
    .option("--home <dir>", "state folder (default: $CHOKEPOINT_HOME or ~/.chokepoint)")
    .option(
      "--database-url <url>",
      "postgres://... to use PostgreSQL instead of SQLite in the home (default: $DATABASE_URL)",
    )
    .showHelpAfterError()
    .exitOverride();
  const named = commandNamed(argv);
  for (const [name, load] of COMMANDS)
    if (named === undefined || name === named) program.addCommand(await load());
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
  try {
    const program = await buildProgram(argv);
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
