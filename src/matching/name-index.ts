import { DamerauPattern } from "./edit-distance.js";
import { letterBit, type NameTable } from "./name-table.js";
import { INITIAL_SIMILARITY } from "./score-name.js";
import { phoneticKeys } from "./text-adapter.js";
import {
  editBudget,
  editSimilarity,
  MIN_TOKEN_SIMILARITY,
  tokenScore,
  tokenScoreSharingKey,
} from "./token-similarity.js";

/** The ways a query token finds list tokens. */
export const NAME_INDEX_STRATEGIES = ["token", "phonetic", "ngram", "deletion"] as const;
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
  /** `found` must not call `lookup` on the same index: a lookup's scratch buffers are the index's own. */
  lookup(token: string, phonetic: readonly [string, string], found: (vocabId: number) => void): void;
}

/** Saved forms of the built indexes: restoring them skips building (~0.4 s for the bundled lists). */
export interface PhoneticIndexSnapshot {
  /** Distinct keys; key k's vocabulary ids are ids[start[k] .. start[k + 1]). */
  readonly keys: readonly string[];
  readonly start: Int32Array;
  readonly ids: Int32Array;
}
export interface NgramIndexSnapshot {
  readonly start: Int32Array;
  /** Postings: ranks among the long words (see `words`). */
  readonly ranks: Int32Array;
  readonly postingLength: Uint8Array;
  /** Rank → vocabulary id of the words of MIN_THREE_EDIT_LENGTH letters or more. */
  readonly words: Int32Array;
}
export interface DeletionIndexSnapshot {
  /** Open-addressing table: slot s holds a form's hash at 2s and its vocabulary id + 1 at 2s + 1 (0: empty). */
  readonly slots: Int32Array;
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
  /** Key → its slot in `saved.keys`; the slot's ids are a run of `ids` (CSR, as the postings). */
  private readonly slotOf: Map<string, number>;
  private readonly saved: PhoneticIndexSnapshot;
  constructor(table: NameTable, saved?: PhoneticIndexSnapshot) {
    this.saved = saved ?? PhoneticIndex.build(table);
    this.slotOf = new Map(this.saved.keys.map((key, slot) => [key, slot]));
  }

  private static build(table: NameTable): PhoneticIndexSnapshot {
    const byKey = new Map<string, number[]>();
    table.vocabPhonetic.forEach(([primary, secondary], id) => {
      // Keys of words of three letters or fewer are shared by far too many words (see phoneticScore).
      if (table.vocab[id]!.length <= 3) return;
      for (const key of primary === secondary ? [primary] : [primary, secondary]) {
        if (!key) continue;
        const ids = byKey.get(key);
        if (ids) ids.push(id);
        else byKey.set(key, [id]);
      }
    });
    const keys = [...byKey.keys()];
    const start = new Int32Array(keys.length + 1);
    keys.forEach((key, slot) => {
      start[slot + 1] = start[slot]! + byKey.get(key)!.length;
    });
    const ids = new Int32Array(start[keys.length]!);
    keys.forEach((key, slot) => {
      ids.set(byKey.get(key)!, start[slot]!);
    });
    return { keys, start, ids };
  }

  /** The index as plain data, restored with `new PhoneticIndex(table, saved)`. */
  save(): PhoneticIndexSnapshot {
    return this.saved;
  }

  lookup(
    token: string,
    [primary, secondary]: readonly [string, string],
    found: (vocabId: number) => void,
  ): void {
    if (token.length <= 3) return;
    if (primary) this.report(primary, found);
    if (secondary && secondary !== primary) this.report(secondary, found);
  }

  private report(key: string, found: (vocabId: number) => void): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    const { start, ids } = this.saved;
    for (let k = start[slot]!; k < start[slot + 1]!; k++) found(ids[k]!);
  }
}

/** Length of the longest word in `vocab`. */
function longestWord(vocab: readonly string[]): number {
  let longest = 0;
  for (const word of vocab) if (word.length > longest) longest = word.length;
  return longest;
}

/** Bigram letters: a-z, 0-9 and the "$" pad (anything else counts as the pad). */
const ALPHABET = 37;
/**
 * Distinct bigrams one edit can take out of a token: a substitution, insertion or deletion touches
 * two neighbour pairs; a swap of neighbours ("pxyq" → "pyxq") touches three ordered ones (px, xy,
 * yq) but only two unordered ones, as `ngrams` makes them: {x, y} stays.
 */
const MAX_BIGRAMS_PER_EDIT = 2;

/**
 * The code units of a word as bits (code mod 32): a lower bound on the edit distance of two words
 * is the number of bits either has and the other lacks, because an edit brings in or takes out at
 * most one letter on each side and a swap none. Letters sharing a bit only weaken the bound.
 */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

/** Set bits of a 32-bit integer. */
function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}
/** First position in `values[from, to)` (sorted ascending) holding `least` or more; `to` if none. */
function firstAtLeast(values: Uint8Array, from: number, to: number, least: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < least) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Word lengths above this are kept as this (one byte each in the n-gram index). */
const MAX_KEPT_LENGTH = 255;
/** Shortest token with a budget of three edits (see `editBudget`). */
const MIN_THREE_EDIT_LENGTH = 9;
const charCode = (c: number): number => (c >= 97 && c <= 122 ? c - 96 : c >= 48 && c <= 57 ? c - 21 : 0);

/**
 * Character n-gram codes of "$token$" (the pads make the first and last letters count). Bigrams
 * are unordered pairs of neighbours ("ab" and "ba" are one code), so swapping two neighbours keeps
 * the pair it swaps (see `MAX_BIGRAMS_PER_EDIT`).
 */
function ngrams(token: string, size: 2 | 3, out: number[]): number[] {
  out.length = 0;
  const n = token.length + 2;
  const at = (i: number) => (i === 0 || i === n - 1 ? 0 : charCode(token.charCodeAt(i - 1)));
  if (size === 2)
    for (let i = 0; i + 1 < n; i++) {
      const a = at(i);
      const b = at(i + 1);
      out.push(a < b ? a * ALPHABET + b : b * ALPHABET + a);
    }
  else for (let i = 0; i + 2 < n; i++) out.push((at(i) * ALPHABET + at(i + 1)) * ALPHABET + at(i + 2));
  return out;
}

/**
 * Character bigrams over the vocabulary, for typos: a token within `editBudget` edits of a list
 * token shares at least (distinct bigrams − 2 × budget) of its unordered bigrams, because any
 * edit, a swap of neighbours included, touches at most two (trigrams would touch three, and that
 * bound lets through hundreds of unrelated tokens). `DeletionIndex` finds every pair within two
 * edits, so this index only walks tokens of nine letters or more, whose budget is three.
 *
 * @example
 * new NgramIndex(table).lookup("aklahsnikvo", keys, push) // pushes "kalashnikov" (three swaps)
 */
