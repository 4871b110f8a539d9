import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedDamerau, DamerauPattern } from "./edit-distance.js";
import { jaro, jaroWinkler } from "./jaro-winkler.js";
import { withSlips } from "./testing/slips.js";

describe("jaroWinkler", () => {
  // Known answers from Winkler (1990) and the tables reproduced in Cohen, Ravikumar & Fienberg (2003).
  const table: Array<[string, string, number]> = [
    ["MARTHA", "MARHTA", 0.961],
    ["DWAYNE", "DUANE", 0.84],
    ["DIXON", "DICKSONX", 0.813],
    ["JELLYFISH", "SMELLYFISH", 0.896],
    ["ABC", "ABC", 1],
    ["ABC", "XYZ", 0],
  ];
  it.each(table)("%s / %s = %d", (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });
  it("jaro of MARTHA/MARHTA is 0.944", () => {
    expect(jaro("MARTHA", "MARHTA")).toBeCloseTo(0.944, 3);
  });
  it("is symmetric and bounded", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const x = jaroWinkler(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1 + 1e-12);
        expect(Math.abs(x - jaroWinkler(b, a))).toBeLessThan(1e-9);
      }),
    );
  });
});

/** Unbounded reference OSA distance for the property test. */
function osa(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++)
    d.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : 0)));
  for (let i = 1; i <= a.length; i++) {
    d[i]![0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe("boundedDamerau", () => {
  it.each([
    ["KITTEN", "SITTING", 5, 3],
    ["KITTEN", "SITTING", 1, 2],
    ["MUHAMMAD", "MUHAMMADD", 2, 1],
    ["ABCD", "BACD", 1, 1],
    ["", "ABC", 3, 3],
  ] as Array<[string, string, number, number]>)("%s / %s (max %d) = %d", (a, b, max, expected) => {
    expect(boundedDamerau(a, b, max)).toBe(expected);
  });
  it("agrees with the unbounded distance within the bound", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (a, b, max) => {
          const exact = osa(a, b);
          expect(boundedDamerau(a, b, max)).toBe(exact > max ? max + 1 : exact);
        },
      ),
    );
  });
});

describe("DamerauPattern", () => {
  /** A word and it with up to four slips (see `withSlips`). */
  const mutated = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(..."abcdeé"), maxLength: 40 }),
      fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.constantFrom(..."abcdeé")), { maxLength: 4 }),
    )
    .map(([word, slips]) => [word, withSlips(word, slips)] as const);

  it("gives boundedDamerau's answer, bit-parallel up to 32 letters and by the table beyond", () => {
    const pattern = new DamerauPattern();
    fc.assert(
      fc.property(mutated, fc.boolean(), fc.integer({ min: 0, max: 5 }), ([word, other], swap, max) => {
        const [a, b] = swap ? [other, word] : [word, other];
        expect(pattern.compile(a).distance(b, max)).toBe(boundedDamerau(a, b, max));
      }),
      { numRuns: 3000 },
    );
  });

  it("forgets the previous token when compiled again", () => {
    const pattern = new DamerauPattern().compile("ABCD");
    pattern.compile("WXYZ");
    expect(pattern.distance("ABCD", 4)).toBe(4);
    expect(pattern.distance("WXZY", 2)).toBe(1);
    expect(pattern.compile("MUHAMMAD").distance("MUHAMMADD", 2)).toBe(1);
    expect(pattern.compile("KITTEN").distance("SITTING", 1)).toBe(2);
  });
});
