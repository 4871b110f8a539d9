import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/index.js";
import { createJobsRepository, type JobsRepository } from "../../store/jobs-repository.js";
import { postgresAvailable } from "../../store/testing/backends.js";
import { ensureDefaultLists } from "../import-lists.js";
import { jobProgress } from "./job-model.js";
import { type JobQueue, openJobQueue, submitScreenJob } from "./queue.js";
import { createTestDatabase, spawnWorker, type WorkerProcess } from "./testing/processes.js";
import { parseCsvUpload } from "./upload.js";

const available = await postgresAvailable();
if (!available) console.warn("jobs worker tests: PostgreSQL not reachable; skipped");

const ROWS = 12_000;
// Big chunks (a few hundred ms each) so the kill reliably lands while one is being screened.
const CHUNK = 3000;

/** Customer names that look real (and a few near-hits), with two broken rows among them. */
function upload(): string {
  const names = [
    "Kathryn Barr",
    "Ingeborg Abrahamsen",
    "Saddam Hussein Al-Tikriti",
    "Mahan Air",
    "Jonas Weber",
  ];
  const lines = ["id,name,country"];
  for (let i = 0; i < ROWS - 2; i++) lines.push(`R${i},${names[i % names.length]} ${i % 97},`);
  lines.splice(101, 0, 'BAD1,"never closed,'); // row index 100
  lines.splice(4002, 0, "BAD2,too,many,fields"); // row index 4001
  return `${lines.join("\n")}\n`;
}

describe.skipIf(!available)("two worker processes, one killed mid-chunk", () => {
  let database: { url: string; drop: () => Promise<void> };
  let home: string;
  let store: Store;
  let repo: JobsRepository;
  let queue: JobQueue;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("jobs");
    home = mkdtempSync(join(tmpdir(), "chokepoint-jobs-"));
    store = await openStore({ home, databaseUrl: database.url });
    await ensureDefaultLists(store);
    repo = createJobsRepository(store);
    // A chunk not finished 4 s after it started belongs to a dead worker (a live one needs ~1 s).
    queue = await openJobQueue(database.url, {
      supervise: false,
      settings: { expireInSeconds: 4, retryDelaySeconds: 0 },
    });
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await queue?.stop();
    await store?.close();
    await database?.drop();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it("completes the job with every row answered exactly once", async () => {
    const args = ["--maintenance-interval", "1"];
    const a = spawnWorker({ databaseUrl: database.url, home, args });
    const b = spawnWorker({ databaseUrl: database.url, home, args });
    workers.push(a, b);
    await Promise.all([a.waitFor(/waiting for chunks/), b.waitFor(/waiting for chunks/)]);

    const rows = parseCsvUpload(upload());
    expect(rows).toHaveLength(ROWS);
    const listVersions = Object.fromEntries(
      (await store.currentVersions()).map((v) => [v.listId, v.version]),
    );
    const job = await submitScreenJob(repo, queue, {
      rows,
      format: "csv",
      options: { listVersions },
      chunkSize: CHUNK,
    });

    // Kill A as soon as it has started a chunk, and check the chunk was indeed left unfinished.
    const started = await a.waitFor(new RegExp(`chunk ${job.id}:\\d+ started`));
    a.child.kill("SIGKILL");
    await a.exited;
    const killedSeq = Number(/:(\d+) started/.exec(started)?.[1]);
    const killedChunk = (await repo.chunks(job.id)).find((c) => c.seq === killedSeq);
    expect(killedChunk?.state).toBe("running");

    let progress = jobProgress(await repo.chunks(job.id));
    const deadline = Date.now() + 90_000;
    while (progress.status !== "completed" && progress.status !== "failed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      progress = jobProgress(await repo.chunks(job.id));
    }
    expect(progress).toEqual({
      status: "completed",
      chunks: { total: ROWS / CHUNK, done: ROWS / CHUNK, failed: 0, canceled: 0 },
      rows: { total: ROWS, done: ROWS },
    });

    // The killed chunk was finished by the other worker, on a later attempt.
    const retried = (await repo.chunks(job.id)).find((c) => c.seq === killedSeq);
    expect(retried?.attempts).toBeGreaterThanOrEqual(2);
    expect(b.lines.some((line) => line.includes(`chunk ${job.id}:${killedSeq} done`))).toBe(true);

    // Exactly one answer per input row, in input order.
    expect(await repo.resultCount(job.id)).toBe(ROWS);
    const lines = await repo.results(job.id, { offset: 0, limit: ROWS + 10 });
    const answers = lines.map(
      (line) => JSON.parse(line) as { id: string; matches: unknown[]; issues?: unknown[] },
    );
    const expectedIds = rows.map((row) => ("party" in row ? row.party.id : row.broken.id));
    expect(answers.map((answer) => answer.id)).toEqual(expectedIds);
    expect(answers[100]?.issues).toEqual([
      { code: "malformed-row", message: "line 102: a quoted field is not closed", field: "row" },
    ]);
    expect(answers[4001]).toMatchObject({ id: "BAD2", matches: [], issues: [{ code: "malformed-row" }] });
    const saddam = answers.find((answer) => answer.id === "R2");
    expect(saddam?.matches.length).toBeGreaterThan(0);

    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
    expect(b.lines.some((line) => line.includes("stopped after"))).toBe(true);
    // On stop it kept the words it looked up for the next worker over the same lists.
    expect(readdirSync(join(home, "cache")).some((name) => name.startsWith("words-"))).toBe(true);
  }, 150_000);
});