export class NgramIndex implements NameIndex {
  readonly strategy = "ngram" as const;
  private readonly start: Int32Array;
  private readonly ranks: Int32Array;
  /** Token length of each posting; postings of a bigram are sorted by it, so a lookup reads only the lengths in budget. */
  private readonly postingLength: Uint8Array;
  /**
   * Only words of MIN_THREE_EDIT_LENGTH letters or more are indexed (a three-edit pair needs two),
   * numbered by rank: the counts a lookup keeps per word then fit the first-level cache (10,000
   * long words of 37,500 in the bundled lists), where counts over the whole vocabulary did not.
   */
  private readonly words: Int32Array;
  private readonly counts: Uint16Array;
  /** Per rank: the word's length (capped) and `letterMask` (derived, not saved: ~1 ms). */
  private readonly rankLength: Uint8Array;
  private readonly letters: Int32Array;
  private readonly vocab: readonly string[];
  /** The token's letters counted by `code & 31`, and a scratch copy (`bagDistance`). */
  private readonly tokenBag = new Int32Array(32);
  private readonly bag = new Int32Array(32);
  private readonly scratch: number[] = [];

  private readonly gram: 2 | 3 = 2;
  /** Longest list word: a token longer by more than three letters has no neighbour to find. */
  private readonly longestWord: number;

  constructor(table: NameTable, saved?: NgramIndexSnapshot) {
    this.longestWord = longestWord(table.vocab);
    this.vocab = table.vocab;
    ({
      start: this.start,
      ranks: this.ranks,
      postingLength: this.postingLength,
      words: this.words,
    } = saved ?? NgramIndex.build(table.vocab, this.gram));
    this.counts = new Uint16Array(this.words.length);
    this.rankLength = Uint8Array.from(this.words, (id) => Math.min(MAX_KEPT_LENGTH, table.vocab[id]!.length));
    this.letters = Int32Array.from(this.words, (id) => letterMask(table.vocab[id]!));
  }

  private static build(vocab: readonly string[], gram: 2 | 3): NgramIndexSnapshot {
    const words = Int32Array.from(
      vocab.flatMap((word, id) => (word.length >= MIN_THREE_EDIT_LENGTH ? [id] : [])),
    );
    const size = gram === 2 ? ALPHABET * ALPHABET : ALPHABET * ALPHABET * ALPHABET;
    const count = new Int32Array(size + 1);
    const grams: number[] = [];
    const gramsOf: Int32Array[] = [];
    words.forEach((id, rank) => {
      const unique = Int32Array.from(new Set(ngrams(vocab[id]!, gram, grams)));
      gramsOf[rank] = unique;
      for (const g of unique) count[g + 1]!++;
    });
    for (let g = 0; g < size; g++) count[g + 1]! += count[g]!;
    const start = Int32Array.from(count);
    const fill = Int32Array.from(count);
    const ranks = new Int32Array(count[size]!);
    const postingLength = new Uint8Array(count[size]!);
    // Visit the words shortest first (a stable sort keeps vocabulary order among equal lengths) so
    // that every posting list comes out sorted by length.
    const byLength = Array.from(words, (_, rank) => rank).sort(
      (a, b) => vocab[words[a]!]!.length - vocab[words[b]!]!.length,
    );
    for (const rank of byLength) {
      const length = Math.min(MAX_KEPT_LENGTH, vocab[words[rank]!]!.length);
      for (const g of gramsOf[rank]!) {
        const at = fill[g]!++;
        ranks[at] = rank;
        postingLength[at] = length;
      }
    }
    return { start, ranks, postingLength, words };
  }

  /**
   * Letters one word has and the other lacks, counted with repeats (the larger side): a lower bound
   * on their edit distance, as for `letterMask` but counting "NN" twice. `tokenBag` holds the
   * token's counts.
   */
  private bagDistance(tokenLength: number, word: string): number {
    const bag = this.bag;
    bag.set(this.tokenBag);
    let extra = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i) & 31;
      if (bag[c]! > 0) bag[c]!--;
      else extra++;
    }
    const missing = tokenLength - (word.length - extra);
    return Math.max(extra, missing);
  }

  /** The index as plain data, restored with `new NgramIndex(table, saved)`. */
  save(): NgramIndexSnapshot {
    const { start, ranks, postingLength, words } = this;
    return { start, ranks, postingLength, words };
  }

  lookup(token: string, _phonetic: readonly [string, string], found: (vocabId: number) => void): void {
    // Pairs within two edits are fully covered by the deletion index; this one is for three.
    if (editBudget(token.length) < 3 || token.length > this.longestWord + 3) return;
    const grams = ngrams(token, this.gram, this.scratch);
    // Word lengths are kept capped at MAX_KEPT_LENGTH: compare the token's the same way, or a word
    // of 260 letters would never be found from a slip of it (a review session's find).
    const length = Math.min(token.length, MAX_KEPT_LENGTH);
    const minLength = Math.min(MAX_KEPT_LENGTH, Math.max(MIN_THREE_EDIT_LENGTH, token.length - 3));
    const maxLength = token.length + 3;
    const { start, ranks, counts, rankLength, words } = this;
    const lengths = this.postingLength;
    let distinct = 0;
    for (let gi = 0; gi < grams.length; gi++) {
      const g = grams[gi]!;
      // A repeated bigram in the query ("anana") counts once, on both sides of the bound.
      let repeated = false;
      for (let gj = 0; gj < gi; gj++) if (grams[gj] === g) repeated = true;
      if (repeated) continue;
      distinct++;
      // The postings of the lengths in reach: from the first of minLength letters or more to the
      // first of more than maxLength.
      const from = firstAtLeast(lengths, start[g]!, start[g + 1]!, minLength);
      const to = firstAtLeast(lengths, from, start[g + 1]!, maxLength + 1);
      // The hot loop of a long word's lookup (~7,800 postings over its bigrams): a count and no
      // test. A test of whether the word was seen before went either way at random (a lookup
      // touches ~5,000 of the 10,000 long words) and made the loop 2.5 times slower; the counts
      // are read back in one pass below. Lookups took ~27% less (docs/benchmarks.md, 2026-12-06).
      for (let k = from; k < to; k++) counts[ranks[k]!]!++;
    }
    // Every candidate is at least MIN_THREE_EDIT_LENGTH long, as the token is, so the budget of the
    // pair is three: the bound is the same for all. An edit takes at most two unordered bigrams out
    // of the token's set of distinct ones (MAX_BIGRAMS_PER_EDIT), so three edits leave all but six.
    // Two earlier versions missed words within three edits: one counted a repeated bigram twice
    // (KKKKKKKKK), and both used ordered bigrams, of which a swap takes three (KALASHNIKOV /
    // AKLAHSNIKVO, three swaps). A word sharing no bigram is never reported.
    const need = Math.max(1, distinct - 3 * MAX_BIGRAMS_PER_EDIT);
    // That bound lets ~250 words through for each long token; the letters each side has and the
    // other lacks, a lower bound on the edit distance too, leave the ~28 worth computing one
    // (`letterMask`, then `bagDistance`, which counts repeated letters).
    const own = letterMask(token);
    const letters = this.letters;
    const tokenBag = this.tokenBag.fill(0);
    for (let i = 0; i < token.length; i++) tokenBag[token.charCodeAt(i) & 31]!++;
    // One pass over the counts of the 10,000 long words (a 20 KB array), then a fill, cost less
    // than a list of the ~5,000 a lookup touches: its test, like one on whether a count is zero,
    // goes either way at random, while ~250 counts reach `need`, a test the processor predicts.
    try {
      for (let rank = 0; rank < counts.length; rank++) {
        if (counts[rank]! < need || Math.abs(rankLength[rank]! - length) > 3) continue;
        const theirs = letters[rank]!;
        if (bitCount(own & ~theirs) > 3 || bitCount(theirs & ~own) > 3) continue;
        const id = words[rank]!;
        if (this.bagDistance(token.length, this.vocab[id]!) > 3) continue;
        found(id);
      }
    } finally {
      counts.fill(0);
    }
  }
}

