import { boundedDamerau, type DamerauPattern } from "./edit-distance.js";
import { jaroWinkler } from "./jaro-winkler.js";

/** How two name tokens were found alike, for the explanation. */
export const TOKEN_MATCH_KINDS = ["exact", "edit", "phonetic", "initial", "compound"] as const;
export type TokenMatchKind = (typeof TOKEN_MATCH_KINDS)[number];

/**
 * Edits allowed between two tokens, by the shorter one's length (one exception: see `editScore`).
 * Longer tokens get a larger budget because a typo in "KONSTANTINOVICH" still leaves an
 * unmistakable word while one in "LI" makes another name; two-letter tokens must agree exactly,
 * three- and four-letter ones may differ by one edit (which, at 1 − 0.8/3, only counts for about
 * three quarters of a word). Five letters get two edits ("MHOEN" / "MOHSEN", "ASAKN" / "SAKAN"):
 * on the eval data (docs/evaluation.md) that raised two-typo recall from 87.6% to 91.8% while
 * synthetic false positives went from 0.5% to 0.6%; two edits in five letters score only 0.68, so
 * such a word supports a name but cannot carry one.
 *
 * @example
 * editBudget(2) // 0
 * editBudget(5) // 2
 * editBudget(9) // 3
 */
export function editBudget(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** Similarity lost per edit, relative to the token length. */
const EDIT_COST = 0.8;

/** Jaro-Winkler a phonetic match must also reach. */
const PHONETIC_MIN_JARO_WINKLER = 0.7;

/** Similarity floor below which two tokens are treated as unrelated. */
export const MIN_TOKEN_SIMILARITY = 0.6;

/**
 * Similarity of two folded name tokens in [0, 1] (`a` the query's, `b` the list's), with the reason:
 * - exact: 1;
 * - edit: within the edit budget of the shorter token, 1 − 0.8·d/length (MUHAMMAD/MUHAMMADD ≈ 0.91);
 *   two edits for a four-letter query word against a five-letter list word that begins with its
 *   first three letters (MUNU for MUNOZ), not the other way round;
 * - phonetic: same double-metaphone key but too many edits, as transliterations produce
 *   (HUSAYN/HUSSEIN), 0.55 + 0.35·Jaro-Winkler, capped at 0.9, when Jaro-Winkler ≥ 0.7;
 * - otherwise 0 (initials are handled by the aligner, which knows which side is the initial).
 *
 * @example
 * tokenSimilarity("muhammad", "muhammadd", ["MHMT", "MHMT"], ["MHMT", "MHMT"]) // { score: 0.91, kind: "edit" }
 */
export function tokenSimilarity(
  a: string,
  b: string,
  phoneticA: readonly [string, string],
  phoneticB: readonly [string, string],
): { score: number; kind: TokenMatchKind } {
  if (a === b) return { score: 1, kind: "exact" };
  const edit = editScore(a, b);
  const phonetic = phoneticScore(a, b, phoneticA, phoneticB);
  if (edit >= phonetic) return edit >= MIN_TOKEN_SIMILARITY ? { score: edit, kind: "edit" } : NONE;
  return phonetic >= MIN_TOKEN_SIMILARITY ? { score: phonetic, kind: "phonetic" } : NONE;
}

/**
 * The score of `tokenSimilarity` without the reason and without allocating: the hot path. `pattern`,
 * when given, is `a` compiled (`new DamerauPattern().compile(a)`), for a word measured against many.
 *
 * @example
 * tokenScore("tikrity", "tikriti", ["TKRT", "TKRT"], ["TKRT", "TKRT"]) // 0.886
 */
export function tokenScore(
  a: string,
  b: string,
  phoneticA: readonly [string, string],
  phoneticB: readonly [string, string],
  pattern?: DamerauPattern,
): number {
  if (a === b) return 1;
  const best = Math.max(editScore(a, b, pattern), phoneticScore(a, b, phoneticA, phoneticB));
  return best >= MIN_TOKEN_SIMILARITY ? best : 0;
}

/**
 * `tokenScore` of two tokens known to share a double-metaphone key, as the phonetic index reports
 * them: the keys need not be compared again (reading them was a cache miss per reported word).
 *
 * @example
 * tokenScoreSharingKey("husayn", "hussein") // 0.838
 */
export function tokenScoreSharingKey(a: string, b: string, pattern?: DamerauPattern): number {
  if (a === b) return 1;
  const best = Math.max(editScore(a, b, pattern), soundAlikeScore(a, b));
  return best >= MIN_TOKEN_SIMILARITY ? best : 0;
}

/**
 * Similarity from edits alone (no phonetics), 1 for equal strings and 0 beyond the budget. `a` is
 * the query's word and `b` the list's: one budget rule is one-way (see `editScore`).
 * `pattern`, when given, is `a` compiled (see `tokenScore`).
 *
 * @example
 * editSimilarity("aboghaith", "abughaith") // 0.911
 */
export function editSimilarity(a: string, b: string, pattern?: DamerauPattern): number {
  return a === b ? 1 : editScore(a, b, pattern);
}

function editScore(a: string, b: string, pattern?: DamerauPattern): number {
  const length = Math.max(a.length, b.length);
  // The budget follows the shorter token, so a short name cannot borrow edits from a long one...
  const shorter = Math.min(a.length, b.length);
  let budget = editBudget(shorter);
  // ...except a four-letter query word one letter short of a five-letter list word with the same
  // first three letters ("MUNU" for "MUNOZ"): that is a five-letter word with two slips, which
  // already gets two edits. Slips mostly spare a word's start (Jaro-Winkler's prefix bonus rests on
  // the same fact); on the eval data this found one more two-typo row and added no false positive
  // (docs/evaluation.md). Still 0.68: such a word supports a name but cannot carry one. Only that
  // way round (`a` is the query's word, `b` the list's, for every caller): the slips are the
  // query's, and a five-letter query word against a four-letter list word is as often another
  // name (MARIA / MARK: two synthetic false positives when it counted both ways).
  if (a.length === 4 && b.length === 5 && b.startsWith(a.slice(0, 3))) budget = 2;
  if (budget === 0 || Math.abs(a.length - b.length) > budget) return 0;
  const d = pattern ? pattern.distance(b, budget) : boundedDamerau(a, b, budget);
  return d <= budget ? 1 - (EDIT_COST * d) / length : 0;
}

function phoneticScore(
  a: string,
  b: string,
  phoneticA: readonly [string, string],
  phoneticB: readonly [string, string],
): number {
  return phoneticsAgree(phoneticA, phoneticB) ? soundAlikeScore(a, b) : 0;
}

/** `phoneticScore` of two tokens whose keys agree. */
function soundAlikeScore(a: string, b: string): number {
  // Keys of words of three letters or fewer ("ALI" → AL, "AND" → ANT) are shared by far too many
  // unrelated words ("WALL", "ANITA"); short words match by spelling only.
  if (a.length <= 3 || b.length <= 3) return 0;
  const jw = jaroWinkler(a, b);
  // Sounding alike is not enough when the spellings have little in common ("CLOUD" / "KHALID").
  if (jw < PHONETIC_MIN_JARO_WINKLER) return 0;
  return Math.min(0.9, 0.55 + 0.35 * jw);
}

const NONE = { score: 0, kind: "edit" as TokenMatchKind };

/** True when any double-metaphone key of one token equals one of the other's (empty keys never agree). */
export function phoneticsAgree(a: readonly [string, string], b: readonly [string, string]): boolean {
  if (a[0] && (a[0] === b[0] || a[0] === b[1])) return true;
  if (a[1] && (a[1] === b[0] || a[1] === b[1])) return true;
  return false;
}
