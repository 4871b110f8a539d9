import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLine } from "../../cli/screen-output.js";
import { auditOf } from "../../jobs/audit.js";
import { casesOf } from "../../jobs/cases.js";
import { type JobQueue, openJobQueue } from "../../jobs/queue/queue.js";
import { createTestDatabase } from "../../jobs/queue/testing/processes.js";
import { type RunningWorker, startWorker } from "../../jobs/queue/worker.js";
import { NOT_UTF8_WARNING } from "../../sources/io.js";
import { openStore, type Store, type StoreLocation } from "../../store/index.js";
import { createJobsRepository } from "../../store/jobs-repository.js";
import { createKeysRepository } from "../../store/keys-repository.js";
import { postgresAvailable } from "../../store/testing/backends.js";
import { saveTestLists } from "../../store/testing/lists.js";
import { authenticate } from "../auth.js";
import { handleError } from "../errors.js";
import { FIXTURE_ENTITIES } from "../testing/fixtures.js";
import { jobsRoutes } from "./jobs.js";

const available = await postgresAvailable();

const saveFixtureLists = (store: Store) => saveTestLists(store, FIXTURE_ENTITIES);

/** The jobs plugin in a bare app wired like buildServer (auth hook, validator, error handler). */
async function app(
  store: Store,
  location: StoreLocation,
  queue?: JobQueue,
  bodyLimit?: number,
): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(() => (data) => JSON.stringify(data));
  server.setErrorHandler((error, request, reply) => handleError(error as FastifyError, request, reply));
  server.addHook("onRequest", authenticate(createKeysRepository(store)));
  await server.register(jobsRoutes, {
    store,
    location,
    chunkSize: 2,
    ...(queue ? { queue } : {}),
    ...(bodyLimit ? { bodyLimit } : {}),
  });
  await server.ready();
  return server;
}