/** 32-bit FNV-1a: offset basis and prime (`fnvRange`, for joined words). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Odd multiplier of the polynomial hash of deletion forms (mod 2^32). */
const DELETION_BASE = 0x9e3779b1;
/** DELETION_BASE^k mod 2^32, grown on demand. */
const deletionPowers: number[] = [1];
function deletionPower(k: number): number {
  while (deletionPowers.length <= k)
    deletionPowers.push(Math.imul(deletionPowers[deletionPowers.length - 1]!, DELETION_BASE));
  return deletionPowers[k]!;
}
/** Prefix hashes of the token being expanded: prefix[i] is the hash of its first i characters. */
let prefix = new Int32Array(64);

/** Murmur3's finalizer: spreads a polynomial hash over all 32 bits (a home slot is read from the top ones). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Most of the deletion table's slots that are filled: linear probing stays within a cache line or two. */
const DELETION_TABLE_LOAD = 0.65;
/**
 * Longest word whose deletion forms are indexed. Two-deletion forms grow with the square of a
 * word's length (a 40,000-letter "word" in an imported list would need 800 million); a longer word
 * is found by the n-gram index, which reports every word of nine letters or more within three
 * edits of a token, and a token within budget of such a word is that long too.
 */
const MAX_DELETION_WORD = 64;
/** Most slots of a deletion table (2 GB): past it the build refuses the vocabulary with a clear error. */
const MAX_DELETION_SLOTS = 2 ** 28;

/** Deletions needed to meet every token within the edit budget: two for budget ≥ 2, else one. */
const deletionDepth = (length: number) => (length < 3 ? 0 : editBudget(length) >= 2 ? 2 : 1);
/** The deletions a list word of this length is indexed with: none past MAX_DELETION_WORD. */
const indexedDepth = (length: number) => (length > MAX_DELETION_WORD ? 0 : deletionDepth(length));
/** How many forms `deletionHashes` gives a word of this length at this depth. */
const formCount = (length: number, depth: number) =>
  depth === 0 ? 0 : 1 + length + (depth >= 2 ? (length * (length - 1)) / 2 : 0);

/** The slot of `slotCount` where a form hash's probe starts: its share of 2^32, scaled (any count, not only powers of two). */
const homeSlot = (hash: number, slotCount: number) => Math.floor((hash * slotCount) / 4294967296);

/**
 * Calls `emit` with the hash of every form of `token` with up to `depth` letters left out, and how
 * many. The hash is polynomial, H(xy) = H(x)·B^|y| + H(y), so every form's hash comes from the
 * token's prefix hashes in constant time: a two-deletion neighbourhood costs O(n²), not the O(n³)
 * of hashing each form letter by letter (a 1,000-letter token took 2.5 s). The prefix hashes live
 * in one module-level buffer: `emit` must not call `deletionHashes` itself.
 */
export function deletionHashes(
  token: string,
  depth: number,
  emit: (hash: number, deleted: number) => void,
): void {
  const n = token.length;
  if (prefix.length <= n) prefix = new Int32Array(2 * n + 1);
  const p = prefix;
  for (let i = 0; i < n; i++) p[i + 1] = (Math.imul(p[i]!, DELETION_BASE) + token.charCodeAt(i)) | 0;
  deletionPower(n);
  const pow = deletionPowers;
  // Hash of token[i, j).
  const range = (i: number, j: number) => (p[j]! - Math.imul(p[i]!, pow[j - i]!)) | 0;
  emit(mix(p[n]!), 0);
  for (let a = 0; a < n; a++) {
    const tail = range(a + 1, n);
    emit(mix((Math.imul(p[a]!, pow[n - a - 1]!) + tail) | 0), 1);
    if (depth < 2 || a === n - 1) continue;
    const head = Math.imul(p[a]!, pow[n - a - 2]!);
    for (let b = a + 1; b < n; b++) {
      const middle = range(a + 1, b);
      emit(mix((head + Math.imul(middle, pow[n - b - 1]!) + range(b + 1, n)) | 0), 2);
    }
  }
}

/**
 * Deletion neighbourhoods (as in SymSpell): two tokens within d edits (transpositions included)
 * share a form with at most d letters left out of each. Forms are stored as 32-bit hashes with the
 * word's id in one open-addressing table (linear probing, one Int32Array), so the index is ~16 MB
 * and builds in a fraction of a second; a hash collision only over-reports, and every report is
 * scored anyway. Depth follows the edit budget: one deletion for tokens of 3–4 letters, two from 5
 * letters (three-edit pairs of 9+ letters are left to the n-gram index, and so are words over
 * MAX_DELETION_WORD letters).
 *
 * @example
 * new DeletionIndex(table).lookup("amlaz", keys, push) // pushes "almaz" (both give "alz" ... "amaz"/"alaz")
 */
export class DeletionIndex implements NameIndex {
  readonly strategy = "deletion" as const;
  /**
   * Slot s: hash at 2s, vocabulary id + 1 at 2s + 1 (0 when empty). A form's entries sit on the
   * probe path from its hash's home slot (`homeSlot`), in vocabulary order (the order a sorted
   * array of keys gave), so a lookup reads one run of neighbouring slots. Filling it takes ~0.1 s
   * less than sorting 1.3 million keys and indexing them by hash prefix did; lookups take as long.
   * The slot count follows the forms (not the next power of two, which would double the table, and
   * the snapshot, for a vocabulary a few per cent larger).
   */
  private readonly slots: Int32Array;

  private readonly vocabLength: Uint8Array;
  /** A lookup's forms: hash, letters left out, home slot (reused; replaced by larger ones for long tokens). */
  private formHashes = new Int32Array(256);
  private formDeletions = new Uint8Array(256);
  private formHomes = new Int32Array(256);
  /** The entry of each form's home slot, read by the gathering pass. */
  private formFirstEntries = new Int32Array(256);
  /** Longest word indexed: a token longer by more than two letters has no neighbour to find here. */
  private readonly longestWord: number;

