/**
 * Cyrillic → Latin for personal and company names, in the schemes that sanctions lists actually use.
 * Lists copy spellings from passports (ICAO 9303 since 2013: Dmitrii, Iurii), from BGN/PCGN
 * (Dmitriy, Yuriy, Kiselyov) or from the press (Dmitry, Yuri, Sergei), so one spelling cannot match
 * them all: `transliterateCyrillicWord` takes a scheme, and `CYRILLIC_SCHEMES` lists the ones worth
 * trying. Sources: BGN/PCGN romanization systems for Russian (1947), Ukrainian (2019) and
 * Belarusian (1979); Ukrainian national system (Cabinet of Ministers resolution 55, 2010);
 * ICAO Doc 9303 part 3 (Russian passports since 2013).
 */

/** Which language's letter values to use; detected once per name, see `detectCyrillicLanguage`. */
export type CyrillicLanguage = "ru" | "uk" | "be";

/** How the letters whose spelling varies across schemes are written. */
export interface CyrillicScheme {
  readonly name: string;
  /** Е at the start of a word and after a vowel, ъ or ь: "ye" (Yevgeny, Sergeyevich) or "e". */
  readonly eIotated: "ye" | "e";
  /** Е after Ь or Ъ: "ie" (Yurievich), "ye" (Yuryevich) or "e" (Iurevich, passports). */
  readonly eAfterSoft: "ie" | "ye" | "e";
  /** Ё (lists often print it as Е): "yo" (Kiselyov) or "e" (Kiselev). After ж ч ш щ ц always "e". */
  readonly yo: "yo" | "e";
  /** Word-final -ий: "iy" (Dmitriy), "y" (Dmitry), "i" (Dmitri), "ii" (Dmitrii, passports). */
  readonly finalIy: "iy" | "y" | "i" | "ii";
  /** Й elsewhere: "y" (Sergey) or "i" (Sergei). */
  readonly short: "y" | "i";
  /** Ю, Я after a consonant: "yu"/"ya" or "iu"/"ia" (passports, Ukrainian national system). */
  readonly iotated: "y" | "i";
  /** Ь before a vowel: "y" (Ilyich), "i" (Iurievich) or "" (Ilich). */
  readonly softBeforeVowel: "y" | "i" | "";
  /** Кс: "ks" (Aleksandr) or "x" (Alexander). */
  readonly ks: "ks" | "x";
  /** Ukrainian/Belarusian Г: "h" (their own systems) or "g" (as in Russian-language documents). */
  readonly ghe: "h" | "g";
  /** Ukrainian И: "y" (national) or "i" (Russian-style reading). */
  readonly ukrI: "y" | "i";
}

const BASE: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  ґ: "g",
  д: "d",
  ж: "zh",
  з: "z",
  и: "i",
  і: "i",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ў: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  // Letters of other Cyrillic languages in Central Asian names (Kazakh, Kyrgyz, Tajik, Uzbek Cyrillic).
  ә: "a",
  ғ: "gh",
  қ: "q",
  ң: "ng",
  ө: "o",
  ұ: "u",
  ү: "u",
  һ: "h",
  ҳ: "h",
  ҷ: "j",
  ӣ: "i",
  ӯ: "u",
  ђ: "dj",
  ј: "j",
  љ: "lj",
  њ: "nj",
  ћ: "c",
  џ: "dz",
  ѕ: "dz",
  ѓ: "gj",
  ќ: "kj",
};

const VOWELS = new Set(["а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я", "і", "ї", "є", "ъ", "ь", "ў"]);
const SIBILANTS = new Set(["ж", "ч", "ш", "щ", "ц"]);

/** Latin letters that look like Cyrillic ones; lists sometimes mix them inside one word ("ПОНОМАРËВ"). */
export const LATIN_TO_CYRILLIC_HOMOGLYPH: Readonly<Record<string, string>> = {
  A: "А",
  a: "а",
  B: "В",
  C: "С",
  c: "с",
  E: "Е",
  e: "е",
  H: "Н",
  I: "І",
  i: "і",
  K: "К",
  M: "М",
  O: "О",
  o: "о",
  P: "Р",
  p: "р",
  T: "Т",
  X: "Х",
  x: "х",
  Y: "У",
  y: "у",
  Ë: "Ё",
  ë: "ё",
};

