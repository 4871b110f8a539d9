import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { planImport } from "../sources/detect.js";
import { downloadLists } from "../sources/fetch.js";
import { contentHash, PARSER_REVISIONS } from "../sources/read-bundle.js";
import type { SourceBundle } from "../sources/types.js";
import { openSqliteStore, type Store } from "../store/index.js";
import {
  BUNDLED_LISTS_DIR,
  BUNDLED_READ_BY_OLDER_PARSERS,
  ensureDefaultLists,
  importLists,
} from "./import-lists.js";
import { saveEuReadByTheOlderParser } from "./testing/bundled-lists.js";

const root = mkdtempSync(join(tmpdir(), "chokepoint-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let store: Store;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(root, "case-"));
  store = await openSqliteStore(join(dir, "store.sqlite"));
});
afterEach(async () => store.close());

function put(name: string, content: string | Buffer): string {
  const path = join(dir, "in", name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const UN = join(BUNDLED_LISTS_DIR, "un", "consolidated.xml");
const DPL = join(BUNDLED_LISTS_DIR, "bis-dpl", "dpl.txt");

describe("importLists", () => {
  it("imports the bundled snapshot with the publishers' counts, then re-imports as a no-op", async () => {
    const first = await ensureDefaultLists(store);
    const counts = Object.fromEntries(
      (first?.results ?? []).map((r) => [
        r.listId,
        r.status === "rejected" ? r.error : r.version.entityCount,
      ]),
    );
    expect(counts).toEqual({
      "ofac-sdn": 8976,
      "ofac-cons": 442,
      un: 1003,
      "uk-fcdo": 5302,
      "us-csl": 115,
      "ca-sema": 1369,
      eu: expect.any(Number),
      "bis-dpl": expect.any(Number),
    });
    expect(await ensureDefaultLists(store)).toBeUndefined();
    const again = await importLists(store, [BUNDLED_LISTS_DIR]);
    expect(again.results.every((r) => r.status === "unchanged")).toBe(true);
  });

  it("reads a list again when its parser's revision changed, though its files did not", async () => {
    const act = put("32016R1686.csv", readFileSync(join(BUNDLED_LISTS_DIR, "eu-journal", "32016R1686.csv")));
    const bundle: SourceBundle = { format: "eu-journal-csv", listId: "eu", files: [act] };
    // Revision 0 adds nothing to the hash: another format at 0 gives the hash of the files alone,
    // which is what a store imported before the EU parser's revision 1 holds (the two formats
    // named here must stay at revision 0 for that; the first expectation checks it).
    const filesAlone = await contentHash({ ...bundle, format: "ftm-jsonl" });
    expect(await contentHash({ ...bundle, format: "un-xml" })).toBe(filesAlone);
    expect(await contentHash(bundle)).not.toBe(filesAlone);
    await store.saveListVersion({
      listId: "eu",
      format: "eu-journal-csv",
      sourceFiles: ["32016R1686.csv"],
      contentHash: filesAlone,
      entities: [],
      issues: [],
    });
    const report = await importLists(store, [act]);
    expect(report.results.map((r) => [r.listId, r.status])).toEqual([["eu", "created"]]);
    // Read by the current parser: its bodies are organisations, none is left a LegalEntity.
    const schemas = new Set((await store.entities(["eu"])).map((entity) => entity.schema));
    expect(schemas).toContain("Organization");
    expect(schemas).not.toContain("LegalEntity");
    const again = await importLists(store, [act]);
    expect(again.results.map((r) => [r.listId, r.status])).toEqual([["eu", "unchanged"]]);
  });

  it("knows the bundled lists' hashes under every older parser revision", async () => {
    const { bundles } = await planImport([BUNDLED_LISTS_DIR]);
    const older: Record<string, string[]> = {};
    for (const bundle of bundles) {
      const hashes: string[] = [];
      for (let revision = 0; revision < PARSER_REVISIONS[bundle.format].revision; revision++)
        hashes.push(await contentHash(bundle, revision));
      if (hashes.length > 0) older[bundle.listId] = hashes;
    }
    // A new snapshot or a parser revision bump changes these: copy them into the table.
    expect(BUNDLED_READ_BY_OLDER_PARSERS).toEqual(older);
  });

  it("reads again, once, a bundled list an older parser read", async () => {
    await saveEuReadByTheOlderParser(store);
    const report = await ensureDefaultLists(store);
    expect(report?.reason).toBe("parser-revision");
    expect(report?.results.map((r) => [r.listId, r.status])).toEqual([["eu", "created"]]);
    expect((await store.entities(["eu"])).some((entity) => entity.schema === "LegalEntity")).toBe(false);
    expect(await ensureDefaultLists(store)).toBeUndefined();
  });

  it("does not replace an EU list imported from other files", async () => {
    await store.saveListVersion({
      listId: "eu",
      format: "eu-journal-csv",
      sourceFiles: ["32014R0269.csv"],
      contentHash: "0".repeat(64),
      entities: [],
      issues: [],
    });
    expect(await ensureDefaultLists(store)).toBeUndefined();
    expect((await store.currentVersions()).map((v) => [v.listId, v.version])).toEqual([["eu", 1]]);
  });

  it("detects formats from content, not names", async () => {
    mkdirSync(join(dir, "in"), { recursive: true });
    copyFileSync(UN, join(dir, "in", "renamed.txt"));
    const report = await importLists(store, [join(dir, "in")]);
    expect(report.results.map((r) => [r.listId, r.status])).toEqual([["un", "created"]]);
  });

  it("rejects a truncated XML whole, keeps the previous version, and lets other lists proceed", async () => {
    await importLists(store, [UN]);
    const text = readFileSync(UN, "utf8");
    put("un.xml", text.slice(0, Math.floor(text.length / 2)));
    put("dpl.txt", readFileSync(DPL));
    const report = await importLists(store, [join(dir, "in")]);
    const un = report.results.find((r) => r.listId === "un");
    expect(un?.status).toBe("rejected");
    expect(un?.status === "rejected" && un.error).toMatch(/un\.xml/);
    expect(report.results.find((r) => r.listId === "bis-dpl")?.status).toBe("created");
    const versions = await store.versions("un");
    expect(versions.map((v) => [v.version, v.entityCount])).toEqual([[1, 1003]]);
  });

  it("skips empty files and files of another format with a reason", async () => {
    put("empty.csv", "");
    put("notes.txt", "just some notes\nnothing to see\n");
    const report = await importLists(store, [join(dir, "in"), join(dir, "missing")]);
    expect(report.results).toEqual([]);
    expect(report.skipped.map((s) => s.reason).sort()).toEqual([
      "empty file",
      "no such file or folder",
      "not a list format Chokepoint reads",
    ]);
  });

  it("stores a changed list as a new version and diffs it", async () => {
    await importLists(store, [DPL]);
    const lines = readFileSync(DPL, "utf8").split("\n");
    // Drop one data row: the diff must show exactly what changed.
    put("dpl.txt", [lines[0], ...lines.slice(2)].join("\n"));
    const report = await importLists(store, [join(dir, "in")]);
    expect(report.results[0]?.status).toBe("created");
    const diff = await store.diff("bis-dpl", 1, 2);
    expect(diff.added.length + diff.removed.length + diff.changed.length).toBeGreaterThan(0);
    expect(diff.added).toEqual([]);
  });
});

describe("downloadLists against a local mirror", () => {
  let server: Server;
  let base = "";
  beforeEach(async () => {
    server = createServer((request, response) => {
      const [, listId, file] = (request.url ?? "").split("/");
      try {
        const body = readFileSync(join(BUNDLED_LISTS_DIR, listId ?? "", file ?? ""));
        response.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
      } catch {
        response.writeHead(404).end("not found");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
  });
  afterEach(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it("downloads the official file names and imports them; a missing file fails only its list", async () => {
    const target = join(dir, "downloads");
    const results = await downloadLists(target, {
      lists: ["un", "bis-dpl", "ofac-sdn", "us-csl"],
      mirror: base,
    });
    expect(results.map((r) => [r.listId, r.status])).toEqual([
      ["un", "downloaded"],
      ["bis-dpl", "downloaded"],
      ["ofac-sdn", "downloaded"],
      // The bundled CSL is an excerpt named csl-sample.csv, not the official consolidated.csv.
      ["us-csl", "failed"],
    ]);
    const report = await importLists(store, [target]);
    expect(Object.fromEntries(report.results.map((r) => [r.listId, r.status]))).toEqual({
      un: "created",
      "bis-dpl": "created",
      "ofac-sdn": "created",
    });
  });
});