  constructor(table: NameTable, saved?: DeletionIndexSnapshot) {
    this.slots = saved ? saved.slots : DeletionIndex.build(table);
    if (!(this.slots.length >= 2 && this.slots.length % 2 === 0))
      throw new Error("deletion index: the saved table does not hold whole slots");
    this.vocabLength = Uint8Array.from(table.vocab, (t) => Math.min(MAX_KEPT_LENGTH, t.length));
    this.longestWord = longestWord(table.vocab.filter((word) => indexedDepth(word.length) > 0));
  }

  private static build(table: NameTable): Int32Array {
    let count = 0;
    for (const token of table.vocab) count += formCount(token.length, indexedDepth(token.length));
    // At least one slot stays empty, so every probe ends.
    const slotCount = Math.ceil(count / DELETION_TABLE_LOAD) + 1;
    if (slotCount > MAX_DELETION_SLOTS)
      throw new Error(
        `deletion index: ${count} word forms are more than one table holds (${MAX_DELETION_SLOTS} slots)`,
      );
    const slots = new Int32Array(2 * slotCount);
    table.vocab.forEach((token, id) => {
      const depth = indexedDepth(token.length);
      if (depth === 0) return;
      deletionHashes(token, depth, (hash) => {
        let slot = homeSlot(hash, slotCount);
        for (;;) {
          const entry = slots[2 * slot + 1]!;
          if (entry === 0) break;
          // One word gives one form several ways ("anna" less either "n"): stored once.
          if (entry === id + 1 && slots[2 * slot] === (hash | 0)) return;
          slot = slot + 1 === slotCount ? 0 : slot + 1;
        }
        slots[2 * slot] = hash;
        slots[2 * slot + 1] = id + 1;
      });
    });
    return slots;
  }

  /** The index as plain data, restored with `new DeletionIndex(table, saved)`. */
  save(): DeletionIndexSnapshot {
    return { slots: this.slots };
  }

