import { transliterate } from "./transliterate.js";

const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;
// Apostrophes join (O'Brien → obrien, Mar'yana → maryana); any-ascii turns ’ ʼ ʻ ´ ʿ into these two.
const APOSTROPHES = /['`]/g;
const NOT_WORD = /[^a-z0-9]+/g;

/**
 * Lower-cases and folds `text` to ASCII, keeping punctuation: the step `normalizeName` and
 * `tokenizeName` share before punctuation is dropped (tokenizeName still needs the hyphen of "al-").
 *
 * @example
 * foldName("Ḥusayn AL-Tikrītī") // "husayn al-tikriti"
 */
export function foldName(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  // NFKC first (full-width letters, ligatures, Arabic presentation forms), then lower case before
  // folding so that "İ" and "ẞ" take their lower-case forms; any-ascii does ß→ss, æ→ae, ø→o, ı→i.
  return transliterate(text.normalize("NFKC").toLowerCase()).toLowerCase();
}

/**
 * Drops punctuation from folded text: apostrophes join, everything else that is not a letter or digit
 * separates words; spaces are collapsed and trimmed.
 *
 * @example
 * stripPunctuation("o'brien & co., ltd.") // "obrien co ltd"
 */
export function stripPunctuation(folded: string): string {
  return folded.replace(APOSTROPHES, "").replace(NOT_WORD, " ").trim();
}

/**
 * The comparable form of a name: NFKC, lower case, diacritics removed (ß → ss, æ → ae, ø → o,
 * ı → i), other scripts transliterated to ASCII by `transliterate`, apostrophes removed without a
 * space (O'Brien → obrien), other punctuation turned into spaces, spaces collapsed.
 * Pure ASCII input takes a fast path that skips Unicode normalisation.
 *
 * @example
 * normalizeName("Saddam Hussein AL-TIKRITI") // "saddam hussein al tikriti"
 * normalizeName("Müßig, Ærø-Øst") // "mussig aero ost"
 * normalizeName("Киселёв Дмитрий") // "kiselyov dmitry"
 */
export function normalizeName(text: string): string {
  return stripPunctuation(foldName(text));
}
