import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { casesOf } from "../../jobs/cases.js";
import { NOT_UTF8_WARNING } from "../../sources/io.js";
import type { ApiRole } from "../../store/keys-repository.js";
import { buildScreeningIndex } from "../screening.js";
import { buildServer } from "../server.js";
import { fixtureStore } from "../testing/fixtures.js";
import { parseStates } from "./cases.js";

let fixture: Awaited<ReturnType<typeof fixtureStore>>;
let app: FastifyInstance;
const tokens = {} as Record<ApiRole, string>;

beforeAll(async () => {
  fixture = await fixtureStore();
  for (const role of ["viewer", "analyst", "admin"] as const) tokens[role] = await fixture.tokenFor(role);
  app = await buildServer({
    store: fixture.store,
    location: { home: fixture.home },
    index: await buildScreeningIndex(fixture.store),
    webRoot: "/nonexistent",
  });
});

afterAll(async () => {
  await app?.close();
  await fixture?.cleanup();
});

function call(
  method: "GET" | "POST",
  url: string,
  role: ApiRole = "analyst",
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[role]}`, ...headers },
    ...(payload === undefined ? {} : { payload: payload as string }),
  });
}

async function screenSaddam(): Promise<{ caseId: number; suppressed: boolean }> {
  const response = await call("POST", "/screen/parties", "viewer", {
    parties: [{ id: "C-1", name: "Saddam Hussein al-Tikriti" }],
    record: true,
  });
  expect(response.statusCode).toBe(200);
  const hit = response
    .json()
    .results[0].matches.find((m: { entityId: string }) => m.entityId === "test-sdn:7843");
  return { caseId: hit.caseId, suppressed: hit.suppressed === true };
}

describe("case routes", () => {
  it("parses queue states, refusing unknown ones", () => {
    expect(parseStates(undefined)).toEqual(["open", "in_review", "escalated"]);
    expect(parseStates("open,cleared")).toEqual(["open", "cleared"]);
    expect(parseStates("all")).toHaveLength(5);
    expect(() => parseStates("opn")).toThrow(/unknown case state 'opn'/);
  });

  it("starts monitoring only the lists a recorded screening selected, though links read the others", async () => {
    const own = await fixtureStore();
    const server = await buildServer({
      store: own.store,
      location: { home: own.home },
      index: await buildScreeningIndex(own.store),
      webRoot: "/nonexistent",
    });
    try {
      const response = await server.inject({
        method: "POST",
        url: "/screen/parties",
        headers: { authorization: `Bearer ${await own.tokenFor("viewer")}` },
        payload: { parties: [{ id: "M-1", name: "Nobody Here" }], lists: ["test-sdn"], record: true },
      });
      expect(response.statusCode).toBe(200);
      expect([...(await casesOf(own.store).monitorState()).keys()]).toEqual(["test-sdn"]);
    } finally {
      await server.close();
      await own.cleanup();
    }
  });

  it("records screenings only with record: true", async () => {
    const plain = await call("POST", "/screen/parties", "viewer", {
      parties: [{ id: "X", name: "Mahan Air" }],
    });
    expect(plain.json().results[0].matches[0].caseId).toBeUndefined();
    expect((await call("GET", "/cases?state=all", "viewer")).json().total).toBe(0);
  });

  it("opens a case, refuses a decision without a reason or on a stale version, clears, then suppresses", async () => {
    const { caseId, suppressed } = await screenSaddam();
    expect(caseId).toBeGreaterThan(0);
    expect(suppressed).toBe(false);

    const queue = (await call("GET", "/cases?q=saddam", "viewer")).json();
    expect(queue.total).toBe(1);
    expect(queue.counts.open).toBe(1);
    expect(queue.cases[0]).toMatchObject({ id: caseId, state: "open", listId: "test-sdn" });
    expect((await call("GET", "/cases?list=test-un", "viewer")).json().total).toBe(0);
    expect((await call("GET", "/cases?state=nope", "viewer")).statusCode).toBe(400);

    const detail = (await call("GET", `/cases/${caseId}`, "viewer")).json();
    expect(detail.case.query).toMatchObject({ name: "Saddam Hussein al-Tikriti" });
    expect(detail.entity).toMatchObject({ id: "test-sdn:7843", raw: { nativeId: "7843" } });
    expect((await call("GET", "/cases/999999", "viewer")).statusCode).toBe(404);

    const noReason = await call("POST", `/cases/${caseId}/decision`, "analyst", {
      decision: "clear",
      expectedVersion: 1,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain("a decision needs a reason");
    const blank = await call("POST", `/cases/${caseId}/decision`, "analyst", {
      decision: "clear",
      reason: "  ",
    });
    expect(blank.statusCode).toBe(400);
    const viewer = await call("POST", `/cases/${caseId}/decision`, "viewer", {
      decision: "clear",
      reason: "x",
    });
    expect(viewer.statusCode).toBe(403);

    const assigned = await call("POST", `/cases/${caseId}/assign`, "analyst", { assignee: "bob" });
    expect(assigned.json().case).toMatchObject({ state: "in_review", version: 2 });
    const stale = await call("POST", `/cases/${caseId}/decision`, "analyst", {
      decision: "clear",
      reason: "born 1985",
      expectedVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toBe("conflict");
    expect((await call("GET", `/cases/${caseId}`, "viewer")).json().case.state).toBe("in_review");

    const cleared = await call("POST", `/cases/${caseId}/decision`, "analyst", {
      decision: "clear",
      reason: "born 1985",
      expectedVersion: 2,
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().case.state).toBe("cleared");
    const comment = await call("POST", `/cases/${caseId}/comment`, "analyst", { text: "passport seen" });
    expect(comment.statusCode).toBe(200);

    const again = await screenSaddam();
    expect(again).toEqual({ caseId, suppressed: true });
    const events = (await call("GET", `/cases/${caseId}`, "viewer"))
      .json()
      .events.map((e: { type: string }) => e.type);
    expect(events).toEqual(["opened", "assigned", "state", "comment", "suppressed"]);

    const customers = (await call("GET", "/customers", "viewer")).json();
    expect(customers.customers.map((c: { id: string }) => c.id)).toContain("C-1");
    const verify = (await call("GET", "/audit/verify", "analyst")).json();
    expect(verify.ok).toBe(true);
    const exported = await call("GET", "/audit/export?from=2000-01-01", "admin");
    expect(exported.statusCode).toBe(200);
    expect(exported.body.trim().split("\n").length).toBe(verify.records);
    expect((await call("GET", "/audit/export", "analyst")).statusCode).toBe(403);
    expect((await call("GET", "/audit/export?from=yesterday", "admin")).statusCode).toBe(400);
  });

  it("imports customers from CSV (admin) and refuses other file types", async () => {
    const csv = "id,name,country\nC-9,Mahan Air,IR\nC-10,,IR\n";
    const imported = await call("POST", "/customers/import", "admin", csv, { "content-type": "text/csv" });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ read: 2, created: 1, screened: 1, newCases: 1 });
    expect(imported.json()).not.toHaveProperty("warnings");
    expect(imported.json().rejected).toHaveLength(1);
    const json = await call("POST", "/customers/import", "admin", { id: "x" });
    expect(json.statusCode).toBe(415);
    const binary = await call("POST", "/customers/import", "admin", "PK\u0003\u0004...", {
      "content-type": "application/zip",
    });
    expect(binary.statusCode).toBe(415);
    // The advice names what this route takes, not the JSON the other routes take.
    expect(binary.json().message).toMatch(/send text\/csv or application\/csv$/);
    const tooLarge = await call(
      "POST",
      "/customers/import",
      "admin",
      `id,name\n${"x".repeat(11 * 2 ** 20)}\n`,
      {
        "content-type": "text/csv",
      },
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().message).toMatch(/limit of 10 MB .*; split the file into smaller ones$/);
    const notCsv = await call("POST", "/customers/import", "admin", "hello world\n", {
      "content-type": "text/csv",
    });
    expect(notCsv.statusCode).toBe(400);
    expect(
      (await call("POST", "/customers/import", "analyst", csv, { "content-type": "text/csv" })).statusCode,
    ).toBe(403);
  });

  it("reads a Latin-1 customer file as Windows-1252, not as UTF-8 with replacement characters", async () => {
    const latin1 = Buffer.from("id,name,country\nC-11,Jos\xe9 P\xe9rez\x92s Trading,ES\n", "latin1");
    const imported = await call("POST", "/customers/import", "admin", latin1, { "content-type": "text/csv" });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().warnings).toEqual([NOT_UTF8_WARNING]);
    const customers = (await call("GET", "/customers?limit=500", "viewer")).json();
    const stored = JSON.stringify(customers);
    expect(stored).toContain("José Pérez’s Trading");
    expect(stored).not.toContain("\ufffd");
  });

  it("imports a customer file with CR line endings or a quoted, padded header", async () => {
    for (const csv of ["id,name\rC-12,Mahan Air\r", '"id"," Name "\nC-13,Mahan Air\n']) {
      const imported = await call("POST", "/customers/import", "admin", csv, { "content-type": "text/csv" });
      expect(imported.statusCode, JSON.stringify(csv)).toBe(200);
      expect(imported.json()).toMatchObject({ read: 1, rejected: [] });
    }
  });

  it("runs monitoring and diffs list versions", async () => {
    const run = await call("POST", "/monitoring/run", "analyst");
    expect(run.statusCode).toBe(200);
    expect(run.json()).toHaveProperty("lists");
    const diff = await call("GET", "/lists/test-sdn/diff", "viewer");
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toMatchObject({ listId: "test-sdn", from: 1, to: 1, added: [] });
    expect((await call("GET", "/lists/nope/diff", "viewer")).statusCode).toBe(404);
    expect((await call("GET", "/lists/test-sdn/diff?from=7", "viewer")).statusCode).toBe(404);
  });

  it("answers a page request with the not-built notice when the UI is absent", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("npm run build");
  });
});
