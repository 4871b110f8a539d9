/**
 * Exit codes of the `chokepoint` command, documented in the README.
 *
 * @example
 * process.exitCode = EXIT.partial;
 */
export const EXIT = {
  ok: 0,
  /** Ran, but part of the work was rejected (a list that failed to import, a row in error). */
  partial: 1,
  /** Wrong command line: unknown option, missing argument, bad value. */
  usage: 2,
  /** An input file is missing, unreadable or not of the expected shape. */
  input: 3,
  /** The store (SQLite file or PostgreSQL) could not be opened or written. */
  store: 4,
  /** A bug: an unexpected error. */
  internal: 70,
} as const;

/** An error meant for the user, with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.input,
  ) {
    super(message);
    this.name = "CliError";
  }
}
