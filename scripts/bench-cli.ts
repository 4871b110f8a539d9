import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Writes the 50,000 synthetic negatives (`../shared/data/eval`) as a screening CSV (`id,name,schema`,
 * every row a Person) for the CLI benchmarks and scripts; returns how many rows.
 *
 * @example
 * const count = writeSyntheticScreeningCsv(join(dir, "names.csv")); // 50000
 */
export function writeSyntheticScreeningCsv(file: string): number {
  const rows = readFileSync(
    fileURLToPath(new URL("../../shared/data/eval/negatives-us-synthetic.csv", import.meta.url)),
    "utf8",
  )
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line, i) => {
      const name = (line.match(/^"([^"]*)"|^([^,]*)/) ?? [])[1] ?? line.split(",")[0];
      return `n${i},"${String(name).replace(/"/g, '""')}",Person`;
    });
  writeFileSync(file, `id,name,schema\n${rows.join("\n")}\n`);
  return rows.length;
}

/**
 * End to end through the built CLI (`npm run build` first): 50,000 synthetic names against every
 * bundled list, in one thread and with two worker threads, start-up included: first with the
 * index cached but no word lookups kept from an earlier run, then again with the words the
 * previous run kept (a re-screening of the same customers). Wall time from process start to
 * exit; peak RSS from GNU time when it is installed.
 *
 * @example
 * const lines = await benchCli();
 */
export async function benchCli(): Promise<string[]> {
  const bin = new URL("../bin/chokepoint.js", import.meta.url).pathname;
  if (!existsSync(new URL("../dist/cli/bin.js", import.meta.url)))
    return ["cli: not built (run npm run build)"];
  const dir = mkdtempSync(join(tmpdir(), "chokepoint-bench-cli-"));
  try {
    const input = join(dir, "names.csv");
    const count = writeSyntheticScreeningCsv(input);
    const home = join(dir, "home");
    const run = (args: string[]) => {
      const timed = existsSync("/usr/bin/time");
      const command = timed ? "/usr/bin/time" : process.execPath;
      const argv = timed ? ["-f", "%M", process.execPath, bin, ...args] : [bin, ...args];
      const started = performance.now();
      const result = spawnSync(command, argv, {
        env: { ...process.env, CHOKEPOINT_HOME: home },
        maxBuffer: 1 << 30,
      });
      const seconds = (performance.now() - started) / 1000;
      const rssKb = timed ? Number(result.stderr.toString().trim().split("\n").pop()) : Number.NaN;
      return { seconds, rssMb: rssKb / 1024, status: result.status };
    };
    run(["lists", "status"]); // first run imports the bundled lists
    const touch = firstTouchMicroseconds();
    writeFileSync(join(dir, "one.csv"), "id,name\n1,Jane Doe\n");
    const cold = run(["screen", join(dir, "one.csv"), "--no-cases", "--workers", "0"]);
    const warm = run(["screen", join(dir, "one.csv"), "--no-cases", "--workers", "0"]);
    const lines: string[] = [
      `cli: machine state: a new process's first write to fresh memory took ${touch.toFixed(1)} µs per 4 KB page (64 MB probe; a one-name screen touches ~140 MB, a 50,000-name one ~300 MB)`,
      `cli: start-up for one name, one thread: ${cold.seconds.toFixed(2)} s cold (read lists, build the index, cache it), ${warm.seconds.toFixed(2)} s warm (index from the home's cache)`,
    ];
    // A run keeps the words it looked up for the next run over the same lists (words-*.snap):
    // the headline runs start without them, as a first screening of these names would.
    const forgetWords = () => {
      const cache = join(home, "cache");
      for (const name of readdirSync(cache)) if (name.startsWith("words-")) rmSync(join(cache, name));
    };
    const screenAll = (workers: number, label: string) => {
      const { seconds, rssMb, status } = run([
        "screen",
        input,
        "--lists",
        "all",
        "--no-cases",
        "--workers",
        String(workers),
      ]);
      lines.push(
        `cli: screen ${count} names against all lists (${label}), ${workers === 0 ? "one thread" : `${workers} workers`}: ${seconds.toFixed(2)} s end to end = ${Math.round(count / seconds)} names/s (target ≥ 20,000); peak RSS ${Number.isNaN(rssMb) ? "n/a" : `${rssMb.toFixed(0)} MB`} (target < 600 MB)${status === 0 ? "" : `; exit ${status}`}`,
      );
    };
    for (const workers of [0, 2]) {
      forgetWords();
      screenAll(workers, "index cached, words new");
    }
    // Month-end re-screening: the same names again, with the words the previous run kept.
    forgetWords();
    run(["screen", input, "--lists", "all", "--no-cases", "--workers", "0"]);
    for (const workers of [0, 2]) screenAll(workers, "again, words kept from the last run");
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a new process pays the first time it writes to a page of memory: a 64 MB buffer written one
 * byte per 4 KB page, in a child process, best of three. On this VM it has ranged from cheap to
 * ~11 µs a page (2026-12-06), and every CLI run pays it for all the memory it touches: a block's
 * end-to-end figures are read with it.
 */
function firstTouchMicroseconds(): number {
  const probe = `const n = 64 << 20; const b = Buffer.allocUnsafeSlow(n); const t = performance.now();
    for (let i = 0; i < n; i += 4096) b[i] = 1; process.stdout.write(String(((performance.now() - t) * 1000) / (n / 4096)));`;
  const runs = [0, 1, 2]
    .map(() => Number(spawnSync(process.execPath, ["-e", probe]).stdout.toString()))
    .filter(Number.isFinite);
  return runs.length > 0 ? Math.min(...runs) : Number.NaN;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchCli()) console.log(line);
}
