import { describe, expect, it } from "vitest";
import { formatHs6, isLowChapterHeading, parseHsCode } from "./hs-code.js";

describe("parseHsCode", () => {
  it.each([
    ["8542.31.0000", "854231"],
    ["854231", "854231"],
    ["8542 31 00", "854231"],
    ["HTS 8542310000", "854231"],
    ["HS code: 8532.24", "853224"],
    ["Schedule B 8526.91.0040", "852691"],
    ["ТН ВЭД 8542 31 900 0", "854231"],
    ["海关编码 8542319000", "854231"],
    ["８５４２．３１", "854231"],
    ["8542-31-00", "854231"],
  ])("reads %s as %s", (raw, hs6) => {
    const parsed = parseHsCode(raw);
    expect(parsed.code?.hs6).toBe(hs6);
    expect(parsed.issues).toEqual([]);
  });

  it.each([
    ["85A231", "letters"],
    ["854", "3 digits"],
    ["854231001234", "12 digits"],
    ["0042.10", "chapter 00"],
    ["7701.10", "chapter 77"],
    ["8542.31;8542.32", "characters"],
  ])("rejects %s (%s)", (raw, why) => {
    const parsed = parseHsCode(raw);
    expect(parsed.code).toBeUndefined();
    expect(parsed.issues[0]?.code).toBe("bad-hs-code");
    expect(parsed.issues[0]?.severity).toBe("error");
    expect(parsed.issues[0]?.message).toMatch(new RegExp(why.split(" ")[0]!));
  });

  it("restores a leading zero a spreadsheet dropped, with a warning", () => {
    const parsed = parseHsCode("90121");
    expect(parsed.code?.hs6).toBe("090121");
    expect(parsed.issues.map((issue) => issue.code)).toEqual(["hs-code-leading-zero"]);
    expect(parseHsCode("1012100").code?.hs6).toBe("010121");
  });

  it.each(["85423", "8542310", "854231000", "09123", "05031"])(
    "does not pad %s into a heading that does not exist: a digit is missing, which one is unknown",
    (raw) => {
      const parsed = parseHsCode(raw);
      expect(parsed.code).toBeUndefined();
      expect(parsed.issues.map((issue) => issue.code)).toEqual(["bad-hs-code"]);
      expect(parsed.issues[0]?.message).toMatch(/does not exist/);
    },
  );

  it("knows the headings of chapters 01-09", () => {
    expect(["0101", "0106", "0714", "0814", "0910"].every(isLowChapterHeading)).toBe(true);
    expect(["0107", "0854", "0911", "0503", "0100", "1001"].some(isLowChapterHeading)).toBe(false);
  });

  it("keeps a 4-digit heading without a subheading", () => {
    const parsed = parseHsCode("8542");
    expect(parsed.code?.heading).toBe("8542");
    expect(parsed.code?.hs6).toBeUndefined();
    expect(parsed.issues[0]?.code).toBe("hs-code-heading-only");
  });

  it("does not use national chapters 98 and 99", () => {
    const parsed = parseHsCode("9802.00.40");
    expect(parsed.code).toBeUndefined();
    expect(parsed.issues[0]?.code).toBe("hs-code-national-chapter");
  });

  it("says nothing about a blank cell", () => {
    expect(parseHsCode("  ")).toEqual({ issues: [] });
    expect(parseHsCode(undefined)).toEqual({ issues: [] });
  });

  it("formats an HS6", () => {
    expect(formatHs6("854231")).toBe("8542.31");
  });
});
