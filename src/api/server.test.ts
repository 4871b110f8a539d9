import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readItemControls } from "../cli/items-command.js";
import { loadOrderRules } from "../cli/orders-command.js";
import type { ItemControls } from "../items/index.js";
import { DEFAULT_MATCH_THRESHOLD } from "../matching/index.js";
import { entityToFtm } from "../sources/ftm-jsonl.js";
import { type Store, StoreError } from "../store/index.js";
import type { ApiRole, KeysRepository } from "../store/keys-repository.js";
import type { OrderRules } from "./routes/orders.js";
import { buildScreeningIndex, type ScreeningIndex } from "./screening.js";
import { buildServer, type ServerDeps } from "./server.js";
import { entity, fixtureStore } from "./testing/fixtures.js";

let fixture: Awaited<ReturnType<typeof fixtureStore>>;
let index: ScreeningIndex;
let controls: ItemControls;
let rules: OrderRules;
let app: FastifyInstance;
let importRoot: string;
const tokens = {} as Record<ApiRole, string>;

async function server(extra: Partial<ServerDeps> = {}): Promise<FastifyInstance> {
  return buildServer({
    store: fixture.store,
    location: { home: fixture.home },
    index,
    itemControls: controls,
    orderRules: rules,
    importRoots: [importRoot],
    ...extra,
  });
}

beforeAll(async () => {
  fixture = await fixtureStore();
  index = await buildScreeningIndex(fixture.store);
  [controls, rules] = await Promise.all([readItemControls(), loadOrderRules()]);
  importRoot = join(fixture.home, "imports");
  mkdirSync(importRoot, { recursive: true });
  for (const role of ["viewer", "analyst", "admin"] as const) tokens[role] = await fixture.tokenFor(role);
  app = await server();
});

afterAll(async () => {
  await app?.close();
  await fixture?.cleanup();
});

const bearer = (role: ApiRole) => ({ authorization: `Bearer ${tokens[role]}` });

function post(url: string, payload: unknown, role: ApiRole = "viewer"): Promise<LightMyRequestResponse> {
  return app.inject({ method: "POST", url, headers: bearer(role), payload: payload as object });
}

const saddam = {
  schema: "Person",
  properties: { name: ["Saddam Hussein al-Tikriti"], birthDate: ["1937-04-28"] },
};

describe("public endpoints", () => {
  it("GET /healthz answers without a key", async () => {
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", lists: 2, entities: 5 });
  });

  it("GET /openapi.json describes every endpoint with the bearer scheme", async () => {
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/healthz",
        "/screen/parties",
        "/match/{dataset}",
        "/screen/items",
        "/screen/orders",
        "/lists",
        "/lists/import",
        "/entities/{id}",
        "/jobs/screen",
        "/jobs/{id}",
      ]),
    );
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    // Request bodies come from the zod schemas, field by field.
    const ref = doc.paths["/screen/parties"].post.requestBody.content["application/json"].schema
      .$ref as string;
    const schema = doc.components.schemas[ref.split("/").pop()!];
    expect(schema.required).toContain("parties");
    expect(schema.properties.parties.maxItems).toBe(1000);
    // Upload routes document their raw bodies under the content types they take.
    expect(Object.keys(doc.paths["/customers/import"].post.requestBody.content)).toEqual([
      "text/csv",
      "application/csv",
    ]);
    expect(Object.keys(doc.paths["/jobs/screen"].post.requestBody.content)).toContain("application/x-ndjson");
  });

  it("GET /docs serves the UI and its assets from the package, no CDN", async () => {
    const page = await app.inject({ method: "GET", url: "/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
    const bundle = await app.inject({ method: "GET", url: "/docs/static/swagger-ui-bundle.js" });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it("answers an unknown route with a JSON 404", async () => {
    const response = await app.inject({ method: "GET", url: "/nope?x=1", headers: bearer("viewer") });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: "not_found", message: "no route GET /nope" });
  });
});

