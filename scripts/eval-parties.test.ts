import { describe, expect, it } from "vitest";
import { scriptOf } from "./eval-parties.js";

describe("scriptOf", () => {
  it("names the script a name is written in, Korean and Japanese before Han", () => {
    expect(scriptOf("Jane Doe")).toBe("ASCII");
    expect(scriptOf("José Núñez")).toBe("Latin with diacritics");
    expect(scriptOf("王明山")).toBe("Han");
    expect(scriptOf("김철삼")).toBe("Hangul");
    expect(scriptOf("山田 さくら")).toBe("kana");
    expect(scriptOf("صدام حسين")).toBe("Arabic");
    expect(scriptOf("Дмитрий Киселёв")).toBe("Cyrillic");
    expect(scriptOf("ሰላም")).toBe("other");
  });
});
