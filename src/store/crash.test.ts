import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "chokepoint-crash-"));
const file = join(dir, "crash.sqlite");
const child = join(import.meta.dirname, "testing", "kill-mid-save.ts");

function run(phase: string) {
  return spawnSync(process.execPath, ["--import", "tsx", child, file, phase], {
    encoding: "utf8",
    timeout: 60_000,
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a process killed in the middle of an import", () => {
  it("leaves the previous version whole", async () => {
    const first = run("first");
    expect(first.status, first.stderr).toBe(0);
    const second = run("second");
    expect(second.signal).toBe("SIGKILL");
    expect(second.stdout).not.toContain("saved");

    const store = await openSqliteStore(file);
    try {
      const versions = await store.versions("crash");
      expect(versions.map((v) => v.version)).toEqual([1]);
      const entities = await store.entities(["crash"]);
      expect(entities).toHaveLength(1000);
      expect(entities.every((e) => e.name.startsWith("FIRST"))).toBe(true);
      // And the store still takes a new version afterwards.
      const saved = await store.saveListVersion({
        listId: "crash",
        format: "ftm-jsonl",
        sourceFiles: ["crash.jsonl"],
        contentHash: "THIRD",
        entities: [],
        issues: [],
      });
      expect(saved.version.version).toBe(2);
    } finally {
      await store.close();
    }
  });
});
