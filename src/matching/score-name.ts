import { spellingFor, type TokenMatches } from "./name-index.js";
import type { NameTable } from "./name-table.js";
import { editBudget, editSimilarity, type TokenMatchKind, tokenSimilarity } from "./token-similarity.js";

/** Similarity credited to an initial against a full token that starts with it ("D." ~ "Dmitry"). */
export const INITIAL_SIMILARITY = 0.75;
/** Pairs below this similarity are not aligned at all. */
const PAIR_FLOOR = 0.6;
/** Share of the name score that comes from how much of the query the name explains (rest: of the name). */
export const QUERY_SIDE_SHARE = 0.55;
const MAX_TOKENS = 24;
/** A one-word name must match at least this well (one edit in a word of six letters or more)... */
const NEAR_EXACT = 0.85;
/**
 * ...or this well in a word of LONG_WORD letters or more on both sides: two edits in eight letters
 * ("CALCIARN" for "CALCIMIN"). A long word two slips away is still unmistakable, as `editBudget`
 * has it, while a short one is another name (GREEN / AREEN, PEDRO / PEDCO).
 */
const LONG_WORD_NEAR_EXACT = 0.8;
const LONG_WORD = 8;

/** One aligned token pair, for the explanation. */
export interface TokenPair {
  readonly query: string;
  readonly list: string;
  readonly similarity: number;
  readonly kind: TokenMatchKind;
}

/** How a query form lines up with one list name. */
export interface NameAlignment {
  readonly score: number;
  /** Weighted share of the query tokens explained by the name. */
  readonly queryCoverage: number;
  /** Weighted share of the name tokens explained by the query. */
  readonly nameCoverage: number;
  readonly pairs: readonly TokenPair[];
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedList: readonly string[];
  /** Set when a one-word name did not match near-exactly and the score was cut. */
  readonly shortNamePenalty: boolean;
}

// Scratch buffers for the greedy alignment (single-threaded; each worker has its own module copy).
const pairI = new Int32Array(MAX_TOKENS * MAX_TOKENS);
const pairJ = new Int32Array(MAX_TOKENS * MAX_TOKENS);
const pairS = new Float64Array(MAX_TOKENS * MAX_TOKENS);
const pairK = new Uint8Array(MAX_TOKENS * MAX_TOKENS);
const usedQ = new Uint8Array(MAX_TOKENS);
const usedN = new Uint8Array(MAX_TOKENS);
const simQ = new Float64Array(MAX_TOKENS);
const simN = new Float64Array(MAX_TOKENS);
const queryLengthBefore = new Int32Array(MAX_TOKENS + 1);
const nameLengthBefore = new Int32Array(MAX_TOKENS + 1);
const KIND_BY_CODE: readonly TokenMatchKind[] = ["exact", "edit", "phonetic", "initial"];

/** Similarity of query token `i` (of the form being aligned) to a list vocabulary token. */
export type PairSimilarity = (queryToken: number, vocabId: number) => number;

/**
 * Order-free token alignment of a query form against one list name: pairs are taken greedily from
 * the most similar down, each token used once, initials paired with tokens they begin. The score
 * blends how much of the query the name explains and how much of the name the query explains,
 * each weighted by token rarity, so "MOHAMMAD" agreeing counts less than "TIKRITI" agreeing.
 * A one-word name on either side must agree near-exactly, or the score is cut by a fifth.
 * With `detail` false the result object is shared and overwritten by the next call: read it at once.
 *
 * @example
 * alignName(table, queryTokens, nameId, (i, v) => sims[v * 16 + i], false).score // 0.93
 */
