import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectOds, type OdsRow, odsRows } from "./ods.js";
import { SourceFileError } from "./types.js";

const fixtures = join(import.meta.dirname, "fixtures", "uk-fcdo");
const realOds = "/work/shared/data/lists/uk-fcdo/UK_Sanctions_List_2025-08-11.ods";

async function readAll(file: string, options?: Parameters<typeof odsRows>[1]): Promise<OdsRow[]> {
  const rows: OdsRow[] = [];
  for await (const row of odsRows(file, options)) rows.push(row);
  return rows;
}

function tempFile(name: string, bytes: Buffer | string): string {
  const path = join(mkdtempSync(join(tmpdir(), "ods-test-")), name);
  writeFileSync(path, bytes);
  return path;
}

describe("detectOds", () => {
  const head = (file: string) => readFileSync(file).subarray(0, 64 * 1024);

  it("recognises the spec layout (stored mimetype first) and Excel's (deflated, fourth)", () => {
    expect(detectOds(head(join(fixtures, "odf-features.ods")).toString("latin1"))).toBe(true);
    expect(detectOds(head(join(fixtures, "uk-sanctions-list-excerpt.ods")).toString("latin1"))).toBe(true);
  });

  it("accepts a head decoded by TextDecoder('latin1') (WHATWG windows-1252) too", () => {
    const bytes = head(join(fixtures, "uk-sanctions-list-excerpt.ods"));
    expect(detectOds(new TextDecoder("latin1").decode(bytes))).toBe(true);
  });

  it.skipIf(!existsSync(realOds))("recognises the published UK file", () => {
    expect(detectOds(head(realOds).toString("latin1"))).toBe(true);
  });

  it.each([
    ["another OpenDocument type", readFileSync(join(fixtures, "not-a-spreadsheet.odt")).toString("latin1")],
    ["CSV", "Unique ID,OFSI Group ID,Name\n"],
    ["zip signature alone", "PK\u0003\u0004garbage"],
    ["empty", ""],
  ])("refuses %s", (_, text) => {
    expect(detectOds(text)).toBe(false);
  });
});

describe("odsRows", () => {
  it("applies the ODF text and repetition rules", async () => {
    const rows = await readAll(join(fixtures, "odf-features.ods"));
    expect(rows.map(({ cells, row }) => ({ cells, row }))).toEqual([
      // White space collapsed inside a paragraph.
      { cells: ["Title row"], row: 1 },
      // Rows 2-3 are empty (repeated); paragraph ends trimmed, text:s kept; empties between values
      // kept; a repeated value expanded; a typed value without text; trailing padding dropped.
      { cells: ["a   b", "", "", "rep", "rep", "42"], row: 4 },
      { cells: ["same"], row: 5 },
      { cells: ["same"], row: 6 },
      { cells: ["same"], row: 7 },
      // Comments skipped, paragraphs joined by "\n", line breaks and tabs kept, covered cell empty.
      { cells: ["one\ntwo\nthree and four", "", "x&y\tz"], row: 8 },
    ]);
  });

  it("reads another sheet by name or index", async () => {
    const byName = await readAll(join(fixtures, "odf-features.ods"), { sheet: "Second" });
    const byIndex = await readAll(join(fixtures, "odf-features.ods"), { sheet: 1 });
    expect(byName.map((row) => row.cells)).toEqual([["second sheet"]]);
    expect(byIndex).toEqual(byName);
  });

  it("caps the number of columns", async () => {
    const rows = await readAll(join(fixtures, "odf-features.ods"), { maxColumns: 4 });
    expect(rows[1]?.cells).toEqual(["a   b", "", "", "rep"]);
  });

  it("reads the Excel-written excerpt of the UK list", async () => {
    const rows = await readAll(join(fixtures, "uk-sanctions-list-excerpt.ods"));
    expect(rows).toHaveLength(10);
    expect(rows[0]?.cells).toEqual([
      "Unique ID",
      "OFSI Group ID",
      "Name",
      "Regime Name",
      "Type",
      "Designation source",
      "Date Designated",
      "Sanctions Imposed",
    ]);
    // A paragraph holding only white space is an empty cell; the double space is collapsed.
    expect(rows.find((row) => row.cells[0] === "BEL0174")?.cells.slice(0, 4)).toEqual([
      "BEL0174",
      "16744",
      "",
      "Belarus",
    ]);
    expect(rows.find((row) => row.cells[0] === "AFG0012")?.cells[2]).toBe("ABDUL ZAHIR Shams Ur-Rahman");
  });

  it.skipIf(!existsSync(realOds))("streams the whole published file", async () => {
    let count = 0;
    let last: OdsRow | undefined;
    for await (const row of odsRows(realOds)) {
      count++;
      last = row;
    }
    expect(count).toBe(5303);
    expect(last?.row).toBe(5303);
    expect(last?.cells[0]).toBe("YEM0018");
  });

  describe("refuses unreadable files with SourceFileError", () => {
    const excerpt = readFileSync(join(fixtures, "uk-sanctions-list-excerpt.ods"));

    it.each([
      ["garbage", Buffer.from("this is not a zip file at all, just text\n".repeat(20))],
      ["a zip cut in half", excerpt.subarray(0, Math.floor(excerpt.length / 2))],
      ["a zip missing its last bytes", excerpt.subarray(0, excerpt.length - 10)],
      ["an empty file", Buffer.alloc(0)],
    ])("%s", async (_, bytes) => {
      await expect(readAll(tempFile("bad.ods", bytes))).rejects.toBeInstanceOf(SourceFileError);
    });

    it("a zip whose content.xml data is damaged", async () => {
      // Flip bytes in the middle of the deflated content.xml: inflate or CRC check fails.
      const damaged = Buffer.from(excerpt);
      const start = damaged.indexOf("content.xml") + 40;
      for (let i = start; i < start + 200 && i < damaged.length - 200; i++) damaged[i] = damaged[i]! ^ 0x5a;
      await expect(readAll(tempFile("damaged.ods", damaged))).rejects.toBeInstanceOf(SourceFileError);
    });

    it("an OpenDocument text file", async () => {
      await expect(readAll(join(fixtures, "not-a-spreadsheet.odt"))).rejects.toThrow(/not a spreadsheet/);
    });

    it("a sheet that does not exist", async () => {
      await expect(readAll(join(fixtures, "odf-features.ods"), { sheet: "Nope" })).rejects.toThrow(
        /no sheet/,
      );
    });

    it("a missing file", async () => {
      await expect(readAll("/nonexistent/file.ods")).rejects.toBeInstanceOf(SourceFileError);
    });
  });
});
