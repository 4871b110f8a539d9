import { ARABIC_SCHEMES } from "./arabic.js";
import { CYRILLIC_SCHEMES } from "./cyrillic.js";
import { isLatinText } from "./script.js";
import { transliterateWith } from "./transliterate.js";

/** At most this many variants: the matcher scores each against the candidates, so keep it small. */
export const MAX_LATIN_VARIANTS = 8;

const ARABIC_RANGE = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]/;
const CYRILLIC_RANGE = /[\u0400-\u052f]/;
// Whole words, so a Latin homoglyph inside a Cyrillic word ("ПОНОМАРËВ") stays with its word.
const NON_LATIN_WORD = /[^\s]*[^\s\p{Script=Latin}\p{N}\p{P}][^\s]*/gu;
const LATIN_WORD = /(?<=^|\s)[\p{Script=Latin}\p{N}\p{P}]+(?=\s|$)/gu;

/**
 * Plausible Latin spellings of a name written in another script, most likely first, at most
 * `MAX_LATIN_VARIANTS`. Latin input is returned as is (`[text]`).
 *
 * - Cyrillic: the whole name in each of `CYRILLIC_SCHEMES` (lists' usual spelling, BGN/PCGN, press,
 *   ICAO passport), then any-ascii.
 * - Arabic/Persian: the whole name in each of `ARABIC_SCHEMES`, where common name words take their
 *   dictionary spellings (Husayn / Hussein / Hossein) and other words a vowelled reading, then the
 *   consonant skeleton from any-ascii.
 * - Other scripts: any-ascii.
 *
 * @example
 * latinVariants("Киселёв Дмитрий") // ["Kiselyov Dmitry", "Kiselyov Dmitriy", "Kiselev Dmitri", "Kiselev Dmitrii", ...]
 * latinVariants("صدام حسين التكريتي") // ["Saddam Husayn al-Tikriti", "Saddam Hussein al-Tikriti", ...]
 * latinVariants("John Smith") // ["John Smith"]
 */
export function latinVariants(text: string): string[] {
  if (isLatinText(text)) return [text];
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (v: string) => {
    const key = v.toLowerCase();
    if (out.length < MAX_LATIN_VARIANTS && v.trim() && !seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  };
  // "Firas Hassan QADDOUR فيراس حسان قدور": a list that prints both forms gives its own Latin spelling,
  // which is the best variant of all.
  const latinPart = text.replace(NON_LATIN_WORD, " ").replace(/\s+/g, " ").trim();
  if (/[A-Za-z]{2}/.test(latinPart)) add(latinPart);
  const nonLatinPart = latinPart ? text.replace(LATIN_WORD, " ").replace(/\s+/g, " ").trim() : text;
  const hasCyrillic = CYRILLIC_RANGE.test(text);
  const hasArabic = ARABIC_RANGE.test(text);
  const rounds = Math.max(hasCyrillic ? CYRILLIC_SCHEMES.length : 1, hasArabic ? ARABIC_SCHEMES.length : 1);
  for (let i = 0; i < rounds; i++) {
    add(
      transliterateWith(nonLatinPart, {
        cyrillic: CYRILLIC_SCHEMES[Math.min(i, CYRILLIC_SCHEMES.length - 1)],
        arabic: Math.min(i, ARABIC_SCHEMES.length - 1),
      }),
    );
  }
  // Then the most common spelling of known words with the other readings of unknown ones.
  for (let i = 1; hasArabic && i < ARABIC_SCHEMES.length; i++) {
    add(transliterateWith(nonLatinPart, { arabic: i, arabicSpelling: 0 }));
  }
  add(transliterateWith(nonLatinPart, { plain: true }));
  return out;
}
