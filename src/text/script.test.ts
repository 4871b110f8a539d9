import { describe, expect, it } from "vitest";
import { detectScript, isLatinText, type Script } from "./script.js";

describe("detectScript", () => {
  const cases: Array<[string, Script]> = [
    ["Saddam Hussein AL-TIKRITI", "Latn"],
    ["Müller Ærø", "Latn"],
    ["صدام حسين التكريتي", "Arab"],
    ["علی اسفنجانی", "Arab"],
    ["Киселёв Дмитрий Константинович", "Cyrl"],
    ["Валянціна КУЛІК", "Cyrl"],
    ["Ελληνικά", "Grek"],
    ["עברית", "Hebr"],
    ["华为技术有限公司", "Hans"],
    ["株式会社トヨタ", "Kana"],
    ["주식회사", "Hang"],
    ["Firas QADDOUR قدور", "Latn"],
    ["QADDOUR قدورررر", "Arab"],
    ["12345 !!", "Other"],
    ["", "Other"],
    ["ქართული", "Other"],
  ];
  it.each(cases)("%s → %s", (text, script) => expect(detectScript(text)).toBe(script));
});

describe("isLatinText", () => {
  it.each([
    ["O'Brien & Co.", true],
    ["Şti. Ünal", true],
    ["ООО Ромашка", false],
    ["Firas قدور", false],
  ] as const)("%s → %s", (text, latin) => expect(isLatinText(text)).toBe(latin));
});
