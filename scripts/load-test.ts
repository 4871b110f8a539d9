// Load test of the HTTP API: single-name POST /match/default (yente shape) against a server this
// script starts in a child process on 127.0.0.1 (random port), so the load generator and the
// server are measured apart. Reports requests/s, p50, p99 and errors; `--soak SECONDS` also
// samples the server's RSS every 10 s and reports the trend.
//
//   npx tsx scripts/load-test.ts [--rate 500] [--duration 30] [--connections 16] [--soak 300] [--home DIR]
//
// Targets (issue 6): p99 < 25 ms at 500 requests/s with zero errors; memory flat over the soak.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

/** Parties sent in turn: listed names in several spellings and ordinary customers, as an ERP sends them. */
const NAMES: Array<[string, string]> = [
  ["Person", "Saddam Hussein al-Tikriti"],
  ["Person", "Sayf al Adl"],
  ["Company", "Mahan Air"],
  ["Person", "Dmitry Kiselyov"],
  ["Company", "Gulf Star Electronics FZE"],
  ["Person", "John Smith"],
  ["Company", "Hanseatic Motion Controls GmbH"],
  ["Person", "Maria Garcia Lopez"],
  ["Company", "Shenzhen Bright Future Technology Co Ltd"],
  ["Person", "Ali Akbar Ahmadian"],
  ["Company", "Islamic Revolutionary Guard Corps"],
  ["Person", "Kim Jong Un"],
  ["Company", "Rosoboronexport"],
  ["Person", "Viktor Bout"],
  ["Company", "Acme Industrial Supplies Ltd"],
  ["Person", "Hassan Nasrallah"],
];

interface ChildMessage {
  type: "ready" | "rss";
  port?: number;
  token?: string;
  rss?: number;
  heapUsed?: number;
}

// ------------------------------------------------------------------------------------------------
// Child: the server under test.

/** First run: imports the bundled lists in a process of its own, so the import's garbage is not collected during the measurement. */
async function prepareHome(home: string): Promise<void> {
  const { openStore } = await import("../src/store/index.js");
  const { ensureDefaultLists } = await import("../src/jobs/import-lists.js");
  const store = await openStore({ home });
  try {
    await ensureDefaultLists(store);
  } finally {
    await store.close();
  }
}