export function alignName(
  table: NameTable,
  query: readonly TokenMatches[],
  name: number,
  similarity: PairSimilarity,
  detail: boolean,
): NameAlignment {
  const { nameStart, nameTokens, tokenWeight, vocab } = table;
  const start = nameStart[name]!;
  const nn = Math.min(MAX_TOKENS, nameStart[name + 1]! - start);
  const nq = Math.min(MAX_TOKENS, query.length);
  let pairs = 0;
  for (let i = 0; i < nq; i++) {
    const q = query[i]!;
    for (let j = 0; j < nn; j++) {
      const v = nameTokens[start + j]!;
      let s = similarity(i, v);
      let kind = s === 1 ? 0 : 1;
      if (s < INITIAL_SIMILARITY) {
        const listToken = vocab[v]!;
        if (
          (q.initial && listToken.length > 1 && listToken.charCodeAt(0) === q.text.charCodeAt(0)) ||
          (listToken.length === 1 && q.text.length > 1 && q.text.charCodeAt(0) === listToken.charCodeAt(0))
        ) {
          s = INITIAL_SIMILARITY;
          kind = 3;
        }
      }
      if (s < PAIR_FLOOR) continue;
      // Insertion into a list sorted by similarity, descending (names are short).
      let p = pairs++;
      while (p > 0 && pairS[p - 1]! < s) {
        pairI[p] = pairI[p - 1]!;
        pairJ[p] = pairJ[p - 1]!;
        pairS[p] = pairS[p - 1]!;
        pairK[p] = pairK[p - 1]!;
        p--;
      }
      pairI[p] = i;
      pairJ[p] = j;
      pairS[p] = s;
      pairK[p] = kind;
    }
  }
  usedQ.fill(0, 0, nq);
  usedN.fill(0, 0, nn);
  simQ.fill(0, 0, nq);
  simN.fill(0, 0, nn);
  const tokenPairs: TokenPair[] | undefined = detail ? [] : undefined;
  let matched = 0;
  let bestSingle = 0;
  /** The query and list positions of the pair that gave `bestSingle` (-1: a respaced run gave it). */
  let bestI = -1;
  let bestJ = -1;
  for (let p = 0; p < pairs; p++) {
    const i = pairI[p]!;
    const j = pairJ[p]!;
    if (usedQ[i] || usedN[j]) continue;
    usedQ[i] = 1;
    usedN[j] = 1;
    const s = pairS[p]!;
    simQ[i] = s;
    simN[j] = s;
    matched++;
    if (s > bestSingle) {
      bestSingle = s;
      bestI = i;
      bestJ = j;
    }
    if (detail) {
      const kindCode = pairK[p]!;
      const v = nameTokens[start + j]!;
      // A position read several ways is explained by the spelling that met this word.
      const spelling = spellingFor(query[i]!, v);
      const kind: TokenMatchKind =
        kindCode === 1
          ? tokenSimilarity(spelling.text, vocab[v]!, spelling.phonetic, table.vocabPhonetic[v]!).kind
          : KIND_BY_CODE[kindCode]!;
      tokenPairs?.push({ query: spelling.text, list: vocab[v]!, similarity: s, kind });
    }
  }
  if (matched < nq && matched < nn) {
    const compounds = alignCompounds(table, query, start, nq, nn, tokenPairs);
    if (compounds > 0) {
      matched += compounds;
      // A respaced word counts as agreeing as well as its joined spelling does ("VABO" / "VA BO"),
      // so a one-word name met that way is not cut as if nothing matched near-exactly.
      for (let i = 0; i < nq; i++)
        if (simQ[i]! > bestSingle) {
          bestSingle = simQ[i]!;
          bestI = -1;
        }
    }
  }
  let qTotal = 0;
  let qMatched = 0;
  for (let i = 0; i < nq; i++) {
    const w = query[i]!.weight;
    qTotal += w;
    qMatched += w * simQ[i]!;
  }
  let nTotal = 0;
  let nMatched = 0;
  for (let j = 0; j < nn; j++) {
    const v = nameTokens[start + j]!;
    // An initial in the list name weighs like an initial in the query.
    const w = vocab[v]!.length === 1 ? 0.3 : tokenWeight[v]!;
    nTotal += w;
    nMatched += w * simN[j]!;
  }
  const queryCoverage = qTotal > 0 ? qMatched / qTotal : 0;
  const nameCoverage = nTotal > 0 ? nMatched / nTotal : 0;
  let score = QUERY_SIDE_SHARE * queryCoverage + (1 - QUERY_SIDE_SHARE) * nameCoverage;
  let shortNamePenalty = false;
  // A one-word name must match near-exactly, or a long word (on both sides) within two slips; the
  // lengths are read only for a one-word name matched between the two floors.
  if (
    (nq === 1 || nn === 1) &&
    matched > 0 &&
    bestSingle < NEAR_EXACT &&
    !(
      bestSingle >= LONG_WORD_NEAR_EXACT &&
      bestI >= 0 &&
      query[bestI]!.text.length >= LONG_WORD &&
      vocab[nameTokens[start + bestJ]!]!.length >= LONG_WORD
    )
  ) {
    score *= 0.8;
    shortNamePenalty = true;
  }
  if (!detail) {
    // Hot path: one reused result object, read at once by the caller (scoreNames).
    SCORE_ONLY.score = score;
    SCORE_ONLY.queryCoverage = queryCoverage;
    SCORE_ONLY.nameCoverage = nameCoverage;
    SCORE_ONLY.shortNamePenalty = shortNamePenalty;
    return SCORE_ONLY;
  }
  const unmatchedQuery: string[] = [];
  for (let i = 0; i < nq; i++) if (!usedQ[i]) unmatchedQuery.push(query[i]!.text);
  const unmatchedList: string[] = [];
  for (let j = 0; j < nn; j++) if (!usedN[j]) unmatchedList.push(vocab[nameTokens[start + j]!]!);
  return {
    score,
    queryCoverage,
    nameCoverage,
    pairs: tokenPairs ?? [],
    unmatchedQuery,
    unmatchedList,
    shortNamePenalty,
  };
}

const EMPTY: readonly TokenPair[] = [];
const EMPTY_S: readonly string[] = [];
const SCORE_ONLY = {
  score: 0,
  queryCoverage: 0,
  nameCoverage: 0,
  pairs: EMPTY,
  unmatchedQuery: EMPTY_S,
  unmatchedList: EMPTY_S,
  shortNamePenalty: false,
};

