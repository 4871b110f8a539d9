import { describe, expect, it } from "vitest";
import { brokenLine, chunkRows, jobProgress } from "./job-model.js";
import { parseCsvUpload, parseJsonlUpload, splitCsvRecord, UploadError } from "./upload.js";

describe("splitCsvRecord", () => {
  it.each([
    ["a,b,c", ["a", "b", "c"]],
    ['C-1,"ACME, LLC"', ["C-1", "ACME, LLC"]],
    ['1,"say ""hi"""', ["1", 'say "hi"']],
    ["1,,", ["1", "", ""]],
    ["1,x\r", ["1", "x"]],
    ['1,"two\nlines"', ["1", "two\nlines"]],
  ])("splits %j", (record, fields) => {
    expect(splitCsvRecord(record)).toEqual({ fields });
  });

  it.each([
    ['1,"open', "not closed"],
    ['1,ab"c', "quote inside"],
    ['1,"ab"c', "after a closing quote"],
  ])("refuses %j", (record, message) => {
    const result = splitCsvRecord(record);
    expect("error" in result && result.error).toContain(message);
  });
});

describe("parseCsvUpload", () => {
  it("reads rows in order, keeping broken ones as answers-to-be", () => {
    const rows = parseCsvUpload(
      '\uFEFFid,name,country\r\nC-1,ACME LLC,AE\r\nC-2,"Bad"quote,AE\r\nC-3,Too,many,fields\r\nC-4,"Multi\nline",\r\n\r\nC-5,,\r\n',
    );
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0]).toMatchObject({ party: { id: "C-1", name: "ACME LLC", country: "AE", line: 2 } });
    expect(rows[1]).toMatchObject({ broken: { id: "line-3", line: 3 } });
    expect(rows[2]).toMatchObject({ broken: { id: "C-3", message: "4 fields but the header has 3" } });
    expect(rows[3]).toMatchObject({ party: { id: "C-4", name: "Multi line" } });
    expect(rows[4]).toMatchObject({ party: { id: "C-5", name: "", issues: [{ code: "empty-name" }] } });
  });

  it("stops an unclosed quote from swallowing the file", () => {
    const rows = parseCsvUpload('id,name\nC-1,"never closed\nC-2,Bob\nC-3,Carl\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ broken: { line: 2, message: "a quoted field is not closed" } });
    expect(rows[1]).toMatchObject({ party: { id: "C-2", name: "Bob" } });
  });

  it.each([
    ["", "empty"],
    ["id,nom\n1,x\n", "no 'name' column"],
    ["id,name\n", "no rows"],
  ])("refuses the whole upload %j", (text, message) => {
    expect(() => parseCsvUpload(text)).toThrow(UploadError);
    expect(() => parseCsvUpload(text)).toThrow(message);
  });
});

describe("parseJsonlUpload", () => {
  it("reads objects, answers broken lines", () => {
    const rows = parseJsonlUpload(
      '{"id":"C-1","name":"ACME LLC","schema":"company"}\n\n{"id":"C-2","name":\n[1,2]\n{"id":7,"name":{"x":1}}\n{"name":"No Id"}\n',
    );
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0]).toMatchObject({ party: { id: "C-1", name: "ACME LLC", schema: "Company" } });
    expect(rows[1]).toMatchObject({ broken: { id: "line-3", line: 3 } });
    expect(rows[2]).toMatchObject({ broken: { message: "expected a JSON object with a name" } });
    expect(rows[3]).toMatchObject({ broken: { id: "7", message: "'name' must be text" } });
    expect(rows[4]).toMatchObject({ party: { id: "line-6", name: "No Id" } });
  });

  it("refuses an upload without rows", () => {
    expect(() => parseJsonlUpload("\n\n")).toThrow(UploadError);
  });
});

describe("job model", () => {
  it("chunks rows", () => {
    expect(chunkRows([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => chunkRows([1], 0)).toThrow(RangeError);
  });

  it.each([
    [[], "completed"],
    [["pending", "pending"], "queued"],
    [["running", "pending"], "running"],
    [["done", "pending"], "running"],
    [["done", "done"], "completed"],
    [["done", "failed"], "failed"],
    [["failed", "running"], "running"],
    [["done", "canceled"], "canceled"],
    [["failed", "canceled", "done"], "canceled"],
  ] as const)("derives status from chunk states %j → %s", (states, status) => {
    expect(jobProgress(states.map((state) => ({ state, rowCount: 10 }))).status).toBe(status);
  });

  it("counts rows of done chunks", () => {
    expect(
      jobProgress([
        { state: "done", rowCount: 1000 },
        { state: "running", rowCount: 1000 },
        { state: "pending", rowCount: 5 },
      ]),
    ).toEqual({
      status: "running",
      chunks: { total: 3, done: 1, failed: 0, canceled: 0 },
      rows: { total: 2005, done: 1000 },
    });
  });

  it("answers a broken row in the screening contract's shape", () => {
    expect(JSON.parse(brokenLine({ id: "line-3", line: 3, message: "bad quote" }))).toEqual({
      id: "line-3",
      matches: [],
      issues: [{ code: "malformed-row", message: "line 3: bad quote", field: "row" }],
    });
  });
});
