// Process entry of the `chokepoint` command (bin/chokepoint.js loads the compiled copy).
import { join } from "node:path";
import { indexSelection, prefetchIndexCache } from "../jobs/index-prefetch.js";
import { resolveHome } from "../store/home.js";
import { commandNamed, main, programOption } from "./main.js";

// `screen` reads the home's cached index once its modules are loaded and the store has named the
// file: start reading the likely file now, while they load (index-prefetch.ts).
if (commandNamed(process.argv) === "screen") {
  const databaseUrl = programOption(process.argv, "--database-url") ?? process.env.DATABASE_URL;
  void prefetchIndexCache(
    join(resolveHome(programOption(process.argv, "--home")), "cache"),
    indexSelection(databaseUrl || undefined, undefined),
  );
}

// `chokepoint screen big.csv | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`chokepoint: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 70;
  },
);