  lookup(token: string, _phonetic: readonly [string, string], found: (vocabId: number) => void): void {
    const depth = deletionDepth(token.length);
    // Skipping hopeless long tokens bounds a row's cost: a 1,000-letter run of CJK syllables
    // would otherwise hash half a million forms for nothing.
    if (depth === 0 || token.length > this.longestWord + depth) return;
    const slots = this.slots;
    const slotCount = slots.length / 2;
    const vocabLength = this.vocabLength;
    const length = token.length;
    // All forms first, then the first slot of every probe read in one branch-free pass, then the
    // probes: a probe's slot is a cache miss in a 16 MB table, and a loop that tests what it read
    // before reading the next waits for each miss in turn, while the pass has the processor fetch
    // the slots of a word's forms (25 on average) together. Lookups of the 16,062 words of the
    // synthetic names took ~20% less (same reports, same order; docs/benchmarks.md, 2026-12-06).
    const forms = formCount(length, depth);
    if (this.formHashes.length < forms) {
      this.formHashes = new Int32Array(forms);
      this.formDeletions = new Uint8Array(forms);
      this.formHomes = new Int32Array(forms);
      this.formFirstEntries = new Int32Array(forms);
    }
    const hashes = this.formHashes;
    const deletions = this.formDeletions;
    const homes = this.formHomes;
    const firstEntries = this.formFirstEntries;
    let at = 0;
    deletionHashes(token, depth, (hash, deleted) => {
      hashes[at] = hash;
      deletions[at++] = deleted;
    });
    for (let f = 0; f < forms; f++) {
      const home = homeSlot(hashes[f]! >>> 0, slotCount);
      homes[f] = home;
      firstEntries[f] = slots[2 * home + 1]!;
    }
    for (let f = 0; f < forms; f++) {
      // An empty home slot (for about a fifth of a lookup's forms) means no word has the form.
      if (firstEntries[f] === 0) continue;
      const wanted = hashes[f]!;
      const deleted = deletions[f]!;
      for (let slot = homes[f]!; ; slot = slot + 1 === slotCount ? 0 : slot + 1) {
        const entry = slots[2 * slot + 1]!;
        if (entry === 0) break;
        if (slots[2 * slot] !== wanted) continue;
        const id = entry - 1;
        // Two tokens within budget B share a form with at most B letters left out of each, so a
        // form with more left out than the pair's budget finds nothing the others do not (a
        // five-letter word's three-letter forms meet every four-letter word around it).
        if (deleted > 1 && deleted > editBudget(Math.min(length, vocabLength[id]!))) continue;
        found(id);
      }
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
  /** Similar vocabulary ids and their similarities, as parallel arrays for the tight loops. */
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  /** The token as two list words written together (see `TokenMatcher.respacings`); mostly empty. */
  readonly respacings: readonly (readonly [string, string])[];
  /**
   * Set on a query position read several ways ("husayn" / "hussein" / "hosein" from the
   * transliterations of one Arabic word): each spelling's own matches, of which this object holds
   * the union (see `mergeSpellings`). Undefined for a single spelling.
   */
  readonly spellings: readonly TokenMatches[] | undefined;
}

/**
 * One query position from its spellings in several readings of the name: the union of their
 * matches, each list word at its best similarity, and the text, keys and weight of the spelling
 * that matches best. Transliteration schemes disagree word by word, not name by name, so scoring
 * the name once with every word at its best spelling does in one pass what scoring every reading
 * did in many (an Arabic name has up to eight readings, each a form to generate candidates for
 * and to align against every candidate).
 *
 * @example
 * mergeSpellings([matcher.match("husayn", false), matcher.match("hussein", false)]).text // the better-matching one
 */
export function mergeSpellings(members: readonly TokenMatches[]): TokenMatches {
  const distinct: TokenMatches[] = [];
  for (const m of members) if (!distinct.some((d) => d.text === m.text)) distinct.push(m);
  if (distinct.length === 1) return distinct[0]!;
  const best = new Map<number, number>();
  let lead = distinct[0]!;
  let leadScore = -1;
  for (const m of distinct) {
    let top = 0;
    for (let k = 0; k < m.ids.length; k++) {
      const score = m.scores[k]!;
      if (score > (best.get(m.ids[k]!) ?? 0)) best.set(m.ids[k]!, score);
      if (score > top) top = score;
    }
    if (top > leadScore) {
      leadScore = top;
      lead = m;
    }
  }
  return {
    text: lead.text,
    phonetic: lead.phonetic,
    initial: lead.initial,
    weight: lead.weight,
    ids: Int32Array.from(best.keys()),
    scores: Float32Array.from(best.values()),
    respacings: lead.respacings,
    spellings: distinct,
  };
}

/**
 * The spelling of a merged query position that matches list word `vocabId` best (the position
 * itself when it has one spelling): what an explanation shows as the query word.
 *
 * @example
 * spellingFor(merged, vocabId("hussein")).text // "hussein"
 */
export function spellingFor(position: TokenMatches, vocabId: number): TokenMatches {
  const { spellings } = position;
  if (!spellings) return position;
  // The lead spelling stands when none lists the word (a pairing through an initial, or the
  // brute-force path, which scores spellings directly).
  let chosen = position;
  let chosenScore = 0;
  for (const s of spellings) {
    const at = s.ids.indexOf(vocabId);
    const score = at >= 0 ? s.scores[at]! : 0;
    if (score > chosenScore) {
      chosenScore = score;
      chosen = s;
    }
  }
  return chosen;
}

/** Most names of the rarer half looked at when checking that two words stand side by side. */
const RESPACING_POSTING_CAP = 200;

/** Longest posting list expanded for a query word that is not among the query's two rarest. */
const COMMON_WORD_POSTING_CAP = 800;

/**
 * Token matches below this (two edits in a five-letter word: 0.68) support a name that another
 * word brought in, but do not bring names in themselves: expanding them cost a quarter of the
 * screening time and found nothing the other words did not (docs/evaluation.md).
 */
const SUPPORT_ONLY_SIMILARITY = 0.7;

/** Longest posting list a loose (< 0.8) token match is expanded through. */
const LOOSE_MATCH_POSTING_CAP = 1000;

/**
 * Weight of a word no list uses: as rare as words get, but a short one says less ("OO", "SY" are
 * more likely debris or a mangled legal form than a distinguishing name), so words under five
 * letters weigh in proportion to their length.
 *
 * @example
 * unknownWeight("zzyzx") // 1
 * unknownWeight("oo")    // 0.4
 */
export function unknownWeight(token: string): number {
  return Math.min(1, token.length / 5);
}

/** Weight an initial carries: it narrows a name down, but one letter is shared by thousands. */
export const INITIAL_WEIGHT = 0.3;

/** FNV-1a over `text[from, to)`, continuing from `h` (so two pieces hash as if joined). */
function fnvRange(text: string, from: number, to: number, h = FNV_OFFSET): number {
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * A one-hash Bloom filter: 2^bits bits, each 32-bit hash setting or testing the bit its top
 * `bits` bits name. No false negatives; false positives as the filter fills.
 */
class HashBits {
  private readonly words: Uint32Array;
  constructor(private readonly bits: number) {
    this.words = new Uint32Array(1 << (bits - 5));
  }
  add(hash: number): void {
    const bit = hash >>> (32 - this.bits);
    this.words[bit >>> 5]! |= 1 << (bit & 31);
  }
  has(hash: number): boolean {
    const bit = hash >>> (32 - this.bits);
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }
}

/** 32-bit hash of the ordered vocabulary pair (left, right), for the adjacent-pairs filter. */
const adjacentPairHash = (left: number, right: number) =>
  Math.imul(Math.imul(left, 0x9e3779b1) ^ right, 0x85ebca6b) >>> 0;
const NO_RESPACINGS: readonly (readonly [string, string])[] = [];

/**
 * A one-hash Bloom filter over the list vocabulary (128 KB, ~6% false positives for the bundled
 * lists): whether a string made of pieces could be a list word, answered without building the
 * string. Respacing checks ask this for every adjacent pair and every cut of a new word; nearly
 * all answers are "no", and a Map lookup of a freshly joined string costs several times more.
 *
 * @example
 * filter.mightHave("va", "bo") // true when "vabo" is a list word (and sometimes when it is not)
 */
export class VocabFilter {
  private readonly bits = new HashBits(20);
  constructor(vocab: readonly string[]) {
    for (const word of vocab) this.bits.add(fnvRange(word, 0, word.length));
  }
  /** False when `first + second` is certainly not a list word. */
  mightHave(first: string, second: string): boolean {
    return this.bits.has(fnvRange(second, 0, second.length, fnvRange(first, 0, first.length)));
  }
  /** False when `text[from, to)` is certainly not a list word. */
  mightHaveSlice(text: string, from: number, to: number): boolean {
    return this.bits.has(fnvRange(text, from, to));
  }
}

/**
 * The words a `TokenMatcher` has looked up, with what it found, as plain data (typed arrays and
 * string arrays): saved beside the index and given to a later screener over the same index, so a
 * new process does not look up again the words an earlier one met (a month-end re-screen of the
 * same customers meets the same words). Word k's matches are ids/scores[start[k] .. start[k + 1]).
 *
 * @example
 * later.rememberWords(earlier.lookedUpWords()) // the later screener's memo now holds them
 */
export interface WordMemoSnapshot {
  /** Vocabulary size of the index the lookups were made against. */
  readonly vocabSize: number;
  /** Fingerprint (32-bit hash) of that vocabulary, in order: lookups of another index are refused. */
  readonly vocabKey: number;
  readonly words: readonly string[];
  /** Two double-metaphone keys per word. */
  readonly phonetic: readonly string[];
  readonly initial: Uint8Array;
  /** Exact (an initial weighs 0.3, which a float32 would round). */
  readonly weight: Float64Array;
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  /** Per word, its respacings as "left right" pairs joined by "|" (mostly empty). */
  readonly respacings: readonly string[];
}

/**
 * Several word memos of one index as one, in order (worker threads each keep their own; a
 * matcher's saved words come before those it met since): each word once, where it last appears,
 * and at most the `limit` words that come last, so the oldest go first.
 *
 * @example
 * mergeWordMemos([fromWorker1, fromWorker2], 100_000).words // the union of their words
 */
export function mergeWordMemos(memos: readonly WordMemoSnapshot[], limit: number): WordMemoSnapshot {
  for (const memo of memos)
    if (memo.vocabSize !== memos[0]!.vocabSize || memo.vocabKey !== memos[0]!.vocabKey)
      throw new Error("word memos of different indexes");
  // Walk backwards so each word is taken at its last appearance (memo m, entry k), at most `limit`.
  // The picks are kept in two typed arrays, not a tuple each: a home's file holds 100,000 words,
  // merged with the few a run met at the end of every run that met a new one.
  const total = memos.reduce((sum, memo) => sum + memo.words.length, 0);
  const capacity = Math.max(0, Math.min(total, limit));
  const pickedMemoNewestFirst = new Int32Array(capacity);
  const pickedEntryNewestFirst = new Int32Array(capacity);
  const seen = new Set<string>();
  let count = 0;
  for (let m = memos.length - 1; m >= 0 && count < capacity; m--) {
    const words = memos[m]!.words;
    for (let k = words.length - 1; k >= 0 && count < capacity; k--) {
      const word = words[k]!;
      if (seen.has(word)) continue;
      seen.add(word);
      pickedMemoNewestFirst[count] = m;
      pickedEntryNewestFirst[count] = k;
      count++;
    }
  }
  // The output is oldest first.
  const pickedMemo = pickedMemoNewestFirst.subarray(0, count).reverse();
  const pickedEntry = pickedEntryNewestFirst.subarray(0, count).reverse();
  const start = new Int32Array(count + 1);
  const words: string[] = new Array(count);
  const phonetic: string[] = new Array(2 * count);
  const initial = new Uint8Array(count);
  const weight = new Float64Array(count);
  const respacings: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const memo = memos[pickedMemo[i]!]!;
    const k = pickedEntry[i]!;
    start[i + 1] = start[i]! + memo.start[k + 1]! - memo.start[k]!;
    words[i] = memo.words[k]!;
    phonetic[2 * i] = memo.phonetic[2 * k]!;
    phonetic[2 * i + 1] = memo.phonetic[2 * k + 1]!;
    initial[i] = memo.initial[k]!;
    weight[i] = memo.weight[k]!;
    respacings[i] = memo.respacings[k]!;
  }
  const ids = new Int32Array(start[count]!);
  const scores = new Float32Array(ids.length);
  // Matches are copied a run at a time: neighbouring entries of one memo that stay neighbours
  // (most of a saved file) are one copy, not one per word.
  for (let i = 0; i < count; ) {
    const m = pickedMemo[i]!;
    const first = pickedEntry[i]!;
    let j = i + 1;
    while (j < count && pickedMemo[j] === m && pickedEntry[j] === first + (j - i)) j++;
    const memo = memos[m]!;
    const from = memo.start[first]!;
    const to = memo.start[first + (j - i)]!;
    ids.set(memo.ids.subarray(from, to), start[i]!);
    scores.set(memo.scores.subarray(from, to), start[i]!);
    i = j;
  }
  return {
    vocabSize: memos[0]?.vocabSize ?? 0,
    vocabKey: memos[0]?.vocabKey ?? 0,
    words,
    phonetic,
    initial,
    weight,
    start,
    ids,
    scores,
    respacings,
  };
}

/**
 * Finds similar vocabulary for query tokens through every strategy and remembers the answer:
 * screening batches repeat the same given names and surnames, so each distinct token is looked up
 * once per screener (a bounded memo, cleared when full; no clock, no I/O). Lookups saved by other
 * matchers over the same index can be remembered (`remember`), within the same bound.
 *
 * @example
 * const matcher = new TokenMatcher(table, [new TokenIndex(table), new PhoneticIndex(table), new NgramIndex(table)]);
 * matcher.match("husayn", false).ids // Int32Array [id("hussein"), id("husain"), ...] (scores in .scores)
 */
export class TokenMatcher {
  private readonly memo = new Map<string, TokenMatches>();
  /** Lookups saved by earlier matchers over the same index (`remember`), taken on first use. */
  private readonly saved: WordMemoSnapshot[] = [];
  /** Word → [snapshot, entry] in `saved`. */
  private readonly savedAt = new Map<string, [number, number]>();
  /** Words held in `saved` (snapshots are kept whole), for the limit in `remember`. */
  private savedWords = 0;
  private fresh = 0;
  /** Words looked up since the last `takeNewLookups`, once `collectNewLookups` was called. */
  private newLookups: TokenMatches[] | undefined;
  private vocabKeyCache: number | undefined;
  /** Which joined strings could be list words (respacing checks). */
  readonly filter: VocabFilter;
  /**
   * A one-hash Bloom filter of the word pairs that stand side by side in some list name, so that
   * a cut of a new word into two list words ("john" + "son") is checked against the names only
   * when the pair could occur (256 KB; built from the name table in a few milliseconds).
   */
  private readonly adjacentPairs = new HashBits(21);
  /** Per-lookup "already considered" marks over the vocabulary (a stamp, so nothing is cleared). */
  private readonly seen: Uint32Array;
  private stamp = 0;
  /** The token being looked up, compiled for edit distances (reused across lookups). */
  private readonly pattern = new DamerauPattern();
  private readonly indexes: readonly NameIndex[];
  /**
   * Whether the spelling strategies (n-grams, deletions) can be scored by edits alone: true when a
   * phonetic index runs before them, because it reports every word whose phonetic keys agree with
   * the token's (the only other way two words score), so whatever a spelling strategy reports that
   * is still unseen can only match by edits. That skips the phonetic comparison for ~70% of the
   * words looked at for a new token, most of them near misses of a deletion neighbourhood.
   */
  private readonly spellingByEdits: boolean;
  constructor(
    private readonly table: NameTable,
    indexes: readonly NameIndex[],
    private readonly memoLimit = 200_000,
  ) {
    this.seen = new Uint32Array(table.vocab.length);
    this.filter = new VocabFilter(table.vocab);
    const { nameStart, nameTokens, nameCount } = table;
    for (let n = 0; n < nameCount; n++)
      for (let at = nameStart[n]!; at + 1 < nameStart[n + 1]!; at++)
        this.adjacentPairs.add(adjacentPairHash(nameTokens[at]!, nameTokens[at + 1]!));
    const first = (index: NameIndex) => (index.strategy === "token" || index.strategy === "phonetic" ? 0 : 1);
    this.indexes = [...indexes].sort((a, b) => first(a) - first(b));
    this.spellingByEdits = indexes.some((index) => index.strategy === "phonetic");
  }

  /**
   * The ways `token` is two list words written as one: cuts into halves of two letters or more
   * that both are list words and stand side by side, in that order, in some list name ("vabo" →
   * "va" "bo", as in "VA BO COMPANY EOOD"). Candidate generation meets such a name through the
   * halves; the scorer's respacing pass (alignCompounds) then pairs the words. Part of what
   * `match` remembers for a token (`TokenMatches.respacings`).
   *
   * @example
   * matcher.respacings("vabo") // [["va", "bo"]] when a list name has "VA BO"
   */
  respacings(token: string): readonly (readonly [string, string])[] {
    if (token.length < 4) return NO_RESPACINGS;
    const found: [string, string][] = [];
    const { vocabId, postingStart, postings, nameStart, nameTokens } = this.table;
    for (let cut = 2; cut <= token.length - 2; cut++) {
      if (!this.filter.mightHaveSlice(token, 0, cut) || !this.filter.mightHaveSlice(token, cut, token.length))
        continue;
      const leftWord = token.slice(0, cut);
      const left = vocabId.get(leftWord);
      if (left === undefined) continue;
      const rightWord = token.slice(cut);
      const right = vocabId.get(rightWord);
      if (right === undefined) continue;
      if (!this.adjacentPairs.has(adjacentPairHash(left, right))) continue;
      // Walk the shorter posting list (capped: two very common short words are not worth it).
      const leftCount = postingStart[left + 1]! - postingStart[left]!;
      const rightCount = postingStart[right + 1]! - postingStart[right]!;
      const walked = leftCount <= rightCount ? left : right;
      const end = Math.min(postingStart[walked + 1]!, postingStart[walked]! + RESPACING_POSTING_CAP);
      let adjacent = false;
      for (let k = postingStart[walked]!; k < end && !adjacent; k++) {
        const n = postings[k]!;
        if (n < 0) continue;
        for (let at = nameStart[n]!; at + 1 < nameStart[n + 1]!; at++) {
          if (nameTokens[at] === left && nameTokens[at + 1] === right) {
            adjacent = true;
            break;
          }
        }
      }
      if (adjacent) found.push([leftWord, rightWord]);
    }
    return found.length > 0 ? found : NO_RESPACINGS;
  }

  /** Words this matcher looked up itself (not taken from remembered lookups). */
  get freshLookups(): number {
    return this.fresh;
  }

  /** Fingerprint of the vocabulary (FNV-1a over its words in order), computed once. */
  private get vocabKey(): number {
    if (this.vocabKeyCache === undefined) {
      let h = FNV_OFFSET;
      for (const word of this.table.vocab) h = fnvRange(" ", 0, 1, fnvRange(word, 0, word.length, h));
      this.vocabKeyCache = h;
    }
    return this.vocabKeyCache;
  }

  /**
   * The remembered lookups, the `limit` most recent, as plain data (see `WordMemoSnapshot`): with
   * `met`, only the words met since this matcher started (looked up or taken from remembered
   * ones), else the remembered words not met since as well, before them.
   */
  memoSnapshot(limit = this.memoLimit, met = false): WordMemoSnapshot {
    const used = this.encode([...this.memo.values()]);
    // Saved words not met since come first, so the words of this run are the last to be dropped.
    return mergeWordMemos(met ? [used] : [...this.saved, used], limit);
  }

  /**
   * Starts keeping the words this matcher looks up itself, until `takeNewLookups` hands them over:
   * worker threads screening one batch pass them to each other, so a word is looked up once per
   * batch rather than once per thread. They are kept until taken: a caller that starts collecting
   * takes them regularly (the workers do after every chunk).
   */
  collectNewLookups(): void {
    this.newLookups ??= [];
  }

  /** The words looked up here since the last call (see `collectNewLookups`), or undefined if none. */
  takeNewLookups(): WordMemoSnapshot | undefined {
    if (!this.newLookups || this.newLookups.length === 0) return undefined;
    const taken = this.encode(this.newLookups);
    this.newLookups = [];
    return taken;
  }

  /** Lookups as plain data, in the given order. */
  private encode(entries: readonly TokenMatches[]): WordMemoSnapshot {
    const start = new Int32Array(entries.length + 1);
    entries.forEach((m, k) => {
      start[k + 1] = start[k]! + m.ids.length;
    });
    const ids = new Int32Array(start[entries.length]!);
    const scores = new Float32Array(ids.length);
    entries.forEach((m, k) => {
      ids.set(m.ids, start[k]!);
      scores.set(m.scores, start[k]!);
    });
    return {
      vocabSize: this.table.vocab.length,
      vocabKey: this.vocabKey,
      words: entries.map((m) => m.text),
      phonetic: entries.flatMap((m) => [m.phonetic[0], m.phonetic[1]]),
      initial: Uint8Array.from(entries, (m) => (m.initial ? 1 : 0)),
      weight: Float64Array.from(entries, (m) => m.weight),
      start,
      ids,
      scores,
      respacings: entries.map((m) => m.respacings.map(([left, right]) => `${left} ${right}`).join("|")),
    };
  }

  /**
   * Makes lookups saved by `memoSnapshot` or handed over by `takeNewLookups` (of a matcher over the
   * same index) available to `match`: a word is taken from them the first time it is met, so
   * remembering costs a map of the words, not a copy of every entry. Returns how many words were
   * new to this matcher; a snapshot of another index (vocabulary size) or a malformed one adds none
   * and throws. At most `memoLimit` remembered words are held: past that, those remembered before
   * are forgotten (and looked up again if met).
   */
  remember(saved: WordMemoSnapshot): number {
    const count = saved.words.length;
    if (saved.vocabSize !== this.table.vocab.length || saved.vocabKey !== this.vocabKey)
      throw new Error("word memo of another index (its vocabulary differs)");
    if (
      saved.phonetic.length !== 2 * count ||
      saved.initial.length !== count ||
      saved.weight.length !== count ||
      saved.start.length !== count + 1 ||
      saved.respacings.length !== count ||
      saved.start[count] !== saved.ids.length ||
      saved.scores.length !== saved.ids.length
    )
      throw new Error("malformed word memo");
    // Checked whole before anything is added: a damaged file changes nothing.
    if (saved.start[0] !== 0) throw new Error("malformed word memo");
    for (let k = 0; k < count; k++)
      if (!(saved.start[k]! <= saved.start[k + 1]!)) throw new Error("malformed word memo");
    for (let k = 0; k < saved.ids.length; k++) {
      const id = saved.ids[k]!;
      if (!(id >= 0 && id < saved.vocabSize)) throw new Error("malformed word memo");
    }
    // Bounded like the memo: a snapshot is kept whole while any of its words is new, so the words
    // held (not only the new ones) are counted, and past the limit the remembered ones are dropped
    // together (worker threads of a long batch keep receiving each other's words).
    const known = (text: string) => this.memo.has(text) || this.savedAt.has(text);
    if (saved.words.every(known)) return 0;
    if (this.savedWords + count > this.memoLimit) {
      this.saved.length = 0;
      this.savedAt.clear();
      this.savedWords = 0;
    }
    const which = this.saved.length;
    let added = 0;
    for (let k = 0; k < count; k++) {
      const text = saved.words[k]!;
      if (known(text)) continue;
      this.savedAt.set(text, [which, k]);
      added++;
    }
    this.saved.push(saved);
    this.savedWords += count;
    return added;
  }

  /**
   * Entry `k` of saved snapshot `which` as the memo holds it. Its `initial` is the saved one: like
   * the memo, which is keyed by text alone, that is safe because whether a token is an initial
   * depends on its text only (one letter).
   */
  private fromSaved(which: number, k: number): TokenMatches {
    const saved = this.saved[which]!;
    const from = saved.start[k]!;
    const to = saved.start[k + 1]!;
    const respacings = saved.respacings[k]!;
    return {
      text: saved.words[k]!,
      phonetic: [saved.phonetic[2 * k]!, saved.phonetic[2 * k + 1]!],
      initial: saved.initial[k] === 1,
      weight: saved.weight[k]!,
      ids: saved.ids.subarray(from, to),
      scores: saved.scores.subarray(from, to),
      respacings: respacings
        ? respacings.split("|").map((pair) => pair.split(" ") as [string, string])
        : NO_RESPACINGS,
      spellings: undefined,
    };
  }

  /** Puts a token's matches in the memo (cleared when full) and returns them. */
  private memorize(token: string, matches: TokenMatches): TokenMatches {
    if (this.memo.size >= this.memoLimit) this.memo.clear();
    this.memo.set(token, matches);
    return matches;
  }

  match(token: string, initial: boolean): TokenMatches {
    const cached = this.memo.get(token);
    if (cached) return cached;
    const saved = this.savedAt.get(token);
    if (saved) return this.memorize(token, this.fromSaved(saved[0], saved[1]));
    const phonetic = phoneticKeys(token);
    const ids: number[] = [];
    const scores: number[] = [];
    const seen = this.seen;
    const stamp = ++this.stamp;
    const { vocab, vocabPhonetic, tokenWeight } = this.table;
    let bestScore = 0;
    let bestWeight = 1;
    const keep = (id: number, score: number) => {
      ids.push(id);
      scores.push(score);
      if (score > bestScore || (score === bestScore && tokenWeight[id]! < bestWeight)) {
        bestScore = score;
        bestWeight = tokenWeight[id]!;
      }
    };
    // The token is measured against some fifty list words: compile its side of the edit distance once.
    const pattern = this.pattern.compile(token);
    const consider = (id: number) => {
      if (seen[id] === stamp) return;
      seen[id] = stamp;
      const score = tokenScore(token, vocab[id]!, phonetic, vocabPhonetic[id]!, pattern);
      if (score > 0) keep(id, score);
    };
    const considerEdits = (id: number) => {
      if (seen[id] === stamp) return;
      seen[id] = stamp;
      const score = editSimilarity(token, vocab[id]!, pattern);
      if (score >= MIN_TOKEN_SIMILARITY) keep(id, score);
    };
    // The phonetic index reports words that share a key with the token: no need to compare keys.
    const considerSound = (id: number) => {
      if (seen[id] === stamp) return;
      seen[id] = stamp;
      const score = tokenScoreSharingKey(token, vocab[id]!, pattern);
      if (score > 0) keep(id, score);
    };
    for (const index of this.indexes) {
      const spelling = index.strategy === "ngram" || index.strategy === "deletion";
      index.lookup(
        token,
        phonetic,
        index.strategy === "phonetic"
          ? considerSound
          : spelling && this.spellingByEdits
            ? considerEdits
            : consider,
      );
    }
    const result: TokenMatches = {
      text: token,
      phonetic,
      initial,
      weight: initial ? INITIAL_WEIGHT : bestScore > 0 ? bestWeight : unknownWeight(token),
      ids: Int32Array.from(ids),
      scores: Float32Array.from(scores),
      respacings: initial ? NO_RESPACINGS : this.respacings(token),
      spellings: undefined,
    };
    this.fresh++;
    this.newLookups?.push(result);
    return this.memorize(token, result);
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
  /**
   * Per name, the credit gathered for the query (even slots) next to the name's weight (odd slots,
   * `nameWeight`): the estimate reads both for every touched name, and side by side they are one
   * memory access instead of two far apart (the walk touches ~500 names scattered over 78,000).
   */
  private readonly acc: Float32Array;
  private readonly touched: Int32Array;
  private heapKey: Float64Array;
  private heapId: Int32Array;
  private readonly initialBits = new Int32Array(8);
  /** Estimate credit per vocabulary word whose postings were not walked (zeroed after each call). */
  private readonly deferred: Float32Array;
  private readonly deferredIds = new Int32Array(4096);

  constructor(private readonly table: NameTable) {
    this.deferred = new Float32Array(table.vocab.length);
    this.acc = new Float32Array(2 * table.nameCount);
    for (let n = 0; n < table.nameCount; n++) this.acc[2 * n + 1] = table.nameWeight[n]!;
    this.touched = new Int32Array(table.nameCount);
    this.heapKey = new Float64Array(256);
    this.heapId = new Int32Array(256);
  }

  /**
   * Best `limit` name ids for one query form, by an optimistic estimate of the name score.
   * `accept` filters names (list and schema); it runs once per touched name.
   */
  candidates(tokens: readonly TokenMatches[], accept: (name: number) => boolean, limit: number): Int32Array {
    const { postingStart, postings, nameLetters, nameStart, nameTokens } = this.table;
    const deferred = this.deferred;
    const deferredIds = this.deferredIds;
    let deferredCount = 0;
    // A name aligns each query word once: its credit is capped at the best deferred match of each.
    let deferredCap = 0;
    // Initials find no postings; credit them in the estimate when the name has a word with that letter.
    let initialMasks = 0;
    let initialCount = 0;
    const initialBits = this.initialBits;
    for (const t of tokens)
      if (t.initial && initialCount < initialBits.length) initialBits[initialCount++] = letterBit(t.text);
    initialMasks = initialCount;
    const acc = this.acc;
    const touched = this.touched;
    let touchedCount = 0;
    let queryWeight = 0;
    // The two weightiest (rarest) query words are always expanded; a common word beyond them only
    // through short posting lists: a name sharing nothing but common words with the query cannot
    // be its best match while names sharing the rare ones exist.
    let second = 0;
    let first = 0;
    for (const t of tokens) {
      if (t.weight > first) {
        second = first;
        first = t.weight;
      } else if (t.weight > second) second = t.weight;
    }
    for (const t of tokens) {
      queryWeight += t.weight;
      const { ids: vocabIds, scores } = t;
      const rare = t.weight >= second;
      let tokenDeferredMax = 0;
      for (let m = 0; m < vocabIds.length; m++) {
        const vocab = vocabIds[m]!;
        const score = scores[m]!;
        const length = postingStart[vocab + 1]! - postingStart[vocab]!;
        const add = score * t.weight;
        // A loose match to a word on thousands of names ("maria" ~ "mario") ranks nothing, and a
        // weak one only supports: skip them.
        if (score < 0.8 && length > LOOSE_MATCH_POSTING_CAP) continue;
        if (score < SUPPORT_ONLY_SIMILARITY) continue;
        // A common word beyond the two rarest brings no name in, but the names the rare words bring
        // in are credited with it below (deferred): among the many that share the rare words
        // ("SABAWI", "TIKRITI" on every list that names him), the ones sharing "IBRAHIM HASAN" too
        // must rank first, or the exact record can fall outside the limit.
        if (!rare && length > COMMON_WORD_POSTING_CAP) {
          if (deferred[vocab] === 0) {
            if (deferredCount === deferredIds.length) continue;
            deferredIds[deferredCount++] = vocab;
          }
          deferred[vocab]! += add;
          if (add > tokenDeferredMax) tokenDeferredMax = add;
          continue;
        }
        const end = postingStart[vocab + 1]!;
        for (let k = postingStart[vocab]!; k < end; k++) {
          const n = postings[k]!;
          if (n < 0) continue;
          if (acc[2 * n] === 0) touched[touchedCount++] = n;
          acc[2 * n]! += add;
        }
      }
      deferredCap += tokenDeferredMax;
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
      const n = touched[k]!;
      let a = acc[2 * n]!;
      acc[2 * n] = 0;
      const nameWeight = acc[2 * n + 1]!;
      if (initialMasks > 0) {
        const letters = nameLetters[n]!;
        for (let k2 = 0; k2 < initialMasks; k2++)
          if (letters & initialBits[k2]!) a += INITIAL_SIMILARITY * INITIAL_WEIGHT;
      }
      if (deferredCount > 0) {
        // Skip the walk over the name's words when even the most it could add cannot beat the heap.
        const most = a + deferredCap;
        if (size === limit && 0.5 * (most / queryWeight) + 0.5 * Math.min(1, most / nameWeight) <= keys[0]!)
          continue;
        let credit = 0;
        const end = nameStart[n + 1]!;
        for (let k2 = nameStart[n]!; k2 < end; k2++) credit += deferred[nameTokens[k2]!]!;
        a += Math.min(credit, deferredCap);
      }
      const estimate = 0.5 * (a / queryWeight) + 0.5 * Math.min(1, a / nameWeight);
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
    for (let k = 0; k < deferredCount; k++) deferred[deferredIds[k]!] = 0;
    return ids.slice(0, size);
  }
}
