import type { NameTable } from "./name-table.js";
import { phoneticKeys } from "./text-adapter.js";
import { editBudget, tokenSimilarity } from "./token-similarity.js";

/** The ways a query token finds list tokens. */
export const NAME_INDEX_STRATEGIES = ["token", "phonetic", "ngram"] as const;
export type NameIndexStrategy = (typeof NAME_INDEX_STRATEGIES)[number];

/**
 * One way of finding the list vocabulary a query token might stand for. Each strategy reports
 * vocabulary ids; the candidate generator scores them with `tokenSimilarity` and expands them to
 * names through the postings, so a strategy may over-report but should not miss.
 *
 * @example
 * const index: NameIndex = new TokenIndex(table);
 * index.lookup("tikriti", ["TKRT", "TKRT"], (id) => found.push(id));
 */
export interface NameIndex {
  readonly strategy: NameIndexStrategy;
  lookup(token: string, phonetic: readonly [string, string], found: (vocabId: number) => void): void;
}

/**
 * Exact token lookup: the spelling is in some list name.
 *
 * @example
 * new TokenIndex(table).lookup("saddam", keys, push) // pushes the id of "saddam"
 */
export class TokenIndex implements NameIndex {
  readonly strategy = "token" as const;
  constructor(private readonly table: NameTable) {}
  lookup(token: string, _phonetic: readonly [string, string], found: (vocabId: number) => void): void {
    const id = this.table.vocabId.get(token);
    if (id !== undefined) found(id);
  }
}

/**
 * Double-metaphone keys → vocabulary: catches transliteration variants that are many edits apart
 * (HUSAYN / HUSSEIN / HUSEYN all key to HSN).
 *
 * @example
 * new PhoneticIndex(table).lookup("husayn", ["HSN", "HSN"], push) // pushes "hussein", "husain"...
 */
export class PhoneticIndex implements NameIndex {
  readonly strategy = "phonetic" as const;
  private readonly byKey = new Map<string, number[]>();
  constructor(table: NameTable) {
    table.vocabPhonetic.forEach(([primary, secondary], id) => {
      // Two-letter tokens have keys shared by half the vocabulary; they are found exactly or not at all.
      if (table.vocab[id]!.length <= 2) return;
      for (const key of primary === secondary ? [primary] : [primary, secondary]) {
        if (!key) continue;
        const ids = this.byKey.get(key);
        if (ids) ids.push(id);
        else this.byKey.set(key, [id]);
      }
    });
  }
  lookup(
    token: string,
    [primary, secondary]: readonly [string, string],
    found: (vocabId: number) => void,
  ): void {
    if (token.length <= 2) return;
    const a = primary ? this.byKey.get(primary) : undefined;
    if (a) for (const id of a) found(id);
    if (secondary && secondary !== primary) {
      const b = this.byKey.get(secondary);
      if (b) for (const id of b) found(id);
    }
  }
}

const ALPHABET = 37; // a-z, 0-9 and the "$" pad
const charCode = (c: number): number => (c >= 97 && c <= 122 ? c - 96 : c >= 48 && c <= 57 ? c - 21 : 0);

/** Trigram codes of "$token$" (the pads make the first and last letters count). */
function trigrams(token: string, out: number[]): number[] {
  out.length = 0;
  const n = token.length + 2;
  const at = (i: number) => (i === 0 || i === n - 1 ? 0 : charCode(token.charCodeAt(i - 1)));
  for (let i = 0; i + 2 < n; i++) out.push((at(i) * ALPHABET + at(i + 1)) * ALPHABET + at(i + 2));
  return out;
}

/**
 * Character trigrams over the vocabulary, for typos: a token within `editBudget` edits of a list
 * token shares at least (trigrams − 3 × budget) of its trigrams, because one edit touches at most
 * three. Tokens of three letters or fewer have no edit budget and are left to the other strategies.
 *
 * @example
 * new NgramIndex(table).lookup("tikrity", keys, push) // pushes "tikriti"
 */
export class NgramIndex implements NameIndex {
  readonly strategy = "ngram" as const;
  private readonly start: Int32Array;
  private readonly ids: Int32Array;
  private readonly lengths: Uint8Array;
  private counts: Uint16Array;
  private readonly touched: Int32Array;
  private readonly scratch: number[] = [];

  constructor(table: NameTable) {
    const size = ALPHABET * ALPHABET * ALPHABET;
    const count = new Int32Array(size + 1);
    const grams: number[] = [];
    this.lengths = new Uint8Array(table.vocab.length);
    table.vocab.forEach((token, id) => {
      this.lengths[id] = Math.min(255, token.length);
      for (const g of new Set(trigrams(token, grams))) count[g + 1]!++;
    });
    for (let g = 0; g < size; g++) count[g + 1]! += count[g]!;
    this.start = Int32Array.from(count);
    const fill = Int32Array.from(count);
    this.ids = new Int32Array(count[size]!);
    table.vocab.forEach((token, id) => {
      for (const g of new Set(trigrams(token, grams))) this.ids[fill[g]!++] = id;
    });
    this.counts = new Uint16Array(table.vocab.length);
    this.touched = new Int32Array(table.vocab.length);
  }

  lookup(token: string, _phonetic: readonly [string, string], found: (vocabId: number) => void): void {
    if (token.length <= 3) return;
    const budget = editBudget(token.length + 1);
    const grams = [...new Set(trigrams(token, this.scratch))];
    const need = Math.max(1, grams.length - 3 * budget);
    let touchedCount = 0;
    const counts = this.counts;
    for (const g of grams) {
      for (let k = this.start[g]!; k < this.start[g + 1]!; k++) {
        const id = this.ids[k]!;
        if (counts[id] === 0) this.touched[touchedCount++] = id;
        counts[id]!++;
      }
    }
    for (let k = 0; k < touchedCount; k++) {
      const id = this.touched[k]!;
      if (counts[id]! >= need && Math.abs(this.lengths[id]! - token.length) <= budget) found(id);
      counts[id] = 0;
    }
  }
}

