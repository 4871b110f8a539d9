import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DamerauPattern } from "./edit-distance.js";
import { phoneticKeys } from "./text-adapter.js";
import { editSimilarity, phoneticsAgree, tokenScore, tokenScoreSharingKey } from "./token-similarity.js";

describe("tokenScoreSharingKey", () => {
  // Spellings of one name and their slips: most pairs share a double-metaphone key.
  const spellings = [
    "husayn",
    "hussein",
    "husain",
    "hosein",
    "muhammad",
    "mohammed",
    "mohamad",
    "sergei",
    "sergey",
  ];
  const slipped = fc
    .tuple(fc.constantFrom(...spellings), fc.nat(), fc.constantFrom(..."aeiouhsy"))
    .map(([word, at, letter]) => {
      const i = at % (word.length + 1);
      return word.slice(0, i) + letter + word.slice(i + 1);
    });

  it("is tokenScore for every pair whose keys agree, with or without the compiled token", () => {
    const pattern = new DamerauPattern();
    fc.assert(
      fc.property(slipped, slipped, (a, b) => {
        const keysA = phoneticKeys(a);
        const keysB = phoneticKeys(b);
        fc.pre(phoneticsAgree(keysA, keysB));
        const expected = tokenScore(a, b, keysA, keysB);
        expect(tokenScoreSharingKey(a, b)).toBe(expected);
        expect(tokenScoreSharingKey(a, b, pattern.compile(a))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("scores a transliteration pair by sound where edits fall short", () => {
    expect(tokenScoreSharingKey("husayn", "hussein")).toBeCloseTo(
      tokenScore("husayn", "hussein", phoneticKeys("husayn"), phoneticKeys("hussein")),
      12,
    );
    expect(tokenScoreSharingKey("husayn", "hussein")).toBeGreaterThan(0.8);
  });
});

describe("editSimilarity", () => {
  it("gives a four-letter query word two edits to a five-letter list word with its first three letters, not the other way", () => {
    expect(editSimilarity("munu", "munoz")).toBeCloseTo(0.68, 6);
    expect(editSimilarity("munoz", "munu")).toBe(0);
    expect(editSimilarity("omar", "omaaa")).toBeCloseTo(0.68, 6);
    expect(editSimilarity("omaaa", "omar")).toBe(0);
    // Without the first three letters in common, four letters get one edit.
    expect(editSimilarity("muni", "mxnoz")).toBe(0);
  });
});
