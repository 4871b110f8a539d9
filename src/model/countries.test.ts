import { describe, expect, it } from "vitest";
import { countryCode, normalizeCountry } from "./countries.js";

describe("countryCode", () => {
  it.each([
    ["Iran (Islamic Republic of)", "IR"],
    ["Burma / Birmanie", "MM"],
    ["Democratic Republic of the Congo", "CD"],
    ["Congo, Democratic Republic of the", "CD"],
    ["Korea, North", "KP"],
    ["Russian Federation", "RU"],
    ["Russia", "RU"],
    ["Iranian", "IR"],
    ["United Kingdom", "GB"],
    ["Türkiye", "TR"],
    ["Côte d'Ivoire", "CI"],
    ["ae", "AE"],
    ["UAE", "AE"],
    ["Syrian Arab Republic", "SY"],
    ["Hong Kong", "HK"],
    ["Trinidad and Tobago", "TT"],
    ["Bosnia and Herzegovina", "BA"],
    ["Bahamas, The", "BS"],
    ["China, Hong Kong Special Administrative Region", "HK"],
    ["Guatemalan", "GT"],
  ])("%s → %s", (text, code) => {
    expect(countryCode(text)).toBe(code);
  });

  it.each(["Atlantis", "", "ZZ"])("does not resolve %j", (text) => {
    expect(countryCode(text)).toBeUndefined();
  });

  it("keeps the publisher's text", () => {
    expect(normalizeCountry(" Burma /  Birmanie ")).toEqual({ text: "Burma / Birmanie", code: "MM" });
  });
});
