import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listEntitySchema } from "../model/index.js";
import { boundedDamerau } from "./edit-distance.js";
import {
  DeletionIndex,
  deletionHashes,
  mergeWordMemos,
  NgramIndex,
  PhoneticIndex,
  TokenIndex,
  TokenMatcher,
  type WordMemoSnapshot,
} from "./name-index.js";
import { buildNameTable } from "./name-table.js";
import { withSlips } from "./testing/slips.js";
import { phoneticKeys } from "./text-adapter.js";
import { editBudget, tokenScore } from "./token-similarity.js";

/** A name table with one entity per name (ids t:0, t:1, ... in order). */
function tableOfWords(names: readonly string[], schema: "Person" | "Organization" = "Person") {
  return buildNameTable(
    names.map((name, i) =>
      listEntitySchema.parse({
        id: `t:${i}`,
        listId: "t",
        nativeId: String(i),
        schema,
        name: name.toUpperCase(),
        names: [{ full: name.toUpperCase(), kind: "primary" }],
        raw: null,
      }),
    ),
  );
}

/** The hash `deletionHashes` gives a string as a whole (its first report, nothing left out). */
function wholeHash(text: string): number {
  let first: number | undefined;
  deletionHashes(text, 1, (hash) => {
    first ??= hash;
  });
  return first!;
}

describe("deletionHashes", () => {
  it("hashes every form with one or two letters left out as that form written out", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."abcdeilmnorsz'"), maxLength: 14 }), (token) => {
        const reported: [number, number][] = [];
        deletionHashes(token, 2, (hash, deleted) => reported.push([hash, deleted]));
        const expected: [number, number][] = [[wholeHash(token), 0]];
        for (let a = 0; a < token.length; a++) {
          expected.push([wholeHash(token.slice(0, a) + token.slice(a + 1)), 1]);
          for (let b = a + 1; b < token.length; b++)
            expected.push([wholeHash(token.slice(0, a) + token.slice(a + 1, b) + token.slice(b + 1)), 2]);
        }
        expect(reported).toEqual(expected);
      }),
    );
  });

  it("reports only single deletions at depth one", () => {
    const deleted: number[] = [];
    deletionHashes("almaz", 1, (_, d) => deleted.push(d));
    expect(deleted).toEqual([0, 1, 1, 1, 1, 1]);
  });

  it("spreads hashes of near-identical words over the top bits that pick their home slot", () => {
    const buckets = new Set<number>();
    for (const word of ["hassan", "hasan", "hassen", "husain", "hussein", "hosein", "hasson", "hassam"])
      buckets.add(wholeHash(word) >>> 12);
    expect(buckets.size).toBe(8);
  });
});