/**
 * What one query token is close to in the list vocabulary: vocabulary id → similarity, plus the
 * weight the token carries (from the rarest exact or best match; unknown tokens weigh 1).
 */
export interface TokenMatches {
  readonly text: string;
  readonly phonetic: readonly [string, string];
  readonly initial: boolean;
  readonly weight: number;
  readonly similar: ReadonlyMap<number, number>;
}

/** Weight an initial carries: it narrows a name down, but one letter is shared by thousands. */
export const INITIAL_WEIGHT = 0.3;

/**
 * Finds similar vocabulary for query tokens through every strategy and remembers the answer:
 * screening batches repeat the same given names and surnames, so each distinct token is looked up
 * once per screener (a bounded memo, cleared when full; no clock, no I/O).
 *
 * @example
 * const matcher = new TokenMatcher(table, [new TokenIndex(table), new PhoneticIndex(table), new NgramIndex(table)]);
 * matcher.match("husayn", false).similar // Map { id("hussein") => 0.83, ... }
 */
export class TokenMatcher {
  private readonly memo = new Map<string, TokenMatches>();
  private readonly seen: Set<number> = new Set();
  constructor(
    private readonly table: NameTable,
    private readonly indexes: readonly NameIndex[],
    private readonly memoLimit = 200_000,
  ) {}

  match(token: string, initial: boolean): TokenMatches {
    const cached = this.memo.get(token);
    if (cached) return cached;
    const phonetic = phoneticKeys(token);
    const similar = new Map<number, number>();
    const seen = this.seen;
    seen.clear();
    const { vocab, vocabPhonetic, tokenWeight } = this.table;
    let bestScore = 0;
    let bestWeight = 1;
    const consider = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      const { score } = tokenSimilarity(token, vocab[id]!, phonetic, vocabPhonetic[id]!);
      if (score <= 0) return;
      similar.set(id, score);
      if (score > bestScore || (score === bestScore && tokenWeight[id]! < bestWeight)) {
        bestScore = score;
        bestWeight = tokenWeight[id]!;
      }
    };
    for (const index of this.indexes) index.lookup(token, phonetic, consider);
    const result: TokenMatches = {
      text: token,
      phonetic,
      initial,
      weight: initial ? INITIAL_WEIGHT : bestScore > 0 ? bestWeight : 1,
      similar,
    };
    if (this.memo.size >= this.memoLimit) this.memo.clear();
    this.memo.set(token, result);
    return result;
  }
}

/**
 * Candidate generation: every name sharing a similar token with the query is scored cheaply
 * (similarity-weighted share of the query and of the name), and the best `limit` names go on to
 * the full scorer. Lists and schemas outside the request are dropped here, before any scoring.
 *
 * @example
 * const names = generator.candidates(queryTokens, (name) => true, 64); // Int32Array of name ids
 */
export class CandidateGenerator {
  private readonly acc: Float32Array;
  private readonly touched: Int32Array;
  private heapKey: Float64Array;
  private heapId: Int32Array;

  constructor(private readonly table: NameTable) {
    this.acc = new Float32Array(table.nameCount);
    this.touched = new Int32Array(table.nameCount);
    this.heapKey = new Float64Array(256);
    this.heapId = new Int32Array(256);
  }

  /**
   * Best `limit` name ids for one query form, by an optimistic estimate of the name score.
   * `accept` filters names (list and schema); it runs once per touched name.
   */
  candidates(tokens: readonly TokenMatches[], accept: (name: number) => boolean, limit: number): Int32Array {
    const { postingStart, postings, nameWeight } = this.table;
    const acc = this.acc;
    let touchedCount = 0;
    let queryWeight = 0;
    for (const t of tokens) {
      queryWeight += t.weight;
      for (const [vocab, score] of t.similar) {
        const add = score * t.weight;
        for (let k = postingStart[vocab]!; k < postingStart[vocab + 1]!; k++) {
          const n = postings[k]!;
          if (n < 0) continue;
          if (acc[n] === 0) this.touched[touchedCount++] = n;
          acc[n]! += add;
        }
      }
    }
    if (limit > this.heapKey.length) {
      this.heapKey = new Float64Array(limit);
      this.heapId = new Int32Array(limit);
    }
    // Min-heap of the best `limit` estimates.
    let size = 0;
    const keys = this.heapKey;
    const ids = this.heapId;
    for (let k = 0; k < touchedCount; k++) {
      const n = this.touched[k]!;
      const a = acc[n]!;
      acc[n] = 0;
      const estimate = 0.5 * (a / queryWeight) + 0.5 * Math.min(1, a / nameWeight[n]!);
      if (size === limit && estimate <= keys[0]!) continue;
      if (!accept(n)) continue;
      if (size < limit) {
        let i = size++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (keys[parent]! <= estimate) break;
          keys[i] = keys[parent]!;
          ids[i] = ids[parent]!;
          i = parent;
        }
        keys[i] = estimate;
        ids[i] = n;
      } else {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const c = r < size && keys[r]! < keys[l]! ? r : l;
          if (keys[c]! >= estimate) break;
          keys[i] = keys[c]!;
          ids[i] = ids[c]!;
          i = c;
        }
        keys[i] = estimate;
        ids[i] = n;
      }
    }
    return ids.slice(0, size);
  }
}
