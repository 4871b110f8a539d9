// Process entry of the `chokepoint` command (bin/chokepoint.js loads the compiled copy).
import { main } from "./main.js";

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
