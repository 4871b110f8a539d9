import { describe, expect, it } from "vitest";
import { normalizeName } from "./normalize.js";

describe("normalizeName", () => {
  const cases: Array<[string, string]> = [
    ["Saddam Hussein AL-TIKRITI", "saddam hussein al tikriti"],
    ["صدام حسين التكريتي", "saddam husayn al tikriti"],
    ["Kiselyov D.K.", "kiselyov d k"],
    ["Киселёв Дмитрий Константинович", "kiselyov dmitry konstantinovich"],
    ["ООО «Ромашка»", "ooo romashka"],
    ["O'Brien", "obrien"],
    ["O’Brien", "obrien"],
    ["Straße", "strasse"],
    ["Ærø Øst", "aero ost"],
    ["Işık İnşaat", "isik insaat"],
    ["Łódź", "lodz"],
    ["ＡＢＣ　Ｃｏ．", "abc co"],
    ["  ANGLO-CARIBBEAN   CO., LTD. ", "anglo caribbean co ltd"],
    ["A.Ş.", "a s"],
    ["Ltd. Şti.", "ltd sti"],
    ["有限公司", "youxiangongsi"],
    ["", ""],
  ];
  it.each(cases)("%j → %j", (text, normalized) => expect(normalizeName(text)).toBe(normalized));
});
