import { describe, expect, it } from "vitest";
import { withoutArticle } from "./arabic.js";
import {
  CYRILLIC_SCHEMES,
  DEFAULT_CYRILLIC_SCHEME,
  detectCyrillicLanguage,
  transliterateCyrillicWord,
} from "./cyrillic.js";
import { transliterate, transliterateWith } from "./transliterate.js";

describe("transliterate", () => {
  const cases: Array<[string, string]> = [
    ["Saddam Hussein", "Saddam Hussein"],
    ["Müßig Ærø Øst ı", "Mussig Aero Ost i"],
    // Russian
    ["Киселёв Дмитрий Константинович", "Kiselyov Dmitry Konstantinovich"],
    ["Хачатурян Жанна Цой", "Khachaturyan Zhanna Tsoy"],
    ["Щукин Чернышёв Шувалов", "Shchukin Chernyshev Shuvalov"],
    ["Юрьевич Ильич", "Yurievich Ilyich"],
    ["Андрей Николаевич РОДКИН", "Andrey Nikolaevich RODKIN"],
    ["Общество с ограниченной ответственностью", "Obshchestvo s ogranichennoy otvetstvennostyu"],
    ["Красный", "Krasny"],
    // Latin Ë inside a Cyrillic word (as printed in the EU journal)
    ["ПОНОМАРËВ", "PONOMARYOV"],
    // Ukrainian: Г → H, И → Y, І → I, Ї → Yi, Є → Ye
    ["Олексій Резніков", "Oleksiy Reznikov"],
    ["Григорій Їжак Євген", "Hryhoriy Yizhak Yevhen"],
    // Belarusian: Ў → U
    ["Валянціна Генадзьеўна КУЛІК", "Valyantsina Henadzieuna KULIK"],
    // Arabic and Persian
    ["صدام حسين التكريتي", "Saddam Husayn al-Tikriti"],
    ["عبد الرحمن", "Abd al-Rahman"],
    ["عبد الله", "Abdullah"],
    ["فاطمة", "Fatima"],
    ["مصطفى", "Mustafa"],
    ["موسوى", "Musawi"],
    ["علی اسفنجانی", "Ali Asfanjani"],
    ["پ چ ژ گ", "P Ch Zh G"],
    ["محمدی", "Mohammadi"],
    // A word that begins with آ (alef madda) begins with a hamza, not the article ال: the given
    // name Alaa, not "al-A"; the plain alef's article is still split off.
    ["آلاء الجابر", "Ala al-Jabar"],
    // Marks on the article's letters go with it.
    ["عبد اَلرحمن", "Abd al-Rahman"],
    // Persian given names that begin with the letters of the article (Elham is not "al-Ham").
    ["الهام رضایی", "Elham Rezaei"],
    // Other scripts through any-ascii
    ["有限公司", "YouXianGongSi"],
    ["Ελληνικά", "Ellinika"],
  ];
  it.each(cases)("%s → %s", (text, latin) => expect(transliterate(text)).toBe(latin));

  it("offers the other Cyrillic schemes", () => {
    const bgn = CYRILLIC_SCHEMES.find((s) => s.name === "bgn-pcgn")!;
    const icao = CYRILLIC_SCHEMES.find((s) => s.name === "icao")!;
    expect(transliterateWith("Дмитрий Евгеньевич", { cyrillic: bgn })).toBe("Dmitriy Yevgenyevich");
    expect(transliterateWith("Дмитрий Юрьевич", { cyrillic: icao })).toBe("Dmitrii Iurevich");
    expect(transliterateWith("Дмитрий", { plain: true })).toBe("Dmitriy");
  });
});

describe("detectCyrillicLanguage", () => {
  it.each([
    ["Дмитрий Киселёв", "ru"],
    ["Олексій Резніков", "uk"],
    ["Їжак", "uk"],
    ["Валянціна Генадзьеўна", "be"],
    ["Наталля Іванаўна", "be"],
  ] as const)("%s → %s", (text, lang) => expect(detectCyrillicLanguage(text)).toBe(lang));
});

describe("transliterateCyrillicWord (remembered per scheme)", () => {
  it("spells a word each scheme's way, however often it was seen in another", () => {
    const passport = { ...DEFAULT_CYRILLIC_SCHEME, name: "test-passport", yo: "e" as const };
    for (let i = 0; i < 3; i++) {
      expect(transliterateCyrillicWord("Киселёв", "ru", DEFAULT_CYRILLIC_SCHEME)).toBe("Kiselyov");
      expect(transliterateCyrillicWord("Киселёв", "ru", passport)).toBe("Kiselev");
      // Long words are not remembered; they read the same.
      expect(transliterateCyrillicWord("Киселёв".repeat(6), "ru", passport)).toBe("Kiselev".repeat(6));
    }
  });
  it("keeps the bundled schemes frozen, so a remembered spelling cannot go stale", () => {
    expect(Object.isFrozen(DEFAULT_CYRILLIC_SCHEME)).toBe(true);
    expect(CYRILLIC_SCHEMES.every((scheme) => Object.isFrozen(scheme))).toBe(true);
  });
});

describe("withoutArticle", () => {
  it("takes the article off behind an alef, marks and all, but never behind an alef madda", () => {
    expect(withoutArticle("التكريتي")).toBe("تكريتي");
    expect(withoutArticle("ٱلرحمن")).toBe("رحمن");
    expect(withoutArticle("اَلرحمن")).toBe("رحمن");
    expect(withoutArticle("ـالرحمن")).toBe("رحمن");
    expect(withoutArticle("ألرحمن")).toBe("رحمن");
    expect(withoutArticle("آلاء")).toBeUndefined();
    expect(withoutArticle("آلاله")).toBeUndefined();
    expect(withoutArticle("حسين")).toBeUndefined();
    expect(withoutArticle("ا")).toBeUndefined();
    expect(withoutArticle("")).toBeUndefined();
  });
});
