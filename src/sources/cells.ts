/**
 * Small text helpers every list parser needs: cleaning cells, slugs for derived ids, and the
 * script a name is written in. One copy here, so that every list cleans and classifies alike.
 */

/**
 * Collapses runs of white space (publishers wrap long values and pad cells) and trims.
 *
 * @example
 * cleanText("  National Identification\n      Number ") // "National Identification Number"
 */
export function cleanText(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/**
 * A lower-case ASCII slug: letters and digits, words joined by "-" (for derived native ids).
 *
 * @example
 * slugify("Ihsan Medhat \"Sammy\" Elashi") // "ihsan-medhat-sammy-elashi"
 * slugify("1, Part 2") // "1-part-2"
 */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** ISO 15924 codes of the non-Latin scripts lists print names in. */
const SCRIPT_CODES: Array<[RegExp, string]> = [
  [/\p{Script=Cyrillic}/u, "Cyrl"],
  [/\p{Script=Arabic}/u, "Arab"],
  [/\p{Script=Hebrew}/u, "Hebr"],
  [/\p{Script=Hangul}/u, "Hang"],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, "Jpan"],
  [/\p{Script=Han}/u, "Hani"],
  [/\p{Script=Greek}/u, "Grek"],
  [/\p{Script=Georgian}/u, "Geor"],
  [/\p{Script=Armenian}/u, "Armn"],
  [/\p{Script=Thai}/u, "Thai"],
  [/\p{Script=Devanagari}/u, "Deva"],
  [/\p{Script=Ethiopic}/u, "Ethi"],
  [/\p{Script=Myanmar}/u, "Mymr"],
  [/\p{Script=Khmer}/u, "Khmr"],
  [/\p{Script=Bengali}/u, "Beng"],
  [/\p{Script=Tamil}/u, "Taml"],
];

/** Letters per script in a text: Latin apart, other scripts by ISO 15924 code ("Zyyy" when unknown). */
function countScripts(text: string): { latin: number; counts: Map<string, number> } {
  let latin = 0;
  const counts = new Map<string, number>();
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue;
    if (/\p{Script=Latin}/u.test(char)) {
      latin++;
      continue;
    }
    const code = SCRIPT_CODES.find(([pattern]) => pattern.test(char))?.[1] ?? "Zyyy";
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return { latin, counts };
}

function mostLetters(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [code, count] of counts) if (count > bestCount) [best, bestCount] = [code, count];
  return best;
}

/**
 * ISO 15924 code of the dominant non-Latin script of a text, or undefined when Latin letters are at
 * least as many (or there are no letters). A stray Latin "I" in a Belarusian name does not make it Latin.
 *
 * @example
 * dominantScript("Сергей АКСЁНОВ") // "Cyrl"
 * dominantScript("Hadi ZAHOURIAN") // undefined
 */
export function dominantScript(text: string): string | undefined {
  const { latin, counts } = countScripts(text);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return total > latin ? mostLetters(counts) : undefined;
}

/**
 * The known non-Latin script with the most letters, however many Latin letters stand beside it:
 * for a name form that carries its original beside a transliteration, "Jin Tiesan (金铁三)".
 *
 * @example
 * nonLatinScript("Akrin Saleh Akrin (أقرين صالح أقرين)") // "Arab"
 * nonLatinScript("Hadi ZAHOURIAN") // undefined
 */
export function nonLatinScript(text: string): string | undefined {
  const { counts } = countScripts(text);
  counts.delete("Zyyy");
  return mostLetters(counts);
}