describe("DeletionIndex", () => {
  const words = ["almaz", "alamz", "hassan", "hasan", "husain", "anna", "ana", "nana", "petrov", "petrova"];
  const table = tableOfWords(words);
  const found = (index: DeletionIndex, token: string) => {
    const ids: number[] = [];
    index.lookup(token, ["", ""], (id) => ids.push(id));
    return [...new Set(ids)].map((id) => table.vocab[id]).sort();
  };

  it("finds every list word within the edit budget, and a restored copy finds the same", () => {
    const index = new DeletionIndex(table);
    const restored = new DeletionIndex(table, index.save());
    for (const token of ["amlaz", "hassen", "anan", "petorv", "xyzzy"]) {
      const budget = (w: string) => editBudget(Math.min(token.length, w.length));
      const within = words.filter((w) => boundedDamerau(token, w, budget(w)) <= budget(w)).sort();
      expect(found(index, token)).toEqual(expect.arrayContaining(within));
      expect(found(restored, token)).toEqual(found(index, token));
    }
    expect(found(index, "amlaz")).toContain("almaz");
  });

  it("finds every word within two edits of long tokens too, whose forms outgrow the lookup's buffers", () => {
    // Tokens of 23 letters or more have over 256 forms (1 + n + n(n - 1)/2), the buffers' first size.
    const letters = fc.constantFrom(..."abdehiklmnorstuvz");
    const wordAndSlips = fc.tuple(
      fc.string({ unit: letters, minLength: 23, maxLength: 64 }),
      fc.array(fc.tuple(fc.nat(3), fc.nat(), letters), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(wordAndSlips, { minLength: 1, maxLength: 6 }), (pairs) => {
        const vocabulary = [...new Set(pairs.map(([word]) => word))];
        const longTable = tableOfWords(vocabulary);
        const shared = new DeletionIndex(longTable);
        const lookup = (index: DeletionIndex, token: string) => {
          const ids: number[] = [];
          index.lookup(token, ["", ""], (id) => ids.push(id));
          return ids;
        };
        for (const [word, slips] of pairs) {
          const token = withSlips(word, slips);
          const reported = lookup(shared, token).map((id) => longTable.vocab[id]);
          for (const w of vocabulary)
            if (boundedDamerau(token, w, 2) <= 2) expect(reported, `${token} ~ ${w}`).toContain(w);
          // A short lookup in between leaves nothing behind for the next one.
          lookup(shared, "hasan");
          expect(lookup(shared, token)).toEqual(lookup(new DeletionIndex(longTable), token));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a saved table that does not hold whole slots", () => {
    expect(() => new DeletionIndex(table, { slots: new Int32Array(5) })).toThrow(/whole slots/);
  });

  it("leaves a word of 40,000 letters to the n-gram index, which finds it from a slip", () => {
    const huge = "konstantinovich".repeat(2700);
    const hugeTable = tableOfWords([`${huge} ltd`], "Organization");
    const slipped = `${huge.slice(0, 100)}x${huge.slice(101)}`;
    const reported: number[] = [];
    new DeletionIndex(hugeTable).lookup(slipped, ["", ""], (id) => reported.push(id));
    expect(reported).toEqual([]);
    new NgramIndex(hugeTable).lookup(slipped, ["", ""], (id) => reported.push(id));
    expect(reported).toEqual([hugeTable.vocabId.get(huge)]);
  });
});

describe("lookups of tokens longer than any list word", () => {
  // The longest list word here has 15 letters; lookups skip tokens too long to be in its reach.
  const longest = "konstantinovich";
  // The entity schema's defaults fill every fact list with nothing.
  const entity = listEntitySchema.parse({
    id: "t:1",
    listId: "t",
    nativeId: "1",
    schema: "Person",
    name: `IVAN ${longest.toUpperCase()}`,
    names: [{ full: `IVAN ${longest.toUpperCase()}`, kind: "primary" }],
    raw: null,
  });
  const table = buildNameTable([entity]);
  const target = table.vocabId.get(longest)!;
  const found = (index: DeletionIndex | NgramIndex, token: string) => {
    const ids: number[] = [];
    index.lookup(token, ["", ""], (id) => ids.push(id));
    return ids;
  };

  it("still finds the longest word with two letters added (deletions) or three (n-grams)", () => {
    expect(found(new DeletionIndex(table), `${longest}xy`)).toContain(target);
    expect(found(new NgramIndex(table), `${longest}xyz`)).toContain(target);
  });

  it("finds nothing for a token beyond that reach", () => {
    expect(found(new DeletionIndex(table), `${longest}xyz`)).toEqual([]);
    expect(found(new NgramIndex(table), `${longest}wxyz`)).toEqual([]);
    expect(found(new DeletionIndex(table), "wang".repeat(250))).toEqual([]);
  });
});

describe("NgramIndex", () => {
  const tableOf = (word: string) => tableOfWords([word]);
  /**
   * A word of 9-16 letters, over four letters (bigrams repeat) or over many, and it with up to
   * three slips: insertions, deletions, substitutions and swaps of neighbours.
   */
  const wordAndSlip = fc
    .tuple(
      fc.oneof(
        fc.string({ unit: fc.constantFrom(..."kort"), minLength: 9, maxLength: 16 }),
        fc.string({ unit: fc.constantFrom(..."abdehiklmnorstuvz"), minLength: 9, maxLength: 16 }),
      ),
      fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.constantFrom(..."kortx")), { maxLength: 3 }),
    )
    .map(([word, slips]) => [word, withSlips(word, slips)] as const);

  it("finds KALASHNIKOV from AKLAHSNIKVO (three swaps of neighbours)", () => {
    const table = tableOf("kalashnikov");
    const found: number[] = [];
    new NgramIndex(table).lookup("aklahsnikvo", ["", ""], (id) => found.push(id));
    expect(found).toEqual([table.vocabId.get("kalashnikov")]);
  });

  it("finds a word of 270 letters from three slips of it (word lengths are kept capped at 255)", () => {
    const word = "konstantinovich".repeat(18);
    const table = tableOf(word);
    const found: number[] = [];
    const slipped = withSlips(word, [
      [2, 10, "x"],
      [2, 130, "x"],
      [2, 260, "x"],
    ]);
    new NgramIndex(table).lookup(slipped, ["", ""], (id) => found.push(id));
    expect(found).toEqual([table.vocabId.get(word)]);
  });

  it("finds every list word within three edits of a long token, swaps and repeated bigrams too", () => {
    fc.assert(
      fc.property(wordAndSlip, ([word, slipped]) => {
        fc.pre(slipped.length >= 9 && boundedDamerau(word, slipped, 3) <= 3);
        const table = tableOf(word);
        const found: number[] = [];
        new NgramIndex(table).lookup(slipped, ["", ""], (id) => found.push(id));
        expect(found).toContain(table.vocabId.get(word));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("NgramIndex over a vocabulary of many long words", () => {
  const letters = fc.constantFrom(..."abdehiklmnorstuvz");
  const vocabularyAndQueries = fc.tuple(
    fc.array(fc.string({ unit: letters, minLength: 9, maxLength: 20 }), { minLength: 1, maxLength: 30 }),
    fc.array(fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(3), fc.nat(), letters), { maxLength: 3 })), {
      minLength: 1,
      maxLength: 8,
    }),
  );

  it("reports every word within three edits, and the same words on one index as on a fresh one", () => {
    fc.assert(
      fc.property(vocabularyAndQueries, ([words, queries]) => {
        const vocabulary = [...new Set([...words, "konstantinovich".repeat(18)])];
        const table = tableOfWords(vocabulary);
        const shared = new NgramIndex(table);
        const lookup = (index: NgramIndex, token: string) => {
          const ids: number[] = [];
          index.lookup(token, ["", ""], (id) => ids.push(id));
          return ids.sort((a, b) => a - b);
        };
        for (const [pick, slips] of queries) {
          const token = withSlips(vocabulary[pick % vocabulary.length]!, slips);
          const reported = lookup(shared, token).map((id) => table.vocab[id]);
          for (const w of vocabulary)
            if (token.length >= 9 && w.length >= 9 && boundedDamerau(token, w, 3) <= 3)
              expect(reported, `${token} ~ ${w}`).toContain(w);
          expect(lookup(shared, token)).toEqual(lookup(new NgramIndex(table), token));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is left clean by a lookup whose caller throws", () => {
    // The same letters in another order share one bigram of twelve: only counts left over from an
    // earlier lookup would let the second word through the bound, and the letter filters after it
    // cannot tell them apart.
    const table = tableOfWords(["abcdefghijk", "acegikbdfhj"]);
    const lookup = (index: NgramIndex, token: string) => {
      const ids: number[] = [];
      index.lookup(token, ["", ""], (id) => ids.push(id));
      return ids.map((id) => table.vocab[id]);
    };
    const index = new NgramIndex(table);
    expect(() =>
      index.lookup("acegikbdfhj", ["", ""], () => {
        throw new Error("caller failed");
      }),
    ).toThrow("caller failed");
    expect(lookup(index, "abcdefghijk")).toEqual(["abcdefghijk"]);
    expect(lookup(new NgramIndex(table), "abcdefghijk")).toEqual(["abcdefghijk"]);
  });
});

describe("TokenMatcher", () => {
  // List words of three to fifteen letters, as names and company names have them.
  const WORDS = [
    "ali",
    "kim",
    "omar",
    "olga",
    "reza",
    "hamid",
    "ahmad",
    "sergei",
    "sergey",
    "hassan",
    "hussein",
    "husain",
    "muhammad",
    "mohammed",
    "mohamad",
    "ibrahim",
    "tikriti",
    "ivanov",
    "petrov",
    "rezaei",
    "hosseini",
    "kiselyov",
    "munoz",
    "munu",
    "gomez",
    "fernandez",
    "gutierrez",
    "mudacumura",
    "shammout",
    "fakhrizadeh",
    "soleimani",
    "kalashnikov",
    "rosoboronexport",
    "konstantinovich",
    "alabuga",
    "electronics",
    "aviation",
    "international",
    "engineering",
    "logistics",
    "shahed",
  ];
  const table = tableOfWords(WORDS);
  const matcher = () =>
    new TokenMatcher(table, [
      new TokenIndex(table),
      new PhoneticIndex(table),
      new NgramIndex(table),
      new DeletionIndex(table),
    ]);
  /** A list word with up to three slips: insertions, deletions, substitutions, swaps. */
  const slipped = fc
    .tuple(
      fc.constantFrom(...WORDS),
      fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.constantFrom(..."aeiouhnrsyz")), { maxLength: 3 }),
    )
    .map(([word, slips]) => withSlips(word, slips))
    .filter((token) => token.length > 0);

  it("finds every list word a plain scan of the vocabulary scores, with the same score", () => {
    fc.assert(
      fc.property(slipped, (token) => {
        const keys = phoneticKeys(token);
        const expected = new Map<number, number>();
        table.vocab.forEach((word, id) => {
          const score = tokenScore(token, word, keys, table.vocabPhonetic[id]!);
          if (score > 0) expected.set(id, score);
        });
        const { ids, scores } = matcher().match(token, false);
        const found = new Map(Array.from(ids, (id, k) => [id, scores[k]!] as const));
        for (const [id, score] of expected) expect(found.get(id)).toBeCloseTo(score, 6);
      }),
      { numRuns: 2000 },
    );
  });

  it("holds no more remembered words than its memo limit, however many are handed over", () => {
    const indexes = () => [new TokenIndex(table), new PhoneticIndex(table), new DeletionIndex(table)];
    const giver = new TokenMatcher(table, indexes());
    giver.collectNewLookups();
    const taker = new TokenMatcher(table, indexes(), 4);
    // Ten hand-overs of three words each, as a worker thread receives them chunk after chunk.
    const handed: string[][] = [];
    for (let k = 0; k < 10; k++) {
      const words = WORDS.slice(3 * k, 3 * k + 3);
      for (const word of words) giver.match(word, false);
      handed.push(words);
      expect(taker.remember(giver.takeNewLookups()!)).toBe(3);
    }
    const held = taker.memoSnapshot(Number.POSITIVE_INFINITY).words;
    expect(held.length).toBeLessThanOrEqual(4);
    // A hand-over of words it already holds changes nothing.
    giver.match(WORDS[30]!, false);
    const more = giver.takeNewLookups()!;
    expect(taker.remember(more)).toBe(1);
    expect(taker.remember(more)).toBe(0);
    expect(taker.memoSnapshot(Number.POSITIVE_INFINITY).words).toEqual([...handed.at(-1)!, WORDS[30]]);
    // The last hand-over is held; what was dropped is looked up again, with the same answer.
    expect(held).toEqual(handed.at(-1));
    expect(taker.match(WORDS[0]!, false)).toEqual(giver.match(WORDS[0]!, false));
    expect(taker.freshLookups).toBe(1);
  });
});

describe("mergeWordMemos", () => {
  /** A memo of the given words, each with its own matches (ids derived from the word, so equal words agree). */
  const memoOf = (words: readonly string[]): WordMemoSnapshot => {
    const matches = words.map((word) =>
      Array.from({ length: word.length % 4 }, (_, k) => (word.charCodeAt(0) + k) % 50),
    );
    const start = new Int32Array(words.length + 1);
    matches.forEach((ids, k) => {
      start[k + 1] = start[k]! + ids.length;
    });
    return {
      vocabSize: 50,
      vocabKey: 7,
      words,
      phonetic: words.flatMap((word) => [word.toUpperCase(), ""]),
      initial: Uint8Array.from(words, (word) => (word.length === 1 ? 1 : 0)),
      weight: Float64Array.from(words, (word) => word.length / 10),
      start,
      ids: Int32Array.from(matches.flat()),
      scores: Float32Array.from(matches.flat(), (id) => id / 64),
      respacings: words.map((word) => (word.length > 3 ? `${word.slice(0, 2)} ${word.slice(2)}` : "")),
    };
  };
  /** Entry k of a memo, as plain values. */
  const entry = (memo: WordMemoSnapshot, k: number) => ({
    word: memo.words[k],
    phonetic: [memo.phonetic[2 * k], memo.phonetic[2 * k + 1]],
    initial: memo.initial[k],
    weight: memo.weight[k],
    ids: [...memo.ids.subarray(memo.start[k], memo.start[k + 1])],
    scores: [...memo.scores.subarray(memo.start[k], memo.start[k + 1])],
    respacings: memo.respacings[k],
  });

  it("keeps each word once, at its last appearance, the newest `limit` of them, in order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom("a", "bo", "cat", "dove", "eagle", "fox", "gnu", "hen"), {
            maxLength: 12,
          }),
          {
            maxLength: 4,
          },
        ),
        fc.integer({ min: 0, max: 12 }),
        (lists, limit) => {
          const memos = lists.map((words) => memoOf([...new Set(words)]));
          // The reference: every entry in order, a later appearance replacing an earlier one.
          const last = new Map<string, ReturnType<typeof entry>>();
          for (const memo of memos)
            for (let k = 0; k < memo.words.length; k++) {
              last.delete(memo.words[k]!);
              last.set(memo.words[k]!, entry(memo, k));
            }
          const expected = [...last.values()].slice(Math.max(0, last.size - limit));
          const merged = mergeWordMemos(memos, limit);
          expect(merged.words.map((_, k) => entry(merged, k))).toEqual(expected);
          expect(merged.start[merged.words.length]).toBe(merged.ids.length);
        },
      ),
    );
  });
});
