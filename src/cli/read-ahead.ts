import { join } from "node:path";
import { indexSelection } from "../jobs/index-prefetch.js";
import { resolveHome } from "../store/home.js";
import { commandNamed, programOption } from "./main.js";

/** What a `screen` command line will read from the home's index cache (see index-prefetch.ts). */
export interface ScreenReadAhead {
  cacheDir: string;
  /** The selection of every list in the store the command uses (`indexSelection`). */
  selection: string;
  /** Whether the run reads the word lookups kept beside the index (not with `--no-word-cache`). */
  words: boolean;
}

/**
 * The cache files a command line will read, when it is a `screen` that screens: the same folder
 * and selection as `storeLocation` (context.ts) and `cacheFile` (screener-cache.ts) arrive at once
 * the store is open. Undefined for other commands and for help.
 *
 * @example
 * screenReadAhead(["node", "chokepoint", "screen", "a.csv"], { CHOKEPOINT_HOME: "/srv/c" })
 * // { cacheDir: "/srv/c/cache", selection: indexSelection(undefined, undefined), words: true }
 */
export function screenReadAhead(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScreenReadAhead | undefined {
  if (commandNamed(argv) !== "screen") return undefined;
  const options = argv.slice(2, argv.includes("--") ? argv.indexOf("--") : undefined);
  if (options.includes("-h") || options.includes("--help")) return undefined;
  const databaseUrl = programOption(argv, "--database-url") ?? env.DATABASE_URL;
  return {
    cacheDir: join(resolveHome(programOption(argv, "--home"), env), "cache"),
    selection: indexSelection(databaseUrl || undefined, undefined),
    words: !options.includes("--no-word-cache"),
  };
}
