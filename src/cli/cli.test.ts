import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLED_LISTS_DIR } from "../jobs/import-lists.js";

// End-to-end through the real entry point, in a throw-away home with only the UN and DPL lists.
const home = mkdtempSync(join(tmpdir(), "chokepoint-cli-"));
const entry = join(import.meta.dirname, "bin.ts");
afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", entry, "--home", home, ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, DATABASE_URL: "" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
function file(name: string, content: string | Buffer): string {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
}

describe("chokepoint CLI", () => {
  it("imports lists and reports their status as JSON", () => {
    const imported = cli(
      "lists",
      "import",
      join(BUNDLED_LISTS_DIR, "un"),
      join(BUNDLED_LISTS_DIR, "bis-dpl"),
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/un: imported as version 1, 1003 entities/);
    const status = cli("lists", "status", "--json");
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.id, r.version, r.entities])).toEqual([
      ["bis-dpl", 1, 459],
      ["un", 1, 1003],
    ]);
    for (const row of rows)
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(["id", "version", "entities", "source", "importedAt", "issues"]),
      );
  });

  it("screens a CSV in input order with the contract's fields", () => {
    const input = file(
      "in.csv",
      "id,name,schema,dob,notes\nc1,Saddam Hussein AL-TIKRITI,Person,1937-04-28,x\nc2,,Person,,\nc3,Jane Marie Thompson,Person,,\n",
    );
    const result = cli("screen", input, "--lists", "un", "--format", "jsonl");
    expect(result.code).toBe(1); // row c2 has no name: partial
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["c1", "c2", "c3"]);
    expect(lines[0].matches[0]).toMatchObject({ entityId: "un:IQi.001", list: "un", match: true });
    expect(Object.keys(lines[0].matches[0])).toEqual([
      "entityId",
      "list",
      "name",
      "score",
      "match",
      "explanation",
    ]);
    expect(lines[1]).toMatchObject({ matches: [], issues: [{ code: "empty-name" }] });
    expect(lines[2].matches.filter((m: { match: boolean }) => m.match)).toEqual([]);
  });

  it("opens a case for a hit, and a cleared hit comes back suppressed", () => {
    const input = file("case.csv", "id,name,schema\nk1,Saddam Hussein AL-TIKRITI,Person\n");
    expect(cli("screen", input, "--lists", "un").code).toBe(0);
    const cases = cli("cases", "list", "--json")
      .stdout.trim()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { id: number; subjectId: string; targetId: string; version: number },
      );
    const opened = cases.find((c) => c.subjectId === "k1" && c.targetId === "un:IQi.001");
    expect(opened).toBeDefined();
    const refused = cli(
      "cases",
      "decide",
      String(opened!.id),
      "--decision",
      "clear",
      "--user",
      "alice",
      "--reason",
      " ",
    );
    expect(refused.code).toBe(2);
    const cleared = cli(
      "cases",
      "decide",
      String(opened!.id),
      "--decision",
      "clear",
      "--user",
      "alice",
      "--reason",
      "different person: DOB and nationality differ",
    );
    expect(cleared.code, cleared.stderr).toBe(0);
    const again = JSON.parse(cli("screen", input, "--lists", "un").stdout.trim());
    expect(again.matches[0]).toMatchObject({ entityId: "un:IQi.001", match: true, suppressed: true });
    expect(cli("audit", "verify").code).toBe(0);
  });

  it("opens cases for item lines at the review level only", () => {
    const items = file(
      "items.csv",
      "id,hs_code,description,manufacturer,part_number\nL1,8542.31.0000,32-bit microcontroller,STMicroelectronics,STM32F405RGT6\nL2,9403.60,oak office desk,,\n",
    );
    const result = cli("items", items, "--format", "jsonl");
    expect(result.code, result.stderr).toBe(0);
    const cases = cli("cases", "list", "--json")
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { subjectKind: string; subjectId: string });
    const itemCases = cases.filter((c) => c.subjectKind === "item").map((c) => c.subjectId);
    expect(itemCases).toEqual(["L1"]);
  });

  it("gives the same answers with worker threads", () => {
    const rows = [
      "id,name",
      ...Array.from(
        { length: 300 },
        (_, i) => `r${i},${i % 3 === 0 ? "SADDAM HUSSEIN AL-TIKRITI" : `Person Number ${i}`}`,
      ),
    ];
    const input = file("many.csv", `${rows.join("\n")}\n`);
    const wordFiles = () => readdirSync(join(home, "cache")).filter((f) => f.startsWith("words-"));
    for (const name of wordFiles()) rmSync(join(home, "cache", name));
    const single = cli("screen", input, "--lists", "un", "--workers", "0", "--no-cases");
    // The words it looked up are kept for the next run over the same lists...
    expect(wordFiles()).toHaveLength(1);
    // ...which answers the same, threaded or not, with them or with a damaged file.
    const threaded = cli("screen", input, "--lists", "un", "--workers", "2", "--no-cases");
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(threaded.stdout).toBe(single.stdout);
    expect(threaded.stdout.trim().split("\n")).toHaveLength(300);
    writeFileSync(join(home, "cache", wordFiles()[0]!), "damaged");
    expect(cli("screen", input, "--lists", "un", "--workers", "0", "--no-cases").stdout).toBe(single.stdout);
    // Words of another index (a home with the UN list only) under this index's name are ignored,
    // and replaced. Every selection screens on the index of all stored lists: one words file.
    expect(cli("screen", input, "--lists", "un,bis-dpl", "--no-cases").code).toBe(0);
    expect(wordFiles()).toHaveLength(1);
    const otherHome = mkdtempSync(join(tmpdir(), "chokepoint-cli-other-"));
    try {
      expect(cli("--home", otherHome, "lists", "import", join(BUNDLED_LISTS_DIR, "un")).code).toBe(0);
      expect(cli("--home", otherHome, "screen", input, "--workers", "0", "--no-cases").code).toBe(0);
      const otherCache = join(otherHome, "cache");
      const otherWords = readdirSync(otherCache).find((f) => f.startsWith("words-"))!;
      const foreignWords = readFileSync(join(otherCache, otherWords));
      writeFileSync(join(home, "cache", wordFiles()[0]!), foreignWords);
      const foreign = cli("screen", input, "--lists", "un", "--workers", "2", "--no-cases");
      expect(foreign.code, foreign.stderr).toBe(0);
      expect(foreign.stdout).toBe(single.stdout);
      expect(readFileSync(join(home, "cache", wordFiles()[0]!)).equals(foreignWords)).toBe(false);
    } finally {
      rmSync(otherHome, { recursive: true, force: true });
    }
    // --no-word-cache neither reads nor keeps them.
    for (const name of wordFiles()) rmSync(join(home, "cache", name));
    for (const workers of ["0", "2"]) {
      const args = ["screen", input, "--lists", "un", "--workers", workers, "--no-cases", "--no-word-cache"];
      expect(cli(...args).stdout).toBe(single.stdout);
    }
    expect(wordFiles()).toEqual([]);
  });

  it("refuses a file without a name column, naming it, with exit code 3", () => {
    const result = cli("screen", file("bad.csv", "id,customer\n1,ACME\n"), "--lists", "un");
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/bad\.csv:1: the header has no 'name' column/);
  });

  it("stops at malformed quoting with file, line and exit code 3, after answering the rows before it", () => {
    const input = file("quotes.csv", 'id,name\r\nC-1,Jane Doe\nC-2,"John "Jack" Smith"\r\nC-3,Ann Lee\n');
    const result = cli("screen", input, "--lists", "un", "--no-cases", "--format", "jsonl");
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/quotes\.csv:3: text after a closing quote \(field 2\)/);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).id),
    ).toEqual(["C-1"]);
  });

  it("screens a Latin-1 file, read as Windows-1252, with a warning", () => {
    const input = file("latin1.csv", Buffer.from("id,name\nC-1,Jos\xe9 P\xe9rez\n", "latin1"));
    const result = cli("screen", input, "--lists", "un", "--no-cases", "--format", "jsonl");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: latin1\.csv: some lines are not valid UTF-8; they were read as Latin-1/,
    );
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ id: "C-1" });
  });

  it("refuses unknown lists and options as usage errors", () => {
    expect(cli("screen", file("ok.csv", "id,name\n1,A\n"), "--lists", "nope").code).toBe(2);
    expect(cli("screen", file("ok2.csv", "id,name\n1,A\n"), "--threshold", "7").code).toBe(2);
    expect(cli("lists", "import", join(home, "missing")).code).toBe(3);
  });

  it("compares name pairs", () => {
    const pairs = file(
      "pairs.csv",
      "id,schema,name1,name2\np1,Person,Kiselyov D.K.,KISELYOV Dmitry Konstantinovich\np2,Person,John Smith,Maria Garcia\n",
    );
    const result = cli("compare", pairs, "--format", "jsonl");
    expect(result.code).toBe(0);
    const [p1, p2] = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(p1).toMatchObject({ id: "p1", match: true });
    expect(p2).toMatchObject({ id: "p2", match: false });
  });

  it("shows an entity beside its raw record, and diffs versions", () => {
    const shown = cli("entity", "show", "un:IQi.001");
    expect(shown.stdout).toMatch(/SADDAM HUSSEIN AL-TIKRITI/);
    expect(shown.stdout).toMatch(/raw record as published/);
    const dpl = readFileSync(join(BUNDLED_LISTS_DIR, "bis-dpl", "dpl.txt"), "utf8").split("\n");
    const changed = file(
      "dpl.txt",
      [dpl[0], ...dpl.slice(1).filter((line) => !line.includes("AARON ABRAHAM VILLA"))].join("\n"),
    );
    expect(cli("lists", "import", changed).code).toBe(0);
    const diff = cli("lists", "diff", "bis-dpl", "--json");
    expect(JSON.parse(diff.stdout)).toMatchObject({
      from: 1,
      to: 2,
      removed: [expect.stringMatching(/aaron-abraham-villa/)],
    });
  });

  it("finds a party on the selected list through another stored list's record, unless --no-links", () => {
    // A list of our own (FtM JSON lines) names a DPL company as an alias of another record.
    const own = {
      id: "test-links:L1",
      schema: "Company",
      properties: { name: ["ZAGROS LINK HOLDINGS"], alias: ["BAHAR SAFWA GENERAL TRADING"] },
      datasets: ["test-links"],
    };
    expect(cli("lists", "import", file("links.ftm.jsonl", `${JSON.stringify(own)}\n`)).code).toBe(0);
    const input = file("link.csv", "id,name,schema\nL1,Zagros Link Holdings,Company\n");
    const args = ["screen", input, "--lists", "bis-dpl", "--no-cases", "--format", "table"];
    // Built, then restored from the home's cache, then on worker threads: the same linked hit.
    for (const workers of ["0", "0", "2"]) {
      const result = cli(...args, "--workers", workers);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/L1 .* MATCH .*BAHAR SAFWA GENERAL TRADING \(via test-links:L1\)/);
    }
    expect(cli(...args, "--no-links").stdout).toMatch(/L1 .* clear/);
  });
});