describe("jobs routes on SQLite", () => {
  it("answers every route with a clear 'jobs need PostgreSQL'", async () => {
    const home = mkdtempSync(join(tmpdir(), "chokepoint-jobs-sqlite-"));
    const store = await openStore({ home });
    const server = await app(store, { home });
    const { token } = await createKeysRepository(store).create({ role: "analyst" });
    const auth = { authorization: `Bearer ${token}` };
    for (const [method, url] of [
      ["POST", "/jobs/screen"],
      ["GET", "/jobs/x"],
      ["GET", "/jobs/x/results"],
      ["POST", "/jobs/x/cancel"],
    ] as const) {
      const response = await server.inject({
        method,
        url,
        headers: { ...auth, "content-type": "text/csv" },
        ...(method === "POST" ? { payload: "id,name\n1,x\n" } : {}),
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().message).toContain("batch jobs need PostgreSQL");
    }
    await server.close();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("advises on a wrong content type or a too-large upload in terms of uploads, not JSON", async () => {
    const home = mkdtempSync(join(tmpdir(), "chokepoint-jobs-sqlite-"));
    const store = await openStore({ home });
    const server = await app(store, { home }, undefined, 1024);
    const { token } = await createKeysRepository(store).create({ role: "analyst" });
    const post = (type: string, payload: string) =>
      server.inject({
        method: "POST",
        url: "/jobs/screen",
        headers: { authorization: `Bearer ${token}`, "content-type": type },
        payload,
      });
    const zip = await post("application/zip", "PK\u0003\u0004");
    expect(zip.statusCode).toBe(415);
    expect(zip.json().message).toMatch(
      /send text\/csv, application\/csv, application\/x-ndjson, application\/jsonl or application\/x-jsonlines$/,
    );
    const big = await post("text/csv", `id,name\n1,${"x".repeat(2048)}\n`);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/limit of 1 KB \(1024 bytes\); split the file into smaller ones$/);
    // A route without a limit of its own is cut at the server's, and says so.
    const cancel = await server.inject({
      method: "POST",
      url: "/jobs/x/cancel",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(cancel.statusCode).toBe(413);
    expect(cancel.json().message).toMatch(/limit of 1 MB \(1048576 bytes\)/);
    await server.close();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });
});

describe.skipIf(!available)("jobs routes on PostgreSQL", () => {
  let database: { url: string; drop: () => Promise<void> };
  let home: string;
  let store: Store;
  let queue: JobQueue;
  let server: FastifyInstance;
  let worker: RunningWorker | undefined;
  let analyst: Record<string, string>;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase("jobs_api");
    home = mkdtempSync(join(tmpdir(), "chokepoint-jobs-api-"));
    const location = { home, databaseUrl: database.url };
    store = await openStore(location);
    await saveFixtureLists(store);
    // One retry, at once: the failure test below does not wait for back-off.
    queue = await openJobQueue(database.url, {
      supervise: false,
      settings: { retryLimit: 1, retryDelaySeconds: 0 },
    });
    server = await app(store, location, queue);
    const keys = createKeysRepository(store);
    analyst = { authorization: `Bearer ${(await keys.create({ role: "analyst" })).token}` };
    viewer = { authorization: `Bearer ${(await keys.create({ role: "viewer" })).token}` };
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await queue?.stop();
    await store?.close();
    await database?.drop();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  const post = (payload: string, contentType: string, headers = analyst, query = "") =>
    server.inject({
      method: "POST",
      url: `/jobs/screen${query}`,
      headers: { ...headers, "content-type": contentType },
      payload,
    });
  /** The job's status page once it has completed (or after ten seconds, whatever it says then). */
  // biome-ignore lint/suspicious/noExplicitAny: test helper over untyped JSON answers
  const untilCompleted = async (jobId: string, query = ""): Promise<any> => {
    let body = { status: "queued" };
    for (let i = 0; i < 100 && body.status !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      body = (await server.inject({ method: "GET", url: `/jobs/${jobId}${query}`, headers: analyst })).json();
    }
    return body;
  };

  it.each([
    [{}, 401],
    [{ authorization: "Bearer nope" }, 401],
  ])("refuses callers without an analyst key (%j → %i)", async (headers, status) => {
    const response = await post("id,name\n1,x\n", "text/csv", headers as Record<string, string>);
    expect(response.statusCode).toBe(status);
  });

  it("refuses a viewer key with 403", async () => {
    expect((await post("id,name\n1,x\n", "text/csv", viewer)).statusCode).toBe(403);
  });

  it.each([
    ["id,name\n1,x\n", "application/json", 415, "application/json"],
    ["id,name\n1,x\n", "text/plain", 415, "text/plain"],
    ["id,nom\n1,x\n", "text/csv", 400, "no 'name' column"],
    ["", "text/csv", 400, "empty"],
    ["\n\n", "application/x-ndjson", 400, "no rows"],
  ])("refuses a bad upload (%j as %s → %i)", async (payload, type, status, message) => {
    const response = await post(payload, type);
    expect(response.statusCode).toBe(status);
    expect(response.json().message).toContain(message);
  });

  it("takes uploads bigger than the server's 2 MB JSON limit", async () => {
    const address = "x".repeat(300_000);
    const csv = `id,name,address\n${Array.from({ length: 10 }, (_, i) => `B-${i},Big Customer ${i},${address}`).join("\n")}\n`;
    expect(csv.length).toBeGreaterThan(3_000_000);
    const response = await post(csv, "text/csv");
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ rows: 10, chunks: 5 });
  });

  it("reads a Latin-1 upload as Windows-1252 and says so in the answer", async () => {
    const latin1 = Buffer.from("id,name\nC-1,Jos\xe9 P\xe9rez\n", "latin1");
    const response = await server.inject({
      method: "POST",
      url: "/jobs/screen",
      headers: { ...analyst, "content-type": "text/csv" },
      payload: latin1,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().warnings).toEqual([NOT_UTF8_WARNING]);
    const utf8 = await post("id,name\nC-1,José Pérez\n", "text/csv");
    expect(utf8.json()).not.toHaveProperty("warnings");
  });

  it("refuses unknown lists, naming them", async () => {
    const response = await post("id,name\n1,x\n", "text/csv", analyst, "?lists=test-sdn,nope");
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: "querystring.lists", code: "unknown_list" });
  });

  it("404s an unknown job", async () => {
    const response = await server.inject({ method: "GET", url: "/jobs/unknown", headers: analyst });
    expect(response.statusCode).toBe(404);
  });

  it("runs a CSV job: queued, then completed with results in order (broken rows answered)", async () => {
    const csv =
      'id,name\nC-1,Saddam Hussein Al-Tikriti\nC-2,"broken\nC-3,Mahan Air\nC-4,Jane Doe,extra\nC-5,Nobody Here\n';
    const submitted = await post(csv, "text/csv; charset=utf-8", analyst, "?lists=test-sdn&threshold=0.7");
    expect(submitted.statusCode).toBe(202);
    const { jobId, rows, chunks } = submitted.json();
    expect({ rows, chunks }).toEqual({ rows: 5, chunks: 3 });
    expect(submitted.headers.location).toBe(`/jobs/${jobId}`);

    const queued = await server.inject({ method: "GET", url: `/jobs/${jobId}`, headers: analyst });
    expect(queued.json()).toMatchObject({
      jobId,
      status: "queued",
      options: { lists: ["test-sdn"], threshold: 0.7, listVersions: { "test-sdn": 1 } },
      progress: { chunks: { total: 3, done: 0, failed: 0, canceled: 0 }, rows: { total: 5, done: 0 } },
    });
    expect(queued.json().results).toBeUndefined();
    const early = await server.inject({ method: "GET", url: `/jobs/${jobId}/results`, headers: analyst });
    expect(early.statusCode).toBe(409);

    worker = await startWorker({
      store,
      databaseUrl: database.url,
      formatRow: jsonLine,
      settings: { pollingIntervalSeconds: 0.5 },
    });
    const body = await untilCompleted(jobId, "?limit=2");
    expect(body.status).toBe("completed");
    expect(body.progress).toEqual({
      chunks: { total: 3, done: 3, failed: 0, canceled: 0 },
      rows: { total: 5, done: 5 },
    });
    expect(body.results).toMatchObject({ offset: 0, limit: 2, total: 5, next: 2 });
    expect(body.results.items.map((item: { id: string }) => item.id)).toEqual(["C-1", "line-3"]);
    expect(body.results.items[0].matches[0]).toMatchObject({ entityId: "test-sdn:7843", match: true });
    expect(body.results.items[1].issues[0].code).toBe("malformed-row");

    const last = (
      await server.inject({ method: "GET", url: `/jobs/${jobId}?offset=4&limit=2`, headers: analyst })
    ).json();
    expect(last.results.items.map((item: { id: string }) => item.id)).toEqual(["C-5"]);
    expect(last.results.next).toBeUndefined();

    const download = await server.inject({ method: "GET", url: `/jobs/${jobId}/results`, headers: analyst });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toContain("application/x-ndjson");
    const lines = download.body
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(["C-1", "line-3", "C-3", "C-4", "C-5"]);
    expect(lines[2].matches[0]).toMatchObject({ entityId: "test-sdn:200" });
    expect(lines[3].issues[0]).toMatchObject({
      code: "malformed-row",
      message: "line 5: 3 fields but the header has 2",
    });
  }, 60_000);

  it("with record=true, a job's hits open review cases and are audited; answers say when a clearance suppressed one", async () => {
    const csv = "id,name\nR-1,Saddam Hussein Al-Tikriti\nR-2,Nobody Here\n";
    const submitted = await post(csv, "text/csv", analyst, "?lists=test-sdn&record=true");
    expect(submitted.statusCode).toBe(202);
    const { jobId } = submitted.json();
    const body = await untilCompleted(jobId);
    expect(body.status).toBe("completed");
    expect(body.options).toMatchObject({ record: { actor: expect.any(String) } });
    const cases = (await casesOf(store).list()).filter((c) => c.subjectId === "R-1");
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ subjectKind: "party", targetId: "test-sdn:7843", state: "open" });
    expect((await casesOf(store).list()).some((c) => c.subjectId === "R-2")).toBe(false);
    const audited: Array<{ action: string; subject: string }> = [];
    for await (const record of auditOf(store).range("2000-01-01", "2999-01-01")) audited.push(record);
    expect(audited).toContainEqual(expect.objectContaining({ action: "screen.job", subject: "party:R-1" }));

    // Cleared by an analyst, the same hit in a later job is suppressed, not dropped.
    await casesOf(store).decide(
      cases[0]!.id,
      { decision: "clear", user: "alice", reason: "different person: other date of birth" },
      new Date().toISOString(),
    );
    const again = (await post(csv, "text/csv", analyst, "?lists=test-sdn&record=true")).json();
    expect((await untilCompleted(again.jobId)).status).toBe("completed");
    const lines = (
      await server.inject({ method: "GET", url: `/jobs/${again.jobId}/results`, headers: analyst })
    ).body
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0].matches[0]).toMatchObject({ entityId: "test-sdn:7843", suppressed: true });
  }, 60_000);

  it("finds parties through other lists' records unless links=false", async () => {
    const csv = "id,name\nL-1,Sepehr Aviation Trading\n";
    const linked = (await post(csv, "text/csv", analyst, "?lists=test-sdn")).json().jobId;
    const alone = await post(csv, "text/csv", analyst, "?lists=test-sdn&links=false");
    const aloneId = alone.json().jobId;
    const queued = await server.inject({ method: "GET", url: `/jobs/${aloneId}`, headers: analyst });
    expect(queued.json().options).toMatchObject({ lists: ["test-sdn"], viaOtherLists: false });
    expect(queued.json().options.listVersions).toEqual({ "test-sdn": 1 });
    // With links, a worker needs every list the job may link through, at these versions or newer.
    const linkedJob = await server.inject({ method: "GET", url: `/jobs/${linked}`, headers: analyst });
    expect(linkedJob.json().options.listVersions).toEqual({ "test-sdn": 1, "test-un": 1 });
    worker ??= await startWorker({
      store,
      databaseUrl: database.url,
      formatRow: jsonLine,
      settings: { pollingIntervalSeconds: 0.5 },
    });
    const results = async (jobId: string) => {
      expect((await untilCompleted(jobId)).status).toBe("completed");
      const response = await server.inject({
        method: "GET",
        url: `/jobs/${jobId}/results`,
        headers: analyst,
      });
      return response.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    };
    const [linkedRow] = await results(linked);
    expect(linkedRow.matches[0]).toMatchObject({ entityId: "test-sdn:100", match: true });
    expect(linkedRow.matches[0].explanation.linkedThrough.entityId).toBe("test-un:IRe.001");
    const [aloneRow] = await results(aloneId);
    expect(aloneRow.matches).toEqual([]);
  });

  it("runs a JSON-lines job", async () => {
    const jsonl = '{"id":"J-1","name":"Mahan Air","schema":"Company"}\nnot json\n';
    const submitted = await post(jsonl, "application/x-ndjson");
    expect(submitted.statusCode).toBe(202);
    const { jobId } = submitted.json();
    const body = await untilCompleted(jobId);
    expect(body.status).toBe("completed");
    expect(body.results?.items.map((item: { id: string }) => item.id)).toEqual(["J-1", "line-2"]);
  }, 30_000);

  it("reports a chunk that keeps failing as failed, with the other rows answered", async () => {
    const repo = createJobsRepository(store);
    // A chunk whose rows are not job rows makes the worker throw on every attempt.
    const job = await repo.createJob(
      {
        format: "csv",
        options: {},
        chunks: [[{ index: 0, party: { line: 2, id: "OK-1", name: "Mahan Air", issues: [] } }], ["garbage"]],
      },
      (chunks, execute) => queue.enqueue(chunks, execute),
    );
    let body = { status: "queued" } as {
      status: string;
      progress?: unknown;
      results?: { total: number; items: Array<{ id: string }> };
    };
    for (let i = 0; i < 150 && body.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      body = (await server.inject({ method: "GET", url: `/jobs/${job.id}`, headers: analyst })).json();
    }
    expect(body.status).toBe("failed");
    expect(body.progress).toEqual({
      chunks: { total: 2, done: 1, failed: 1, canceled: 0 },
      rows: { total: 2, done: 1 },
    });
    expect((body as { failures?: unknown }).failures).toEqual([
      { chunk: 1, firstRow: 1, rows: 1, error: expect.stringContaining("'in' operator") },
    ]);
    expect(body.results?.items.map((item) => item.id)).toEqual(["OK-1"]);
    const chunks = await repo.chunks(job.id);
    expect(chunks[1]).toMatchObject({ state: "failed", attempts: 2 });
  }, 30_000);

  it("cancels what is left of a job: answered rows stay readable, the rest is never screened", async () => {
    const repo = createJobsRepository(store);
    const row = (index: number, id: string) => ({
      index,
      party: { line: index + 2, id, name: "Mahan Air", issues: [] },
    });
    // No queue messages: the chunks wait as if every worker were busy elsewhere.
    const job = await repo.createJob(
      { format: "csv", options: {}, chunks: [[row(0, "A-1")], [row(1, "A-2")], [row(2, "A-3")]] },
      async () => {},
    );
    await repo.saveChunkResults(job.id, 0, ['{"id":"A-1","matches":[]}']);

    const refused = await server.inject({ method: "POST", url: `/jobs/${job.id}/cancel`, headers: viewer });
    expect(refused.statusCode).toBe(403);
    const canceled = await server.inject({ method: "POST", url: `/jobs/${job.id}/cancel`, headers: analyst });
    expect(canceled.statusCode).toBe(200);
    expect(canceled.json()).toEqual({ jobId: job.id, status: "canceled", chunksCanceled: 2 });

    const body = (await server.inject({ method: "GET", url: `/jobs/${job.id}`, headers: analyst })).json();
    expect(body.status).toBe("canceled");
    expect(body.progress).toEqual({
      chunks: { total: 3, done: 1, failed: 0, canceled: 2 },
      rows: { total: 3, done: 1 },
    });
    expect(body.results.items.map((item: { id: string }) => item.id)).toEqual(["A-1"]);
    // A worker that was screening a canceled chunk neither claims it again nor overwrites it.
    expect(await repo.claimChunk(job.id, 1, "late-worker")).toBeUndefined();
    await repo.saveChunkResults(job.id, 2, ['{"id":"A-3","matches":[]}']);
    expect((await repo.chunks(job.id)).map((chunk) => chunk.state)).toEqual(["done", "canceled", "canceled"]);

    const again = await server.inject({ method: "POST", url: `/jobs/${job.id}/cancel`, headers: analyst });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain("already canceled");
    const unknown = await server.inject({ method: "POST", url: "/jobs/nope/cancel", headers: analyst });
    expect(unknown.statusCode).toBe(404);
  }, 30_000);
});