/**
 * Guesses the language of a Cyrillic name from letters only one language has. Names with no such
 * letter are read as Russian, which is also how most lists spell them.
 *
 * @example
 * detectCyrillicLanguage("Валянціна Генадзьеўна") // "be"
 * detectCyrillicLanguage("Олексій Резніков") // "uk"
 */
export function detectCyrillicLanguage(text: string): CyrillicLanguage {
  const lower = text.toLowerCase();
  if (lower.includes("ў")) return "be";
  const hasI = lower.includes("і");
  if (lower.includes("ї") || lower.includes("є") || lower.includes("ґ")) return "uk";
  if (hasI) return /[ыэё]/.test(lower) ? "be" : "uk";
  return "ru";
}

/** The scheme `transliterate` uses: the spellings most frequent in the UK and EU lists' Latin names. */
export const DEFAULT_CYRILLIC_SCHEME: CyrillicScheme = Object.freeze({
  name: "lists",
  eIotated: "e",
  eAfterSoft: "ie",
  yo: "yo",
  finalIy: "y",
  short: "y",
  iotated: "y",
  softBeforeVowel: "y",
  ks: "ks",
  ghe: "h",
  ukrI: "y",
});

/**
 * Schemes `latinVariants` tries, most useful first. Each is a whole system applied to the whole name,
 * not a mix per letter, so the variants stay spellings that some publisher really uses.
 */
export const CYRILLIC_SCHEMES: readonly CyrillicScheme[] = Object.freeze([
  DEFAULT_CYRILLIC_SCHEME,
  Object.freeze({
    name: "bgn-pcgn",
    eIotated: "ye",
    eAfterSoft: "ye",
    yo: "yo",
    finalIy: "iy",
    short: "y",
    iotated: "y",
    softBeforeVowel: "y",
    ks: "ks",
    ghe: "h",
    ukrI: "y",
  }),
  Object.freeze({
    name: "press",
    eIotated: "e",
    eAfterSoft: "ie",
    yo: "e",
    finalIy: "i",
    short: "i",
    iotated: "y",
    softBeforeVowel: "",
    ks: "x",
    ghe: "g",
    ukrI: "i",
  }),
  Object.freeze({
    name: "icao",
    eIotated: "e",
    eAfterSoft: "e",
    yo: "e",
    finalIy: "ii",
    short: "i",
    iotated: "i",
    softBeforeVowel: "",
    ks: "ks",
    ghe: "h",
    ukrI: "y",
  }),
  Object.freeze({
    name: "press-y",
    eIotated: "ye",
    eAfterSoft: "ye",
    yo: "e",
    finalIy: "y",
    short: "y",
    iotated: "y",
    softBeforeVowel: "y",
    ks: "x",
    ghe: "g",
    ukrI: "y",
  }),
]);

/**
 * Transliterates one Cyrillic word (no spaces). Case follows the source: an all-capitals word stays in
 * capitals ("КУЛІК" → "KULIK"), a capital letter gives a capitalised output ("Щ" → "Shch").
 *
 * @example
 * transliterateCyrillicWord("Киселёв", "ru", DEFAULT_CYRILLIC_SCHEME) // "Kiselyov"
 * transliterateCyrillicWord("Дмитрий", "ru", DEFAULT_CYRILLIC_SCHEME) // "Dmitry"
 */
export function transliterateCyrillicWord(
  word: string,
  lang: CyrillicLanguage,
  scheme: CyrillicScheme,
): string {
  // Long words (an unspaced name is one word) are rarely met twice and would make the memo big.
  if (word.length > MEMO_MAX_WORD) return transliterateWord(word, lang, scheme);
  let memo = transliteratedWords.get(scheme);
  if (!memo) {
    memo = new Map();
    transliteratedWords.set(scheme, memo);
  }
  // The language is two letters: prefixed, it keeps the keys of the three languages apart.
  const key = lang + word;
  let latin = memo.get(key);
  if (latin === undefined) {
    if (memo.size >= TRANSLITERATED_WORDS_LIMIT) memo.clear();
    latin = transliterateWord(word, lang, scheme);
    memo.set(key, latin);
  }
  return latin;
}

