/**
 * Text handling for item descriptions: normalisation, homoglyph repair, tokens and a light stemmer.
 * Kept here rather than in `text/` because it is tuned for product vocabulary (plurals of part
 * names, Russian case endings of technical nouns), not for personal names.
 */

const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: "а",
  c: "с",
  e: "е",
  o: "о",
  p: "р",
  x: "х",
  y: "у",
  k: "к",
  m: "м",
  t: "т",
  b: "в",
  h: "н",
};
const CYRILLIC_TO_LATIN: Record<string, string> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC).map(([latin, cyrillic]) => [cyrillic, latin]),
);

const LATIN = /[a-z]/;
const CYRILLIC = /[\u0400-\u04ff]/;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A word whose letters mix Latin and Cyrillic, and how it was read. */
export interface MixedScriptWord {
  word: string;
  readAs: string;
}

export interface NormalizedText {
  /** Lower-case NFKC text with `ё` folded to `е` and homoglyphs repaired. */
  text: string;
  mixed: MixedScriptWord[];
  hasCjk: boolean;
}

/**
 * Normalises a description. A word that mixes Latin and Cyrillic letters is a typo or an attempt
 * to dodge keyword screening ("кoнденсатор" with a Latin o); it is read in its majority script
 * and reported, never silently dropped.
 *
 * @example
 * normalizeDescription("Кoнденсатор ТАНТАЛОВЫЙ").text // "конденсатор танталовый"
 */
export function normalizeDescription(raw: string): NormalizedText {
  const text = raw.normalize("NFKC").toLowerCase().replace(/ё/g, "е");
  const mixed: MixedScriptWord[] = [];
  const repaired = text.replace(/[\p{L}]+/gu, (word) => {
    if (!LATIN.test(word) || !CYRILLIC.test(word)) return word;
    let latin = 0;
    let cyrillic = 0;
    for (const ch of word) {
      if (LATIN.test(ch)) latin++;
      else if (CYRILLIC.test(ch)) cyrillic++;
    }
    const map = cyrillic >= latin ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
    const readAs = [...word].map((ch) => map[ch] ?? ch).join("");
    mixed.push({ word, readAs });
    return readAs;
  });
  return { text: repaired, mixed, hasCjk: CJK.test(repaired) };
}

// Longest first, so "ами" is tried before "и". Stems keep at least 4 letters, which protects
// short roots (диод, чип) from being cut to nothing.
const RUSSIAN_ENDINGS = [
  "ами",
  "ями",
  "ого",
  "его",
  "ому",
  "ему",
  "ыми",
  "ими",
  "ых",
  "их",
  "ой",
  "ей",
  "ий",
  "ый",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ие",
  "ов",
  "ев",
  "ам",
  "ям",
  "ах",
  "ях",
  "ом",
  "ем",
  "ую",
  "юю",
  "а",
  "я",
  "ы",
  "и",
  "е",
  "о",
  "у",
  "ю",
  "ь",
  "й",
] as const;

/**
 * Reduces a token to a comparison key: Russian case/number endings and English plurals are cut.
 * Applied to vocabulary terms and to descriptions alike, so only consistency matters.
 *
 * @example
 * stemToken("подшипников") // "подшипник"
 * stemToken("capacitors") // "capacitor"
 */
export function stemToken(token: string): string {
  if (CYRILLIC.test(token)) {
    for (const ending of RUSSIAN_ENDINGS) {
      if (token.length - ending.length >= 4 && token.endsWith(ending)) {
        return token.slice(0, -ending.length);
      }
    }
    return token;
  }
  if (token.length < 4 || !LATIN.test(token)) return token;
  if (token.endsWith("ies") && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith("s") && !token.endsWith("ss")) return token.slice(0, -1);
  return token;
}

/**
 * Splits normalised text into word tokens: runs of Latin letters, digits or Cyrillic letters.
 * Letters and digits are split apart ("100nf" → "100", "nf"; "4g" → "4", "g") so that
 * values and units do not hide words.
 *
 * @example
 * tokenize("dc-dc converter 12v") // ["dc", "dc", "converter", "12", "v"]
 */
export function tokenize(text: string): string[] {
  return text.match(/[a-z]+|\d+|[\u0400-\u04ff]+/g) ?? [];
}

/** True when the string holds CJK ideographs (Chinese descriptions have no spaces between words). */
export function hasCjk(text: string): boolean {
  return CJK.test(text);
}
