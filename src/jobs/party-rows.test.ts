import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTextChunks } from "../sources/io.js";
import { readPartyRowBatches, readPartyRows, toPartyRow } from "./party-rows.js";

const dir = mkdtempSync(join(tmpdir(), "chokepoint-rows-"));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
async function rows(path: string) {
  const out = [];
  for await (const row of readPartyRows(path)) out.push(row);
  return out;
}

describe("toPartyRow", () => {
  it.each([
    [{ id: "1", name: "" }, "empty-name"],
    [{ id: "1", name: "A".repeat(10_240) }, "name-too-long"],
    [{ id: "1", name: "ACME\u0007 LLC" }, "control-characters"],
    [{ id: "1", name: "ACME", schema: "Dragon" }, "unknown-schema"],
    [{ id: "1", name: "ACME", dob: "sometime" }, "bad-date"],
    [{ id: "1", name: "ACME", country: "Atlantis" }, "unknown-country"],
  ])("reports row %# as %s", (cells, code) => {
    expect(toPartyRow(2, cells).issues.map((i) => i.code)).toEqual([code]);
  });

  it("cleans and keeps what it can", () => {
    expect(
      toPartyRow(3, {
        id: " C-1 ",
        name: "  Jane\tDoe ",
        schema: "individual",
        country: "Iran",
        dob: "1970",
      }),
    ).toEqual({
      line: 3,
      id: "C-1",
      name: "Jane Doe",
      schema: "Person",
      country: "IR",
      dob: "1970",
      issues: [],
    });
  });
});

describe("readPartyRows", () => {
  it("reads a BOM, CRLF and Latin-1 file with extra columns", async () => {
    const latin1 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("ID,Name,Country,Notes\r\nC1,Jos", "utf8"),
      Buffer.from([0xe9]),
      Buffer.from(" Garc", "utf8"),
      Buffer.from([0xed]),
      Buffer.from("a,ES,x\r\n", "utf8"),
    ]);
    const result = await rows(file("latin1.csv", latin1));
    expect(result).toEqual([{ line: 2, id: "C1", name: "José García", country: "ES", issues: [] }]);
  });

  it("refuses a file without a name column, naming the file", async () => {
    await expect(rows(file("noname.csv", "id,customer\n1,ACME\n"))).rejects.toThrow(
      /noname\.csv.*no 'name' column/,
    );
  });

  it("refuses an empty file", async () => {
    await expect(rows(file("empty.csv", ""))).rejects.toThrow(/empty/);
  });
});

describe("readPartyRowBatches", () => {
  it("gives the rows of readPartyRows, a read at a time, none empty, across reads", async () => {
    // ~800 KB, several 256 KB reads. A read ends at a line break, so a record is split between two
    // reads only at a quoted line break: every name has one, and this file's reads split two records.
    const lines = Array.from({ length: 20_000 }, (_, i) => `C${i},"Customer ${i}\nBranch ABC",Organization`);
    const path = file("many.csv", `id,name,schema\n${lines.join("\n")}\n`);
    let splitRecords = 0;
    for await (const chunk of readTextChunks(path)) if (/"Customer \d+\n$/.test(chunk)) splitRecords++;
    expect(splitRecords).toBeGreaterThan(0);
    const batches = [];
    for await (const batch of readPartyRowBatches(path)) batches.push(batch);
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    const flat = batches.flat();
    // readPartyRows is built on the batches: these checks stand on their own.
    expect(flat).toEqual(await rows(path));
    expect(flat.map((row) => row.id)).toEqual(lines.map((_, i) => `C${i}`));
    expect(flat[19_999]).toMatchObject({ line: 40_000, id: "C19999", name: "Customer 19999 Branch ABC" });
  });
});