/**
 * Words already transliterated, per scheme (schemes are frozen: a changed one would be served
 * the old spellings): names repeat their words (first names, patronymics,
 * "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ"), and each name is read in every scheme. Building the
 * index transliterated Cyrillic words ~0.13 s of its ~1 s before this memo. Cleared when full.
 */
const transliteratedWords = new WeakMap<CyrillicScheme, Map<string, string>>();
const TRANSLITERATED_WORDS_LIMIT = 50_000;
/** Longest word remembered: first names, patronymics and surnames are far shorter. */
const MEMO_MAX_WORD = 32;

function transliterateWord(word: string, lang: CyrillicLanguage, scheme: CyrillicScheme): string {
  const lower = word.toLowerCase();
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (ch !== lower[i]) upper++;
    if (ch.toUpperCase() !== lower[i]) letters++;
  }
  const allCaps = letters > 1 && upper === letters;
  let out = "";
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    const ch = lower[i]!;
    // The lower-cased word lines up with the word letter for letter (Cyrillic case pairs are one
    // character each), so comparing codes tells the case without a string per letter.
    const sourceUpper = word.charCodeAt(i) !== lower.charCodeAt(i);
    const prev = i > 0 ? lower[i - 1]! : "";
    const next = i + 1 < n ? lower[i + 1]! : "";
    const initial = i === 0;
    const afterVowel = initial || VOWELS.has(prev);
    let latin: string;
    switch (ch) {
      case "е":
        if (lang === "uk") latin = "e";
        else if (initial) latin = scheme.eIotated === "ye" ? "ye" : "e";
        else if (prev === "ь" || prev === "ъ") latin = scheme.eAfterSoft;
        else if (afterVowel) latin = scheme.eIotated === "ye" ? "ye" : "e";
        else latin = "e";
        break;
      case "ё":
        latin = SIBILANTS.has(prev) ? "e" : scheme.yo;
        break;
      case "є":
        latin = initial || afterVowel || scheme.iotated === "y" ? "ye" : "ie";
        break;
      case "ї":
        latin = initial || afterVowel || scheme.iotated === "y" ? "yi" : "i";
        break;
      case "ю":
      case "я": {
        const v = ch === "ю" ? "u" : "a";
        // Ukrainian national system: iotated initially and after vowels only; ICAO (Russian passports): always "i".
        if (lang === "uk") latin = initial || afterVowel || scheme.iotated === "y" ? `y${v}` : `i${v}`;
        else latin = scheme.iotated === "i" ? `i${v}` : `y${v}`;
        if (prev === "ь" || prev === "ъ") latin = scheme.iotated === "y" ? `y${v}` : `i${v}`;
        break;
      }
      case "и":
        if (lang === "uk") {
          // Ukrainian -ий is written -yi (national), -yy (BGN/PCGN) or -y (press: Zelensky).
          if (next === "й" && i + 2 === n) {
            latin =
              scheme.finalIy === "iy" ? "yy" : scheme.finalIy === "y" || scheme.finalIy === "i" ? "y" : "yi";
            i++;
          } else latin = scheme.ukrI;
        } else if (next === "й" && i + 2 === n) {
          latin = prev === "ы" ? "" : scheme.finalIy;
          i++;
        } else latin = "i";
        break;
      case "ы":
        if (next === "й" && i + 2 === n) {
          latin = "y";
          i++;
        } else latin = "y";
        break;
      case "й":
        if (lang === "uk" && scheme.iotated === "i" && !initial) latin = "i";
        else latin = initial ? "y" : scheme.short;
        break;
      case "ь":
        // Before е ё ю я the iotation is written by the vowel (Yurievich, Ilyukhin); before и, о it is
        // the soft sign's own letter (Ilyin / Iliin / Ilin).
        latin = next === "и" || next === "о" ? scheme.softBeforeVowel : "";
        break;
      case "г":
        latin = lang === "ru" ? "g" : scheme.ghe;
        break;
      case "к":
        if (next === "с" && scheme.ks === "x") {
          latin = "x";
          i++;
        } else latin = "k";
        break;
      case "'":
      case "’":
      case "ʼ":
        latin = "";
        break;
      default:
        latin = BASE[ch] ?? ch;
    }
    if (latin && sourceUpper && !allCaps) latin = latin[0]!.toUpperCase() + latin.slice(1);
    out += latin;
  }
  return allCaps ? out.toUpperCase() : out;
}