async function runServer(home: string, sampleMs: number): Promise<void> {
  const { buildServer } = await import("../src/api/server.js");
  const { openStore } = await import("../src/store/index.js");
  const { createKeysRepository } = await import("../src/store/keys-repository.js");
  const { ensureDefaultLists } = await import("../src/jobs/import-lists.js");
  const store = await openStore({ home });
  await ensureDefaultLists(store);
  const { token } = await createKeysRepository(store).create({ role: "viewer", label: "load-test" });
  // The logger as `chokepoint serve` runs it (info: one line per request), written to a file.
  const app = await buildServer({
    store,
    location: { home },
    logger: { level: "info", file: join(home, "load-test-server.log") },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const send = (message: ChildMessage) => process.send?.(message);
  send({ type: "ready", port, token });
  const sample = () => {
    const usage = process.memoryUsage();
    send({ type: "rss", rss: usage.rss, heapUsed: usage.heapUsed });
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  process.on("disconnect", () => {
    clearInterval(timer);
    app
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}

// ------------------------------------------------------------------------------------------------
// Parent: the load generator.

function body(index: number): string {
  const [schema, name] = NAMES[index % NAMES.length]!;
  return JSON.stringify({ queries: { q1: { schema, properties: { name: [name] } } } });
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function slopePerMinute(samples: Array<{ at: number; rss: number }>): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.at, 0) / n;
  const my = samples.reduce((s, p) => s + p.rss, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.at - mx) * (p.rss - my);
    den += (p.at - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: "500" },
      // A single list ("ofac-sdn") also measures links through the other lists' records.
      dataset: { type: "string", default: "default" },
      duration: { type: "string", default: "30" },
      connections: { type: "string", default: "16" },
      soak: { type: "string" },
      home: { type: "string" },
      "serve-child": { type: "string" },
      "prepare-home": { type: "string" },
      "sample-ms": { type: "string", default: "10000" },
    },
  });
  if (values["serve-child"]) return runServer(values["serve-child"], Number(values["sample-ms"]));
  if (values["prepare-home"]) return prepareHome(values["prepare-home"]);

  const rate = Number(values.rate);
  const soak = values.soak ? Number(values.soak) : undefined;
  const duration = soak ?? Number(values.duration);
  const connections = Number(values.connections);
  const tempHome = values.home ? undefined : mkdtempSync(join(tmpdir(), "chokepoint-load-"));
  const home = values.home ?? tempHome!;

  console.log(`preparing ${home} (the first run imports the bundled lists)...`);
  await new Promise<void>((resolve, reject) => {
    fork(process.argv[1]!, ["--prepare-home", home], { execArgv: process.execArgv, stdio: "inherit" }).on(
      "exit",
      (code) => (code === 0 ? resolve() : reject(new Error(`preparing the home failed (${code})`))),
    );
  });
  const samples: Array<{ at: number; rss: number; heapUsed: number }> = [];
  let measuring = false;
  let started = 0;
  const child: ChildProcess = fork(
    process.argv[1]!,
    ["--serve-child", home, "--sample-ms", values["sample-ms"]],
    {
      // LOAD_TEST_SERVER_FLAGS passes Node flags to the server only (e.g. --cpu-prof, --trace-gc).
      execArgv: [
        ...process.execArgv,
        ...(process.env.LOAD_TEST_SERVER_FLAGS?.split(" ").filter(Boolean) ?? []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const ready = new Promise<{ port: number; token: string }>((resolve, reject) => {
    child.on("message", (message: ChildMessage) => {
      if (message.type === "ready") resolve({ port: message.port!, token: message.token! });
      if (message.type === "rss" && measuring) {
        samples.push({ at: Date.now() - started, rss: message.rss!, heapUsed: message.heapUsed! });
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
  console.log("starting the server...");
  const { port, token } = await ready;
  const base = {
    url: `http://127.0.0.1:${port}`,
    connections,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    requests: [
      {
        method: "POST" as const,
        path: `/match/${values.dataset}`,
        setupRequest: (request: autocannon.Request, context: { n?: number }) => {
          context.n = (context.n ?? Math.floor(Math.random() * NAMES.length)) + 1;
          return { ...request, body: body(context.n) };
        },
      },
    ],
  };

  try {
    // Warm-up: JIT and the screener's lazily built per-entity facts.
    await run({ ...base, duration: 5, overallRate: rate });
    measuring = true;
    started = Date.now();
    console.log(`measuring: ${rate} requests/s for ${duration} s over ${connections} connections`);
    const result = await run({ ...base, duration, overallRate: rate });
    measuring = false;
    const errors = result.errors + result.timeouts + result.non2xx;
    const lines = [
      `load test ${new Date().toISOString().slice(0, 16)} UTC — ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      `POST /match/${values.dataset}, one name per request, ${rate} req/s target, ${connections} connections, ${duration} s`,
      `requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s average)`,
      `latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
      `errors: ${errors} (connection errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    ];
    if (samples.length) {
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const peak = Math.max(...samples.map((s) => s.rss));
      // The first minute still grows (caches filling); the trend is read after it.
      const settled = samples.filter((s) => s.at >= 60_000);
      const slope = slopePerMinute(settled.length >= 3 ? settled : samples);
      lines.push(
        `memory (RSS every ${Number(values["sample-ms"]) / 1000} s, ${samples.length} samples): first ${mb(first.rss)}, last ${mb(last.rss)}, peak ${mb(peak)}, trend ${slope >= 0 ? "+" : ""}${mb(slope)}/min${settled.length >= 3 ? " after the first minute" : ""}`,
        `rss samples MB: ${samples.map((s) => (s.rss / 2 ** 20).toFixed(0)).join(" ")}`,
        `heap used samples MB: ${samples.map((s) => (s.heapUsed / 2 ** 20).toFixed(0)).join(" ")}`,
      );
    }
    const pass = result.latency.p99 < 25 && errors === 0 && result.requests.average >= rate * 0.95;
    lines.push(`target p99 < 25 ms at ${rate} req/s with zero errors: ${pass ? "met" : "NOT met"}`);
    console.log(lines.join("\n"));
    process.exitCode = pass ? 0 : 1;
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once("exit", resolve));
    if (tempHome) rmSync(tempHome, { recursive: true, force: true });
  }
}

await main();
