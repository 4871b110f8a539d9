import { describe, expect, it } from "vitest";
import { jsonLine } from "../../cli/screen-output.js";
import type { MatchResult } from "../../matching/index.js";
import type { JobInputRow } from "./job-model.js";
import { missingLists, notScreenedLines, screenChunkRows } from "./worker.js";

const rows: JobInputRow[] = [
  { index: 10, party: { line: 11, id: "C-1", name: "Mahan Air", issues: [] } },
  { index: 11, broken: { id: "line-12", line: 12, message: "a quoted field is not closed" } },
  {
    index: 12,
    party: {
      line: 13,
      id: "C-3",
      name: "",
      issues: [{ code: "empty-name", message: "no name to screen", field: "name" }],
    },
  },
  { index: 13, party: { line: 14, id: "C-4", name: "Boom", issues: [] } },
];

const hit = {
  entityId: "x:1",
  list: "x",
  name: "MAHAN AIR",
  score: 1,
  match: true,
} as unknown as MatchResult;

describe("screenChunkRows", () => {
  it("answers every row by index: matches, broken rows, empty names, and screening that throws", () => {
    const seen: unknown[] = [];
    const answers = screenChunkRows(
      rows,
      (query, options) => {
        seen.push([query.name, options]);
        if (query.name === "Boom") throw new Error("kaboom");
        return [hit];
      },
      { lists: ["x"], threshold: 0.8 },
      jsonLine,
    );
    expect(answers.map((a) => a.index)).toEqual([10, 11, 12, 13]);
    expect(seen).toEqual([
      ["Mahan Air", { lists: ["x"], threshold: 0.8 }],
      ["Boom", { lists: ["x"], threshold: 0.8 }],
    ]);
    const parsed = answers.map((a) => JSON.parse(a.line));
    expect(parsed[0]).toMatchObject({ id: "C-1", matches: [{ entityId: "x:1", match: true }] });
    expect(parsed[1].issues[0].code).toBe("malformed-row");
    expect(parsed[2]).toEqual({
      id: "C-3",
      matches: [],
      issues: [{ code: "empty-name", message: "no name to screen", field: "name" }],
    });
    expect(parsed[3].issues[0]).toMatchObject({ code: "screening-failed", message: "Error: kaboom" });
  });
});

describe("notScreenedLines", () => {
  it("answers the rows of a failed chunk as not screened (never as no match)", () => {
    const lines = notScreenedLines(rows, "job failed by timeout in active state", jsonLine)?.map((l) =>
      JSON.parse(l),
    );
    expect(lines?.map((l) => l.id)).toEqual(["C-1", "line-12", "C-3", "C-4"]);
    expect(lines?.[0].issues).toEqual([
      {
        code: "screening-failed",
        message: "not screened: job failed by timeout in active state",
        field: "name",
      },
    ]);
    expect(lines?.[1].issues[0].code).toBe("malformed-row");
    expect(lines?.[2].issues.map((i: { code: string }) => i.code)).toEqual([
      "empty-name",
      "screening-failed",
    ]);
  });

  it("gives up on rows that are not job rows", () => {
    expect(notScreenedLines(["garbage"], "x", jsonLine)).toBeUndefined();
  });
});

describe("missingLists", () => {
  it.each([
    [undefined, [], []],
    [{ un: 2 }, [["un", 2]], []],
    [{ un: 2 }, [["un", 3]], []],
    [{ un: 2 }, [["un", 1]], ["un@2"]],
    [{ un: 2, "ofac-sdn": 5 }, [["un", 2]], ["ofac-sdn@5"]],
  ] as const)("job needs %j, worker has %j → missing %j", (required, loaded, missing) => {
    expect(missingLists(required, new Map(loaded))).toEqual(missing);
  });
});
