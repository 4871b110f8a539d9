import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createJobsRepository,
  isPostgresStore,
  JOBS_NEED_POSTGRES,
  type JobsRepository,
} from "./jobs-repository.js";
import { type Backend, postgresAvailable, postgresBackend, sqliteBackend } from "./testing/backends.js";
import { StoreError } from "./types.js";

const available = await postgresAvailable();

describe("jobs repository on SQLite", () => {
  it("is refused with the message every door shows", async () => {
    const { store, cleanup } = await sqliteBackend.open();
    expect(isPostgresStore(store)).toBe(false);
    expect(() => createJobsRepository(store)).toThrow(StoreError);
    expect(() => createJobsRepository(store)).toThrow(JOBS_NEED_POSTGRES);
    await store.close();
    await cleanup();
  });
});

describe.skipIf(!available)("jobs repository on PostgreSQL", () => {
  let opened: Awaited<ReturnType<Backend["open"]>>;
  let repo: JobsRepository;
  const enqueued: Array<{ jobId: string; seq: number }> = [];

  beforeAll(async () => {
    opened = await postgresBackend.open();
    repo = createJobsRepository(opened.store, () => new Date("2026-03-01T10:00:00.000Z"));
  }, 30_000);

  afterAll(async () => {
    await opened?.store.close();
    await opened?.cleanup();
  });

  const newJob = () =>
    repo.createJob(
      { format: "csv", options: { lists: ["un"] }, chunks: [["a", "b"], ["c", "d"], ["e"]] },
      async (chunks, execute) => {
        // The messages go through the job's own transaction: the executor sees the uncommitted job.
        const { rows } = await execute("select count(*)::int as n from screen_jobs where id = $1", [
          chunks[0]?.jobId,
        ]);
        expect(rows).toEqual([{ n: 1 }]);
        enqueued.push(...chunks);
      },
    );

  it("stores a job with its chunks and queues them in the same transaction", async () => {
    const job = await newJob();
    expect(job).toMatchObject({ format: "csv", options: { lists: ["un"] }, rowCount: 5, chunkCount: 3 });
    expect(enqueued.filter((c) => c.jobId === job.id).map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(await repo.job(job.id)).toEqual(job);
    expect((await repo.chunks(job.id)).map((c) => [c.seq, c.firstIndex, c.rowCount, c.state])).toEqual([
      [0, 0, 2, "pending"],
      [1, 2, 2, "pending"],
      [2, 4, 1, "pending"],
    ]);
  });

  it("stores nothing when queueing fails", async () => {
    await expect(
      repo.createJob({ id: "doomed", format: "csv", options: {}, chunks: [["a"]] }, async () => {
        throw new Error("queue down");
      }),
    ).rejects.toThrow("queue down");
    expect(await repo.job("doomed")).toBeUndefined();
  });

  it("claims, answers exactly once on a retry, and pages results across chunks", async () => {
    const job = await newJob();
    const first = await repo.claimChunk(job.id, 1, "w1");
    expect(first).toMatchObject({ chunk: { state: "running", attempts: 1, worker: "w1" }, rows: ["c", "d"] });
    expect(first?.options).toEqual({ lists: ["un"] });
    // w1 dies; the retry goes to w2, and then w1's late answer arrives too.
    expect((await repo.claimChunk(job.id, 1, "w2"))?.chunk.attempts).toBe(2);
    await repo.saveChunkResults(job.id, 1, ["C2", "D2"]);
    await repo.saveChunkResults(job.id, 1, ["C1", "D1"]);
    expect(await repo.claimChunk(job.id, 1, "w3")).toBeUndefined();
    await expect(repo.saveChunkResults(job.id, 0, ["only one"])).rejects.toThrow(StoreError);

    await repo.saveChunkResults(job.id, 0, ["A", "B"]);
    await repo.saveChunkResults(job.id, 2, ["E"]);
    expect(await repo.resultCount(job.id)).toBe(5);
    expect(await repo.results(job.id, { offset: 0, limit: 10 })).toEqual(["A", "B", "C1", "D1", "E"]);
    expect(await repo.results(job.id, { offset: 1, limit: 3 })).toEqual(["B", "C1", "D1"]);
    expect(await repo.results(job.id, { offset: 5, limit: 3 })).toEqual([]);
  });

  it("fails a chunk for good, but never a done one", async () => {
    const job = await newJob();
    await repo.saveChunkResults(job.id, 0, ["A", "B"]);
    await repo.failChunk(job.id, 0, "late failure");
    await repo.failChunk(job.id, 1, "job failed by timeout in active state");
    const chunks = await repo.chunks(job.id);
    expect(chunks.map((c) => c.state)).toEqual(["done", "failed", "pending"]);
    expect(chunks[1]?.error).toBe("job failed by timeout in active state");
    expect(await repo.claimChunk(job.id, 1, "w1")).toBeUndefined();
  });
});
