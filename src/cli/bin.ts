// Process entry of the `chokepoint` command (bin/chokepoint.js loads the compiled copy).
import { dropPrefetched, prefetchIndexCache } from "../jobs/index-prefetch.js";
import { main } from "./main.js";
import { screenReadAhead } from "./read-ahead.js";

// `screen` reads the home's cached index once its modules are loaded and the store has named the
// file: start reading the likely files now, while they load (index-prefetch.ts). Only a guess: it
// never fails the run (no home directory to be found, say).
try {
  const plan = screenReadAhead(process.argv);
  if (plan) void prefetchIndexCache(plan.cacheDir, plan.selection, { words: plan.words });
} catch {
  // The run reads the files itself.
}

// `chokepoint screen big.csv | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`chokepoint: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 70;
    },
  )
  // A run that failed before it took what was read ahead (a missing input file) lets it go.
  .finally(dropPrefetched);
