import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { saveEuReadByTheOlderParser } from "../jobs/testing/bundled-lists.js";
import { openSqliteStore } from "../store/index.js";
import { buildServer } from "./server.js";

const root = mkdtempSync(join(tmpdir(), "chokepoint-server-bundled-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("buildServer with the bundled lists", () => {
  it("logs the bundled lists it read again (an older parser had read them)", async () => {
    const store = await openSqliteStore(join(root, "store.sqlite"));
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    try {
      await saveEuReadByTheOlderParser(store);
      const app = await buildServer({ store, location: { home: root }, logger: { level: "info", stream } });
      await app.close();
      const logged = lines
        .map((line) => JSON.parse(line))
        .find((entry) => entry.msg === "bundled lists imported");
      expect(logged).toMatchObject({
        reason: "parser-revision",
        lists: [{ list: "eu", status: "created", version: 2 }],
      });
    } finally {
      await store.close();
    }
  }, 30_000);
});
