// What V8's optimising compiler does during a first screening through the built CLI: the 50,000
// synthetic names screened once (`screen --workers 0`, index cached, no word lookups kept) under
// `--trace-opt --trace-deopt-verbose` (plain `--trace-deopt` prints no source positions). Each optimised function thrown away (a deopt) is compiled again, on
// a helper thread that a lone screening thread gets for free but two screening threads share with
// each other (docs/benchmarks.md, 2026-12-06 afternoon notes). "wrong map" deopts are the avoidable
// kind: one site met objects or arrays of two shapes (`packedMap` in matching/screener.ts).
// Not a benchmark: compile times are wall times of a helper thread, and vary with the machine.
// Run: `npm run build && npx tsx scripts/jit-report.ts`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticScreeningCsv } from "./bench-cli.js";

/** Counts read off V8's trace of one run. */
export interface JitReport {
  deopts: number;
  /** Deopts whose reason is "wrong map", by source position. */
  wrongMap: Map<string, number>;
  compiles: number;
  /** Sum of the three phases V8 reports per optimising compile, in ms. */
  compileMs: number;
  /** Per function: optimising compiles and their ms. */
  byFunction: Map<string, { compiles: number; ms: number }>;
}

/**
 * Reads `--trace-opt --trace-deopt-verbose` output (one event per line; other lines are ignored).
 * A wrong-map deopt's site is the first `deoptimize at` position after it (the innermost frame of
 * an inlined chain); getters and setters are named as V8 names them ("get vocabKey").
 *
 * @example
 * readJitTrace("[completed compiling 0x1 <JSFunction forms (sfi = 0x2)> (target TURBOFAN) - took 0.1, 40.2, 0.3 ms]").compiles // 1
 */
export function readJitTrace(trace: string): JitReport {
  const report: JitReport = {
    deopts: 0,
    wrongMap: new Map(),
    compiles: 0,
    compileMs: 0,
    byFunction: new Map(),
  };
  let pendingWrongMap = false;
  for (const line of trace.split("\n")) {
    const compiled = line.match(
      /^\[completed compiling .*?<JSFunction ((?:get |set )?[^\s(>]*).*took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/,
    );
    if (compiled) {
      const ms = Number(compiled[2]) + Number(compiled[3]) + Number(compiled[4]);
      const name = compiled[1] || "(anonymous)";
      const entry = report.byFunction.get(name) ?? { compiles: 0, ms: 0 };
      entry.compiles++;
      entry.ms += ms;
      report.byFunction.set(name, entry);
      report.compiles++;
      report.compileMs += ms;
      continue;
    }
    if (line.startsWith("[bailout (kind:")) {
      report.deopts++;
      pendingWrongMap = line.includes("reason: wrong map");
      continue;
    }
    // --trace-deopt-verbose puts the position on a line of its own after the bailout.
    const at = line.match(/deoptimize at <([^>]*)>/);
    if (pendingWrongMap && at) {
      const site = at[1]!.replace(/^.*\/dist\//, "");
      report.wrongMap.set(site, (report.wrongMap.get(site) ?? 0) + 1);
      pendingWrongMap = false;
    }
  }
  return report;
}

function runTraced(): string {
  const bin = fileURLToPath(new URL("../bin/chokepoint.js", import.meta.url));
  if (!existsSync(new URL("../dist/cli/bin.js", import.meta.url))) throw new Error("run npm run build first");
  const dir = mkdtempSync(join(tmpdir(), "chokepoint-jit-"));
  try {
    const input = join(dir, "names.csv");
    writeSyntheticScreeningCsv(input);
    writeFileSync(join(dir, "one.csv"), "id,name\n1,Jane Doe\n");
    const env = { ...process.env, CHOKEPOINT_HOME: join(dir, "home") };
    const screen = (file: string, flags: string[]) =>
      spawnSync(process.execPath, [...flags, bin, "screen", file, "--no-cases", "--workers", "0"], {
        env,
        maxBuffer: 1 << 30,
      });
    // Imports the bundled lists and caches the index; the traced run then starts as a user's would.
    const warm = screen(join(dir, "one.csv"), []);
    if (warm.status !== 0) throw new Error(`screen failed: ${warm.stderr.toString()}`);
    const cache = join(dir, "home", "cache");
    for (const name of readdirSync(cache)) if (name.startsWith("words-")) rmSync(join(cache, name));
    const traced = screen(input, ["--trace-opt", "--trace-deopt-verbose"]);
    if (traced.status !== 0) throw new Error(`screen failed: ${traced.stderr.toString()}`);
    return traced.stdout.toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = readJitTrace(runTraced());
  console.log(
    `deopts: ${report.deopts}, of which wrong map: ${[...report.wrongMap.values()].reduce((a, b) => a + b, 0)}`,
  );
  for (const [site, count] of [...report.wrongMap].sort((a, b) => b[1] - a[1]))
    console.log(`  wrong map ×${count} at ${site}`);
  console.log(`optimising compiles: ${report.compiles}, ${report.compileMs.toFixed(0)} ms in all`);
  for (const [name, { compiles, ms }] of [...report.byFunction]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 15))
    console.log(`  ${name}: ${compiles} compile(s), ${ms.toFixed(0)} ms`);
}
