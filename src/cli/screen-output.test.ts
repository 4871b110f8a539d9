import { describe, expect, it } from "vitest";
import type { ScreenedRow } from "../jobs/screen-batch.js";
import type { MatchResult } from "../matching/index.js";
import { csvLines, tableLine } from "./screen-output.js";

const hit = (extra: Partial<MatchResult["explanation"]> = {}): MatchResult => ({
  entityId: "ofac-sdn:16446",
  list: "ofac-sdn",
  name: "AL-MULATHAMUN BATTALION",
  score: 1,
  match: true,
  explanation: {
    queryForm: "Those Who Sign in Blood",
    listName: "THOSE WHO SIGN IN BLOOD",
    listNameKind: "aka",
    tokens: [],
    unmatchedQuery: [],
    unmatchedList: [],
    nameScore: 1,
    evidence: [],
    summary: "summary",
    ...extra,
  },
});
const row = (matches: MatchResult[]): ScreenedRow => ({
  id: "L1",
  name: "AL MOUAKAOUNE BIDDAM",
  matches,
  issues: [],
});

describe("screen output", () => {
  it("names the other list's record a hit was found through in the table", () => {
    const linkedThrough = {
      entityId: "un:QDe.139",
      list: "un",
      name: "AL MOUAKAOUNE BIDDAM",
      score: 1,
      alias: "x",
    };
    expect(tableLine(row([hit({ linkedThrough })]))).toMatch(
      /MATCH\s+1\.000\s+ofac-sdn:16446\s+AL-MULATHAMUN BATTALION \(via un:QDe\.139\)$/,
    );
    expect(tableLine(row([hit()]))).not.toContain("via");
  });

  it("writes one CSV row per candidate and one for a row without any", () => {
    expect(csvLines(row([hit()]))).toEqual([
      "L1,AL MOUAKAOUNE BIDDAM,ofac-sdn:16446,ofac-sdn,AL-MULATHAMUN BATTALION,1,true,summary,",
    ]);
    expect(csvLines(row([]))).toEqual(["L1,AL MOUAKAOUNE BIDDAM,,,,,,,"]);
  });
});