/** Shortest joined spelling worth comparing with edits; shorter ones must agree exactly ("dw e" = "dwe"). */
const MIN_COMPOUND_LENGTH = 5;
/** Joined spellings must be at least this close. */
const COMPOUND_FLOOR = 0.8;
/** Most words on one side of a respaced pair ("oi llish" / "oil kish" is two and two). */
const MAX_RUN = 2;

/** False when words of these lengths are beyond each other's edit budget (saves joining strings on the hot path). */
function lengthsCanMeet(joined: number, word: number): boolean {
  return Math.abs(joined - word) <= editBudget(Math.min(joined, word));
}

/**
 * Pairs runs of adjacent unmatched words on both sides that are the same letters spaced
 * differently: "ABO GHAITH" / "ABUGHAITH" and "AMAN OLLAHI" / "AMANOLLAHI" (transliteration and
 * list conventions), "ORIENTAL OI LLISH" / "ORIENTAL OIL KISH" and "DW E" / "DWE" (a space typed
 * in the wrong place). Each side's run is at most MAX_RUN words, one side has at least two, and
 * the joined spellings must be within the edit budget of the shorter (or equal when shorter than
 * MIN_COMPOUND_LENGTH). Runs only on the words the greedy pass left over, so it costs nothing when
 * everything already aligned; the rarity weights of the words still apply.
 */
function alignCompounds(
  table: NameTable,
  query: readonly TokenMatches[],
  start: number,
  nq: number,
  nn: number,
  out: TokenPair[] | undefined,
): number {
  const { nameTokens, vocab } = table;
  let freeQuery = 0;
  for (let i = 0; i < nq; i++) if (!usedQ[i]) freeQuery++;
  let freeName = 0;
  for (let j = 0; j < nn; j++) if (!usedN[j]) freeName++;
  // The common case on the hot path: one word left on each side, nothing to respace.
  if (freeQuery === 0 || freeName === 0 || freeQuery + freeName < 3) return 0;
  // Prefix sums of word lengths, so every run's joined length is known without joining it.
  for (let i = 0; i < nq; i++) queryLengthBefore[i + 1] = queryLengthBefore[i]! + query[i]!.text.length;
  for (let j = 0; j < nn; j++)
    nameLengthBefore[j + 1] = nameLengthBefore[j]! + vocab[nameTokens[start + j]!]!.length;
  let found = 0;
  // Longest runs first: a two-and-two respacing explains more than a two-and-one inside it.
  for (let size = Math.min(2 * MAX_RUN, freeQuery + freeName); size >= 3; size--) {
    for (let m = Math.min(MAX_RUN, size - 1, freeQuery); m >= 1; m--) {
      const n = size - m;
      if (n < 1 || n > MAX_RUN || n > freeName) continue;
      for (let i = 0; i + m <= nq; i++) {
        if (!unused(usedQ, i, m)) continue;
        const queryLength = queryLengthBefore[i + m]! - queryLengthBefore[i]!;
        for (let j = 0; j + n <= nn; j++) {
          const nameLength = nameLengthBefore[j + n]! - nameLengthBefore[j]!;
          const short = Math.min(queryLength, nameLength) < MIN_COMPOUND_LENGTH;
          if (
            short ? queryLength !== nameLength || queryLength < 3 : !lengthsCanMeet(queryLength, nameLength)
          )
            continue;
          if (!unused(usedN, j, n)) continue;
          // Joined spellings within budget agree on their first or last letter (both ends mistyped
          // and respaced is beyond what this pass is for): checked before joining any string.
          const lastQuery = query[i + m - 1]!.text;
          const lastName = vocab[nameTokens[start + j + n - 1]!]!;
          if (
            query[i]!.text.charCodeAt(0) !== vocab[nameTokens[start + j]!]!.charCodeAt(0) &&
            lastQuery.charCodeAt(lastQuery.length - 1) !== lastName.charCodeAt(lastName.length - 1)
          )
            continue;
          let joinedQuery = "";
          for (let k = i; k < i + m; k++) joinedQuery += query[k]!.text;
          let joinedName = "";
          for (let k = j; k < j + n; k++) joinedName += vocab[nameTokens[start + k]!]!;
          const s = short ? (joinedQuery === joinedName ? 1 : 0) : editSimilarity(joinedQuery, joinedName);
          if (s < COMPOUND_FLOOR) continue;
          for (let k = i; k < i + m; k++) {
            usedQ[k] = 1;
            simQ[k] = s;
          }
          for (let k = j; k < j + n; k++) {
            usedN[k] = 1;
            simN[k] = s;
          }
          found++;
          out?.push({
            query: query
              .slice(i, i + m)
              .map((t) => t.text)
              .join(" "),
            list: Array.from({ length: n }, (_, k) => vocab[nameTokens[start + j + k]!]!).join(" "),
            similarity: s,
            kind: "compound",
          });
          break;
        }
      }
    }
  }
  return found;
}

/** True when `count` flags from `from` are all clear. */
function unused(flags: Uint8Array, from: number, count: number): boolean {
  for (let k = from; k < from + count; k++) if (flags[k]) return false;
  return true;
}