describe("authentication", () => {
  const parties = { parties: [{ name: "x" }] };

  it.each([
    ["no header", undefined, /missing API key/],
    ["an unknown key", `Bearer ck_000000000000_${"0".repeat(64)}`, /invalid or revoked/],
    ["a malformed key", "Bearer hello", /invalid or revoked/],
    ["another scheme", "Basic dXNlcjpwYXNz", /Bearer KEY/],
  ])("refuses %s with 401", async (_label, authorization, message) => {
    const response = await app.inject({
      method: "POST",
      url: "/screen/parties",
      headers: authorization ? { authorization } : {},
      payload: parties,
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toContain("Bearer");
    expect(response.json().message).toMatch(message);
  });

  it("accepts Bearer and ApiKey schemes", async () => {
    for (const scheme of ["Bearer", "ApiKey", "apikey"]) {
      const response = await app.inject({
        method: "POST",
        url: "/screen/parties",
        headers: { authorization: `${scheme} ${tokens.viewer}` },
        payload: parties,
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  it("refuses a revoked key at once", async () => {
    const { key, token } = await fixture.keys.create({ role: "admin" });
    const ok = await app.inject({
      method: "GET",
      url: "/lists",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    await fixture.keys.revoke(key.id);
    const revoked = await app.inject({
      method: "GET",
      url: "/lists",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);
  });
});

describe("roles", () => {
  // Each endpoint with a request that passes validation; the table says which roles get past the guard.
  const endpoints: Array<[string, string, unknown, ApiRole]> = [
    ["GET", "/lists", undefined, "viewer"],
    ["GET", "/entities/test-sdn:7843", undefined, "viewer"],
    ["POST", "/screen/parties", { parties: [{ name: "x" }] }, "viewer"],
    ["POST", "/match/default", { queries: { q: saddam } }, "viewer"],
    ["POST", "/screen/items", { items: [{ id: "1", hs_code: "8542.31" }] }, "viewer"],
    ["POST", "/screen/orders", { orders: [{ id: "x" }], store: false }, "analyst"],
    ["POST", "/lists/import", { paths: ["missing"] }, "admin"],
    ["GET", "/jobs/nope", undefined, "analyst"],
  ];
  const roles: ApiRole[] = ["viewer", "analyst", "admin"];
  const rank = (role: ApiRole) => roles.indexOf(role);

  it.each(endpoints)("%s %s needs %s", async (method, url, payload, needed) => {
    for (const role of roles) {
      const response = await app.inject({
        method: method as "GET" | "POST",
        url,
        headers: bearer(role),
        ...(payload ? { payload: payload as object } : {}),
      });
      if (rank(role) >= rank(needed)) expect(response.statusCode, `${role} ${url}`).not.toBe(403);
      else {
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.json().message).toContain(`needs the ${needed} role`);
      }
    }
    const anonymous = await app.inject({
      method: method as "GET" | "POST",
      url,
      ...(payload ? { payload: payload as object } : {}),
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("POST /screen/parties", () => {
  it("answers each party in order with the CLI's match shape", async () => {
    const response = await post("/screen/parties", {
      parties: [
        { id: "C-1", name: "Saddam Hussein al-Tikriti", schema: "Person", dob: "1937-04-28" },
        { name: "Completely Unrelated Person" },
        { id: 7, name: "Gulf Star Electronics FZE", country: "AE" },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.results.map((r: { id: string }) => r.id)).toEqual(["C-1", "2", "7"]);
    const [first] = body.results[0].matches;
    expect(Object.keys(first).sort()).toEqual(["entityId", "explanation", "list", "match", "name", "score"]);
    expect(first).toMatchObject({ entityId: "test-sdn:7843", list: "test-sdn", match: true });
    expect(first.explanation.summary).toEqual(expect.any(String));
    expect(body.results[1].matches.filter((m: { match: boolean }) => m.match)).toEqual([]);
    expect(body.results[2].matches[0].entityId).toBe("test-sdn:100");
    expect(body.threshold).toBe(DEFAULT_MATCH_THRESHOLD);
  });

  it("screens only the lists asked for, and refuses unknown ones naming the field", async () => {
    const only = await post("/screen/parties", { parties: [{ name: "Saddam Hussein" }], lists: ["test-un"] });
    expect(only.json().results[0].matches).toEqual([]);
    const unknown = await post("/screen/parties", { parties: [{ name: "x" }], lists: ["test-un", "nope"] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([
      expect.objectContaining({ path: "body.lists.1", code: "unknown_list" }),
    ]);
  });

  it("finds a party through its record on a list outside the selection, unless told not to", async () => {
    const party = { name: "Sepehr Aviation Trading", schema: "Company" };
    const linked = await post("/screen/parties", { parties: [party], lists: ["test-sdn"] });
    expect(linked.statusCode).toBe(200);
    const [hit] = linked.json().results[0].matches;
    expect(hit).toMatchObject({ entityId: "test-sdn:100", match: true });
    expect(hit.explanation.linkedThrough).toEqual({
      entityId: "test-un:IRe.001",
      list: "test-un",
      name: "SEPEHR AVIATION TRADING",
      score: 1,
      alias: "GULF STAR ELECTRONICS FZE",
    });
    const alone = await post("/screen/parties", {
      parties: [party],
      lists: ["test-sdn"],
      viaOtherLists: false,
    });
    expect(alone.json().results[0].matches).toEqual([]);
  });

  it("applies threshold and limit", async () => {
    const response = await post("/screen/parties", {
      parties: [{ name: "Saddam Hussein al-Tikriti" }],
      threshold: 1,
      limit: 1,
    });
    const matches = response.json().results[0].matches;
    expect(matches.length).toBeLessThanOrEqual(1);
    expect(response.json().threshold).toBe(1);
  });

  it.each([
    ["an unknown schema", { parties: [{ name: "x", schema: "Persn" }] }, "body.parties.0.schema"],
    ["an empty name", { parties: [{ name: "x" }, { name: "  " }] }, "body.parties.1.name"],
    ["a missing name", { parties: [{ country: "IR" }] }, "body.parties.0.name"],
    ["no parties", { parties: [] }, "body.parties"],
    ["1,001 parties", { parties: Array.from({ length: 1001 }, () => ({ name: "x" })) }, "body.parties"],
    ["a bad threshold", { parties: [{ name: "x" }], threshold: 2 }, "body.threshold"],
    ["an array body", [{ name: "x" }], "body"],
  ])("refuses %s with a 400 naming the field", async (_label, payload, path) => {
    const response = await post("/screen/parties", payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe("validation_failed");
    expect(body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(body.message).toContain(path);
  });
});

describe("bad requests", () => {
  const headers = (type: string) => ({ ...bearer("viewer"), "content-type": type });

  it("answers malformed JSON with 400 invalid_json", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/screen/parties",
      headers: headers("application/json"),
      payload: '{"parties": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: "invalid_json" });
  });

  it("answers an empty JSON body with 400", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/screen/parties",
      headers: headers("application/json"),
      payload: "",
    });
    expect(response.statusCode).toBe(400);
  });

  it.each(["text/plain", "text/csv", "application/xml", "multipart/form-data; boundary=x"])(
    "answers %s with 415",
    async (type) => {
      const response = await app.inject({
        method: "POST",
        url: "/screen/parties",
        headers: headers(type),
        payload: "name\nx\n",
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ error: "unsupported_media_type" });
      expect(response.json().message).toMatch(/send application\/json$/);
    },
  );

  it("answers a 10 MB body with 413 and a clear message", async () => {
    const big = JSON.stringify({ parties: [{ name: "x".repeat(10 * 1024 * 1024) }] });
    const response = await app.inject({
      method: "POST",
      url: "/screen/parties",
      headers: headers("application/json"),
      payload: big,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: "payload_too_large" });
    // Jobs need PostgreSQL (server-backends.test.ts checks the advice on both stores).
    expect(response.json().message).toMatch(/split the batch into smaller requests$/);
    expect(response.json().message).toContain("2 MB");
  });

  it.each([
    ["/screen/items", /split the batch into smaller requests$/],
    ["/screen/orders", /split the batch into smaller requests$/],
    ["/lists/import", /this route takes a small JSON object$/],
    ["/monitoring/run", /this route takes no body$/],
  ])("answers a body too large for %s with advice that fits the route", async (url, advice) => {
    const response = await app.inject({
      method: "POST",
      url,
      // An admin passes every role guard, which runs before the body is read.
      headers: { ...bearer("admin"), "content-type": "application/json" },
      payload: JSON.stringify({ padding: "x".repeat(3 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(advice);
    expect(response.json().message).not.toContain("/jobs/screen");
  });

  it("refuses a big body from a caller without a key before reading it", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/screen/parties",
      headers: { "content-type": "application/json" },
      payload: "x".repeat(10 * 1024 * 1024),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("POST /match/{dataset} (yente)", () => {
  it("answers in yente's EntityMatchResponse shape", async () => {
    const response = await post("/match/default?limit=3", {
      queries: {
        q1: saddam,
        q2: { schema: "Company", properties: { name: "Gulf Star Electronics", jurisdiction: ["ae"] } },
        q3: { schema: "Person", properties: { name: ["Nobody Atall Here"] } },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["x-batch-size"]).toBe("3");
    const body = response.json();
    expect(body.limit).toBe(3);
    expect(Object.keys(body.responses)).toEqual(["q1", "q2", "q3"]);
    const q1 = body.responses.q1;
    expect(q1.status).toBe(200);
    expect(q1.query).toEqual({
      id: null,
      schema: "Person",
      properties: { name: ["Saddam Hussein al-Tikriti"], birthDate: ["1937-04-28"] },
    });
    expect(q1.total).toEqual({ value: q1.results.length, relation: "eq" });
    const top = q1.results[0];
    expect(Object.keys(top).sort()).toEqual(
      [
        "caption",
        "datasets",
        "explanations",
        "features",
        "first_seen",
        "id",
        "last_change",
        "last_seen",
        "match",
        "properties",
        "referents",
        "schema",
        "score",
        "target",
        "token",
      ].sort(),
    );
    expect(top).toMatchObject({
      id: "test-sdn:7843",
      caption: "HUSSEIN AL-TIKRITI, Saddam",
      schema: "Person",
      datasets: ["test-sdn"],
      target: true,
      match: true,
    });
    // FtM properties, as entityToFtm writes them (without Chokepoint's own extension).
    const { chokepoint: _extension, ...ftm } = entityToFtm(index.entities.get("test-sdn:7843")!);
    expect(top.properties).toEqual(ftm.properties);
    expect(top.properties.birthDate).toEqual(["1937-04-28"]);
    expect(top.explanations.name_similarity).toEqual({
      score: expect.any(Number),
      detail: expect.any(String),
    });
    expect(top.explanations.birth_date.score).toBeGreaterThan(0);
    expect(top.features.name_similarity).toBe(top.explanations.name_similarity.score);
    expect(body.responses.q2.results[0]).toMatchObject({
      id: "test-sdn:100",
      schema: "Company",
      match: true,
    });
    expect(body.responses.q3.results.filter((r: { match: boolean }) => r.match)).toEqual([]);
  });

  it("restricts to one list when the dataset is a list id", async () => {
    const sdn = await post("/match/test-un", { queries: { q: saddam } });
    expect(sdn.statusCode).toBe(200);
    expect(sdn.json().responses.q.results).toEqual([]);
    const un = await post("/match/test-un", {
      queries: { q: { schema: "Person", properties: { name: ["Sayf al Adl"] } } },
    });
    expect(un.json().responses.q.results[0].id).toBe("test-un:QDi.001");
  });

  it("links through other lists' records, but never through an excluded dataset", async () => {
    const sepehr = { schema: "Company", properties: { name: ["Sepehr Aviation Trading"] } };
    const linked = await post("/match/test-sdn", { queries: { q: sepehr } });
    const [hit] = linked.json().responses.q.results;
    expect(hit).toMatchObject({ id: "test-sdn:100", match: true });
    expect(hit.explanations.linked_record).toEqual(expect.objectContaining({ score: 0 }));
    const excluded = await post("/match/default?exclude_dataset=test-un", { queries: { q: sepehr } });
    expect(excluded.json().responses.q.results).toEqual([]);
    // Excluding another dataset leaves the links through the rest.
    const other = await post("/match/test-sdn?exclude_dataset=eu", { queries: { q: sepehr } });
    expect(other.json().responses.q.results[0]).toMatchObject({ id: "test-sdn:100", match: true });
  });

  it("honours threshold, cutoff, limit and exclude_dataset", async () => {
    const strict = await post("/match/default?threshold=1&limit=1", {
      queries: { q: { schema: "Person", properties: { name: ["Saddam Husein"] } } },
    });
    const results = strict.json().responses.q.results;
    expect(results.length).toBeLessThanOrEqual(1);
    expect(results.every((r: { match: boolean; score: number }) => r.match === r.score >= 1)).toBe(true);
    const cut = await post("/match/default?cutoff=0.99", {
      queries: { q: { schema: "Person", properties: { name: ["Saddam Husein"] } } },
    });
    expect(cut.json().responses.q.results.every((r: { score: number }) => r.score >= 0.99)).toBe(true);
    const excluded = await post("/match/default?exclude_dataset=test-sdn", { queries: { q: saddam } });
    expect(excluded.json().responses.q.results).toEqual([]);
  });

  it("reads names from firstName/lastName, identifiers, and yente's algorithm parameter", async () => {
    const response = await post("/match/default?algorithm=logic-v1", {
      weights: { name_literal: 0.8 },
      queries: {
        parts: { schema: "Person", properties: { firstName: ["Saddam"], lastName: ["Hussein al-Tikriti"] } },
        passport: { schema: "Person", properties: { name: ["S. Hussein"], passportNumber: ["A1234567"] } },
        airline: { schema: "Company", properties: { name: ["Mahan Air"] } },
      },
    });
    expect(response.statusCode).toBe(200);
    const { responses } = response.json();
    expect(responses.parts.results[0].id).toBe("test-sdn:7843");
    expect(responses.airline.results[0].id).toBe("test-sdn:200");
  });

  it.each([
    [
      "an unknown schema",
      { queries: { q1: { schema: "Persn", properties: { name: ["x"] } } } },
      "body.queries.q1.schema",
    ],
    [
      "a non-party schema",
      { queries: { q1: { schema: "Address", properties: { full: ["x"] } } } },
      "body.queries.q1.schema",
    ],
    [
      "a query without a name",
      { queries: { q1: { schema: "Person", properties: { birthDate: ["1970"] } } } },
      "body.queries.q1.properties.name",
    ],
    ["no queries", { queries: {} }, "body.queries"],
    ["a missing schema", { queries: { q1: { properties: { name: ["x"] } } } }, "body.queries.q1.schema"],
    [
      "properties of the wrong type",
      { queries: { q1: { schema: "Person", properties: { name: [{ a: 1 }] } } } },
      "body.queries.q1.properties.name",
    ],
  ])("refuses %s with a 400 naming the field", async (_label, payload, path) => {
    const response = await post("/match/default", payload);
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((issue: { path: string }) => issue.path);
    expect(paths.some((p: string) => p.startsWith(path))).toBe(true);
    expect(response.json().detail).toEqual(response.json().message);
  });

  it("answers an unknown dataset with 404 and bad parameters with 400", async () => {
    expect((await post("/match/nope", { queries: { q: saddam } })).statusCode).toBe(404);
    const bad = await post("/match/default?limit=0", { queries: { q: saddam } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe("querystring.limit");
  });
});

describe("POST /screen/items", () => {
  it("classifies each line in order", async () => {
    const response = await post("/screen/items", {
      items: [
        { id: "1", hs_code: "8542.31.0000", description: "MCU 32-bit", part_number: "STM32F405RGT6" },
        { id: "2", description: "cotton t-shirts" },
      ],
    });
    expect(response.statusCode).toBe(200);
    const [mcu, shirt] = response.json().results;
    expect(mcu.id).toBe("1");
    expect(
      mcu.controls.some((hit: { list: string; tier?: string }) => hit.list === "chpl" && hit.tier === "1"),
    ).toBe(true);
    expect(shirt.controls).toEqual([]);
  });

  it("refuses a body without items", async () => {
    const response = await post("/screen/items", { lines: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe("body.items");
  });

  it("answers 503 when the control lists are not loaded", async () => {
    const bare = await server({ itemControls: undefined, orderRules: undefined });
    const response = await bare.inject({
      method: "POST",
      url: "/screen/items",
      headers: bearer("viewer"),
      payload: { items: [{ id: "1" }] },
    });
    expect(response.statusCode).toBe(503);
    await bare.close();
  });
});

describe("POST /screen/orders", () => {
  const cases = JSON.parse(readFileSync(new URL("../../data/eval/orders.json", import.meta.url), "utf8"))
    .cases as Array<{
    id: string;
    today: string;
    order: Record<string, unknown>;
    expected: { decision: string };
  }>;
  const clean = cases.find((c) => c.id === "C01")!;

  it("screens valid orders and answers invalid ones with their problems, in order", async () => {
    const response = await post(
      "/screen/orders",
      { orders: [clean.order, { id: "BAD-1", parties: "nobody" }], today: clean.today, store: false },
      "analyst",
    );
    expect(response.statusCode).toBe(200);
    const [good, bad] = response.json().results;
    expect(good).toMatchObject({ id: clean.order.id, decision: clean.expected.decision });
    expect(good.flags.length).toBeGreaterThan(0);
    expect(bad).toMatchObject({ id: "BAD-1", decision: "review", error: "invalid order" });
    expect(bad.errors.map((e: { path: string }) => e.path)).toContain("parties");
  });

  it("stores decisions unless asked not to", async () => {
    const before = (await fixture.store.screenedOrders()).length;
    await post(
      "/screen/orders",
      { orders: [{ ...clean.order, id: "SO-API-1" }], today: clean.today },
      "analyst",
    );
    const after = await fixture.store.screenedOrders();
    expect(after.length).toBe(before + 1);
    expect(after.some((record) => record.orderId === "SO-API-1")).toBe(true);
  });

  it("refuses a body that is not a list of orders", async () => {
    const response = await post("/screen/orders", { orders: ["SO-1"] }, "analyst");
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe("body.orders.0");
  });
});

describe("lists and entities", () => {
  it("GET /lists reports current versions and whether the screener has them", async () => {
    const response = await app.inject({ method: "GET", url: "/lists", headers: bearer("viewer") });
    const body = response.json();
    expect(body.lists.map((l: { listId: string }) => l.listId)).toEqual(["test-sdn", "test-un"]);
    expect(body.lists[0]).toMatchObject({ version: 1, entityCount: 3, indexed: true });
    expect(body.screener).toEqual({
      entities: 5,
      names: expect.any(Number),
      threshold: DEFAULT_MATCH_THRESHOLD,
    });
  });

  it("GET /entities/{id} returns the entity with its raw record, or 404", async () => {
    const found = await app.inject({
      method: "GET",
      url: "/entities/test-sdn:7843",
      headers: bearer("viewer"),
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ id: "test-sdn:7843", raw: { nativeId: "7843" } });
    const missing = await app.inject({
      method: "GET",
      url: "/entities/test-sdn:0",
      headers: bearer("viewer"),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe("no entity test-sdn:0");
    const badVersion = await app.inject({
      method: "GET",
      url: "/entities/test-sdn:7843?version=zero",
      headers: bearer("viewer"),
    });
    expect(badVersion.statusCode).toBe(400);
  });
});

describe("POST /lists/import", () => {
  it("imports files from the import folder and rebuilds the screener", async () => {
    // A separate server so the shared one keeps its index.
    const own = await server({ index: await buildScreeningIndex(fixture.store) });
    const ftm = entityToFtm(entity("test-new", "1", "VOLKOV TRADING HOUSE", { schema: "Company" }));
    mkdirSync(join(importRoot, "batch"), { recursive: true });
    writeFileSync(join(importRoot, "batch", "test-new.jsonl"), `${JSON.stringify(ftm)}\n`);
    const query = { queries: { q: { schema: "Company", properties: { name: ["Volkov Trading House"] } } } };
    const before = await own.inject({
      method: "POST",
      url: "/match/default",
      headers: bearer("viewer"),
      payload: query,
    });
    expect(before.json().responses.q.results).toEqual([]);

    const response = await own.inject({
      method: "POST",
      url: "/lists/import",
      headers: bearer("admin"),
      payload: { paths: ["batch"] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.results).toEqual([
      expect.objectContaining({ listId: "test-new", status: "created", version: 1, entityCount: 1 }),
    ]);
    expect(body.screener).toEqual({ rebuilt: true, entities: 6 });
    const after = await own.inject({
      method: "POST",
      url: "/match/test-new",
      headers: bearer("viewer"),
      payload: query,
    });
    expect(after.json().responses.q.results[0]).toMatchObject({ id: "test-new:1", match: true });

    const again = await own.inject({
      method: "POST",
      url: "/lists/import",
      headers: bearer("admin"),
      payload: { paths: [join(importRoot, "batch")] },
    });
    expect(again.json().results[0].status).toBe("unchanged");
    expect(again.json().screener.rebuilt).toBe(false);
    await own.close();
  });

  it.each([
    ["a parent path", "../"],
    ["an absolute path elsewhere", "/etc/passwd"],
    ["a missing path", "nothing-here"],
  ])("refuses %s with a 400 naming the path", async (_label, path) => {
    const response = await post("/lists/import", { paths: ["batch", path] }, "admin");
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe("body.paths.1");
  });

  it("refuses a symlink that leads out of the import folder", async () => {
    mkdirSync(join(importRoot, "linked"), { recursive: true });
    try {
      symlinkSync("/etc/hostname", join(importRoot, "linked", "hostname"));
    } catch {
      // Already there from an earlier run in the same folder.
    }
    const response = await post("/lists/import", { paths: ["linked"] }, "admin");
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain("outside");
  });

  it("is off without import folders", async () => {
    const closed = await server({ importRoots: [] });
    const response = await closed.inject({
      method: "POST",
      url: "/lists/import",
      headers: bearer("admin"),
      payload: { paths: ["x"] },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain("--import-dir");
    await closed.close();
  });
});

describe("rate limits", () => {
  it("limits each key on its own and answers 429", async () => {
    const limited = await server({ rateLimit: 3 });
    const call = (role: ApiRole) => limited.inject({ method: "GET", url: "/lists", headers: bearer(role) });
    for (let i = 0; i < 3; i++) expect((await call("viewer")).statusCode).toBe(200);
    const refused = await call("viewer");
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: "rate_limited" });
    expect(refused.headers["retry-after"]).toBeDefined();
    expect((await call("analyst")).statusCode).toBe(200);
    // Health checks are never limited.
    for (let i = 0; i < 5; i++) {
      expect((await limited.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    }
    await limited.close();
  });
});

describe("errors reaching clients", () => {
  /** A store whose reads fail, to see what a client gets. */
  function failingStore(error: Error): Store {
    const fail = async () => {
      throw error;
    };
    return {
      ...fixture.store,
      currentVersions: fail,
      entity: fail,
      close: async () => {},
    } as unknown as Store;
  }
  const allowAll: KeysRepository = {
    create: async () => {
      throw new Error("unused");
    },
    list: async () => [],
    revoke: async () => false,
    verify: async () => ({ id: "k", role: "admin", createdAt: "2026-01-01T00:00:00Z" }),
  };

  it("hides unexpected errors behind a bare 500", async () => {
    const broken = await server({
      store: failingStore(new Error("SQLITE_CORRUPT at /secret/path.sqlite")),
      keys: allowAll,
    });
    const response = await broken.inject({
      method: "GET",
      url: "/lists",
      headers: { authorization: "Bearer x" },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: "internal",
      message: "internal error; the server log has the details",
      detail: "internal error; the server log has the details",
    });
    expect(response.body).not.toContain("secret");
    expect(response.body).not.toContain("at ");
    await broken.close();
  });

  it("maps store error kinds to status codes", async () => {
    const unavailable = await server({
      store: failingStore(new StoreError("unavailable", "database is not reachable")),
      keys: allowAll,
    });
    const response = await unavailable.inject({
      method: "GET",
      url: "/entities/test-sdn:1",
      headers: { authorization: "Bearer x" },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: "unavailable", message: "database is not reachable" });
    await unavailable.close();
  });
});
