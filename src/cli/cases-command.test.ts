import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listEntitySchema } from "../model/index.js";
import { kyselyOf } from "../store/audit-repository.js";
import { openStore } from "../store/index.js";
import { sql } from "../store/kysely-runtime.js";
import { auditCommand, casesCommand, customersCommand, monitorCommand } from "./cases-command.js";
import { CliError, EXIT } from "./exit-codes.js";

let home: string;

function person(id: string, name: string, extra: Record<string, unknown> = {}) {
  return listEntitySchema.parse({
    id: `test:${id}`,
    listId: "test",
    nativeId: id,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
    raw: {},
    ...extra,
  });
}

async function saveList(hash: string, entities: ReturnType<typeof person>[]) {
  const store = await openStore({ home });
  await store.saveListVersion({
    listId: "test",
    format: "ftm-jsonl",
    sourceFiles: ["t"],
    contentHash: hash,
    entities,
    issues: [],
  });
  await store.close();
}

/** Runs the workspace commands as `chokepoint` would, returning stdout and the exit code. */
async function run(...args: string[]): Promise<{ out: string; code: number; error?: string }> {
  const program = new Command("chokepoint")
    .option("--home <dir>")
    .option("--database-url <url>")
    .exitOverride();
  for (const command of [casesCommand(), customersCommand(), monitorCommand(), auditCommand()])
    program.addCommand(command);
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(["node", "chokepoint", "--home", home, ...args]);
    const code = typeof process.exitCode === "number" ? process.exitCode : 0;
    return { out, code };
  } catch (error) {
    if (error instanceof CliError) return { out, code: error.exitCode, error: error.message };
    if (error && typeof error === "object" && "exitCode" in error)
      return { out, code: EXIT.usage, error: String((error as unknown as Error).message) };
    throw error;
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "chokepoint-cases-cli-"));
  await saveList("v1", [person("anna", "ANNA IVANOVA"), person("x", "ROSTAM KARIMI")]);
  writeFileSync(
    join(home, "customers.csv"),
    "id,name,country\nC-1,Anna Ivanova,RU\nC-2,Boris Godunov,RU\nC-3,Acme GmbH,DE\n",
  );
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("workspace commands", () => {
  it("imports customers, lists cases, refuses bad decisions, decides, monitors and audits", async () => {
    const imported = await run("customers", "import", join(home, "customers.csv"));
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.out).toMatch(/3 row\(s\): 3 new.*1 new case/);
    expect((await run("customers", "list", "--json")).out.trim().split("\n")).toHaveLength(3);

    const listed = await run("cases", "list", "--state", "open", "--json");
    const cases = listed.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(cases).toEqual([
      expect.objectContaining({ id: 1, subjectId: "C-1", targetId: "test:anna", version: 1 }),
    ]);

    const noReason = await run(
      "cases",
      "decide",
      "1",
      "--decision",
      "clear",
      "--reason",
      " ",
      "--user",
      "alice",
    );
    expect(noReason.code).toBe(EXIT.usage);
    expect(noReason.error).toMatch(/a decision needs a reason/);
    const missing = await run("cases", "decide", "1", "--decision", "clear", "--user", "alice");
    expect(missing.code).toBe(EXIT.usage);

    expect((await run("cases", "assign", "1", "--to", "bob", "--user", "alice")).out).toMatch(
      /in_review \(version 2\)/,
    );
    const stale = await run(
      "cases",
      "decide",
      "1",
      "--decision",
      "confirm",
      "--reason",
      "same person",
      "--user",
      "carol",
      "--expected-version",
      "1",
    );
    expect(stale.code).toBe(EXIT.partial);
    expect(stale.error).toMatch(/^conflict: case 1 is at version 2, not 1/);
    const cleared = await run(
      "cases",
      "decide",
      "1",
      "--decision",
      "clear",
      "--reason",
      "born 1994",
      "--user",
      "bob",
      "--expected-version",
      "2",
    );
    expect(cleared.out).toMatch(/case 1: cleared by bob \(version 3\); C-1 × test:anna allow-listed/);
    expect((await run("cases", "comment", "1", "--user", "bob", "--text", "checked passport")).code).toBe(0);
    const shown = await run("cases", "show", "1");
    expect(shown.out).toMatch(/case 1 — cleared \(version 3\), assigned to bob/);
    expect(shown.out).toMatch(/bob\s+state in_review→cleared: born 1994/);
    expect((await run("cases", "show", "99")).error).toMatch(/no case 99/);

    await saveList("v2", [
      person("anna", "ANNA IVANOVA"),
      person("x", "ROSTAM KARIMI"),
      person("boris", "BORIS GODUNOV"),
    ]);
    const monitored = await run("monitor", "run", "--json");
    const summary = JSON.parse(monitored.out);
    expect(summary.lists[0]).toMatchObject({
      added: 1,
      changed: 0,
      customersScreened: 3,
      customersWithCandidates: 1,
      newCases: 1,
    });
    expect((await run("monitor", "run")).out).toMatch(/no new list versions/);

    const verified = await run("audit", "verify");
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toMatch(/audit trail intact: \d+ record\(s\)/);
    const file = join(home, "audit.jsonl");
    expect(
      (await run("audit", "export", "--from", "2000-01-01", "--to", "2999-12-31", "-o", file)).code,
    ).toBe(0);
    const actions = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).action);
    expect(actions).toContain("case.decision");
    expect(actions).toContain("monitoring.run");
    expect((await run("audit", "export", "--from", "last week")).code).toBe(EXIT.usage);

    const store = await openStore({ home });
    await sql`update audit_log set actor = 'mallory' where seq = 2`.execute(kyselyOf(store));
    await store.close();
    const tampered = await run("audit", "verify");
    expect(tampered.code).toBe(EXIT.partial);
    expect(tampered.out).toMatch(/TAMPERED/);
    expect(tampered.out).toMatch(/seq 2: edited/);
  });
});
