// Same-run comparison of two CLI builds on 50,000 synthetic names: warm start-up; a first
// screening (no word lookups kept from an earlier run) and a re-screening, on one thread; two
// workers; three interleaved rounds, best of each (the machine is shared: only a same-run
// comparison says what a change did).
//   git worktree add /tmp/before <rev> && (cd /tmp/before && ln -s "$PWD/../main/node_modules" . && npx tsc -p tsconfig.build.json)
//   npx tsx scripts/compare-cli-builds.ts /tmp/before/bin/chokepoint.js bin/chokepoint.js
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSyntheticScreeningCsv } from "./bench-cli.js";

const [beforeBin, afterBin] = process.argv.slice(2);
if (!beforeBin || !afterBin)
  throw new Error("usage: compare-cli-builds.ts BEFORE/bin/chokepoint.js AFTER/bin/chokepoint.js");
const builds = { before: beforeBin, after: afterBin };
const dir = mkdtempSync(join(tmpdir(), "compare-cli-"));
const input = join(dir, "names.csv");
writeSyntheticScreeningCsv(input);
writeFileSync(join(dir, "one.csv"), "id,name\n1,Jane Doe\n");
const run = (bin: string, home: string, args: string[]) => {
  const started = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, bin, ...args], {
    env: { ...process.env, CHOKEPOINT_HOME: home },
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return {
    s: (performance.now() - started) / 1000,
    mb: Number(r.stderr.toString().trim().split("\n").pop()) / 1024,
  };
};
const forgetWords = (home: string) => {
  const cache = join(home, "cache");
  for (const name of readdirSync(cache)) if (name.startsWith("words-")) rmSync(join(cache, name));
};
const best: Record<string, Record<string, { s: number; mb: number }>> = {};
for (const [name, bin] of Object.entries(builds)) {
  const home = join(dir, name);
  run(bin, home, ["lists", "status"]);
  run(bin, home, ["screen", join(dir, "one.csv"), "--no-cases", "--workers", "0"]);
  best[name] = {};
}
for (let round = 0; round < 3; round++) {
  for (const [name, bin] of Object.entries(builds)) {
    const home = join(dir, name);
    const cases: Record<string, string[]> = {
      "start-up (one name)": ["screen", join(dir, "one.csv"), "--no-cases", "--workers", "0"],
      "50,000 names, one thread, first screening": ["screen", input, "--no-cases", "--workers", "0"],
      "50,000 names, one thread, re-screening": ["screen", input, "--no-cases", "--workers", "0"],
      "50,000 names, 2 workers": ["screen", input, "--no-cases", "--workers", "2"],
    };
    for (const [label, args] of Object.entries(cases)) {
      // A first screening starts without the word lookups an earlier run kept (cache/words-*).
      if (label.includes("first screening")) forgetWords(home);
      const r = run(bin, home, args);
      const b = best[name]![label];
      if (!b || r.s < b.s) best[name]![label] = r;
    }
  }
}
for (const label of Object.keys(best.after!)) {
  const a = best.before![label]!;
  const b = best.after![label]!;
  const rate = (x: { s: number }) =>
    label.startsWith("50") ? ` = ${Math.round(50000 / x.s).toLocaleString("en-US")} names/s` : "";
  console.log(
    `- ${label}: before ${a.s.toFixed(2)} s${rate(a)}, RSS ${a.mb.toFixed(0)} MB → after ${b.s.toFixed(2)} s${rate(b)}, RSS ${b.mb.toFixed(0)} MB`,
  );
}
