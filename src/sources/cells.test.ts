import { describe, expect, it } from "vitest";
import { cleanText, dominantScript, nonLatinScript, slugify } from "./cells.js";

describe("cell helpers", () => {
  it.each([
    ["Jin Tiesan (金铁三)", "Hani", undefined],
    ["Akrin Saleh Akrin (أقرين صالح أقرين)", "Arab", undefined],
    ["Сергей АКСЁНОВ", "Cyrl", "Cyrl"],
    ["Hadi ZAHOURIAN", undefined, undefined],
  ])("%s: non-Latin script %s, dominant script %s", (text, nonLatin, dominant) => {
    expect(nonLatinScript(text)).toBe(nonLatin);
    expect(dominantScript(text)).toBe(dominant);
  });

  it("cleans cells and makes slugs", () => {
    expect(cleanText("  National Identification\n   Number ")).toBe("National Identification Number");
    expect(cleanText(undefined)).toBe("");
    expect(slugify("1, Part 2")).toBe("1-part-2");
    expect(slugify("Gui’an Ñandú")).toBe("gui-an-nandu");
  });
});
