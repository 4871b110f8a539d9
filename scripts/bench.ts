// `npm run bench`: speed and memory. Prints a Markdown block with date and machine; `--record`
// appends it to docs/benchmarks.md. Each suite measures its own baseline in the same run.
import { appendFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { benchCli } from "./bench-cli.js";
import { benchItems } from "./bench-items.js";
import { benchJobs } from "./bench-jobs.js";
import { benchLists } from "./bench-lists.js";
import { benchOrders } from "./bench-orders.js";
import { benchParties } from "./bench-parties.js";
import { benchThreads } from "./bench-threads.js";
import { benchWorkspace } from "./bench-workspace.js";

const suites: Array<[string, () => Promise<string[]>]> = [
  ["lists", benchLists],
  ["parties", benchParties],
  ["threads", benchThreads],
  ["cli", benchCli],
  ["items", async () => (await benchItems()) as string[]],
  ["orders", benchOrders],
  ["workspace", benchWorkspace],
  ["jobs", benchJobs],
];
const args = process.argv.slice(2);
const record = args.includes("--record");
const only = args.filter((a) => !a.startsWith("--"));
const cpu = cpus()[0]?.model ?? "unknown CPU";
const header = `### ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const lines: string[] = [header, ""];
console.log(header);
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  const result = await run();
  for (const line of result) {
    console.log(`- ${line}`);
    lines.push(`- ${line}`);
  }
}
if (record) {
  appendFileSync(new URL("../docs/benchmarks.md", import.meta.url), `\n${lines.join("\n")}\n`);
  console.log("recorded in docs/benchmarks.md");
}
