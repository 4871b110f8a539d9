import { describe, expect, it } from "vitest";
import { latinVariants, MAX_LATIN_VARIANTS } from "./variants.js";

describe("latinVariants", () => {
  it("returns Latin input unchanged", () => {
    expect(latinVariants("Saddam Hussein AL-TIKRITI")).toEqual(["Saddam Hussein AL-TIKRITI"]);
  });

  it.each([
    ["صدام حسين التكريتي", ["Saddam Husayn al-Tikriti", "Saddam Hussein al-Tikriti"]],
    ["Киселёв Дмитрий Константинович", ["Kiselyov Dmitry Konstantinovich", "Kiselev Dmitri Konstantinovich"]],
    ["Сергей Юрьевич", ["Sergey Yurievich", "Sergei Yurievich", "Sergey Yuryevich", "Sergei Iurevich"]],
    ["Олексій Резніков", ["Oleksiy Reznikov", "Oleksii Reznikov"]],
    ["حسین سلیمانی", ["Hossein Soleimani"]],
    ["Firas Hassan QADDOUR فيراس حسان قدور", ["Firas Hassan QADDOUR", "Firas Hassan Qaddur"]],
  ])("%s includes %j", (text, expected) => {
    const variants = latinVariants(text);
    for (const v of expected) expect(variants).toContain(v);
    expect(variants.length).toBeLessThanOrEqual(MAX_LATIN_VARIANTS);
  });

  it("gives vowelled readings of unknown Arabic words", () => {
    expect(latinVariants("حسن")).toContain("Hasan");
    expect(latinVariants("برزان")).toContain("Barzan");
  });
});
