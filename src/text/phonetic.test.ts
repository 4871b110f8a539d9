import { describe, expect, it } from "vitest";
import { phoneticKey, phoneticKeys } from "./phonetic.js";

describe("phoneticKey", () => {
  it.each([
    ["tikriti", "TKRT"],
    ["hussein", "HSN"],
    ["husayn", "HSN"],
    ["smith", "SM0"],
    ["", ""],
  ])("%s → %s", (token, key) => expect(phoneticKey(token)).toBe(key));

  it("returns both keys", () => {
    expect(phoneticKeys("schmidt")).toEqual(["XMT", "SMT"]);
    expect(phoneticKeys("")).toEqual(["", ""]);
  });
});
