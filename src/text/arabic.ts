import { ARABIC_NAME_WORDS } from "./arabic-names.js";

/**
 * Arabic-script (Arabic and Persian) names → Latin. Unvowelled script leaves the short vowels to the
 * reader, so a word is first looked up in `ARABIC_NAME_WORDS`; unknown words get vowels by a
 * syllable heuristic (see `vowelledGuess`). Each scheme below is a family of spellings seen in
 * lists: ALA-LC-like English (Husayn, Tariq), French/Levantine (Hussein, Tarek, Moussa) and Persian
 * (Hossein, Ghasem, Zadeh).
 */
export interface ArabicScheme {
  name: string;
  /** Inserted short vowel where the script writes none. */
  vowel: "a" | "e";
  /** و read as a vowel. */
  waw: "u" | "ou" | "o";
  /** ي read as a vowel. */
  yeh: "i" | "ee" | "ey";
  tha: "th" | "s";
  dhal: "dh" | "z";
  qaf: "q" | "k" | "gh";
  /** ج: "j", or "g" in Egyptian spelling (Gamal, Ragab). */
  jeem: "j" | "g";
  /** ض: "d", or "z" in Persian and Urdu (Ghazanfar, Ramazan). */
  dad: "d" | "z";
  /** Final ة. */
  taMarbuta: "a" | "ah" | "eh";
  /**
   * Final ى in a word the dictionary does not know: "i", because Egyptian, Maghrebi and Persian
   * typing writes final ي as ى (Musavi, Fadavi) and the names that really end in alef maqsura
   * (Mustafa, Musa, Yahya) are in the dictionary; "a" in the last scheme.
   */
  alefMaqsura: "a" | "i";
  /** The article: "al-" or "el-". */
  article: "al-" | "el-";
  /** "عبد ال..." as "Abd al-X", "Abdul X" or "Abdel X". */
  abd: "abd al-" | "abdul " | "abdel ";
}

export const ARABIC_SCHEMES: readonly ArabicScheme[] = [
  {
    name: "ala-lc",
    jeem: "j",
    dad: "d",
    vowel: "a",
    waw: "u",
    yeh: "i",
    tha: "th",
    dhal: "dh",
    qaf: "q",
    taMarbuta: "a",
    alefMaqsura: "i",
    article: "al-",
    abd: "abd al-",
  },
  {
    name: "levantine",
    jeem: "j",
    dad: "d",
    vowel: "e",
    waw: "ou",
    yeh: "i",
    tha: "th",
    dhal: "z",
    qaf: "k",
    taMarbuta: "a",
    alefMaqsura: "i",
    article: "al-",
    abd: "abdul ",
  },
  {
    name: "persian",
    jeem: "j",
    dad: "z",
    vowel: "a",
    waw: "ou",
    yeh: "i",
    tha: "s",
    dhal: "z",
    qaf: "gh",
    taMarbuta: "eh",
    alefMaqsura: "i",
    article: "al-",
    abd: "abdel ",
  },
  {
    name: "egyptian",
    jeem: "g",
    dad: "d",
    vowel: "e",
    waw: "o",
    yeh: "ee",
    tha: "th",
    dhal: "z",
    qaf: "k",
    taMarbuta: "a",
    alefMaqsura: "a",
    article: "el-",
    abd: "abdel ",
  },
];

// Letter folding: variant letters that Arabic and Persian keyboards, and publishers, use for the same
// letter of a name. Harakat, tatweel and zero-width joiners are dropped.
const FOLD: Record<string, string> = {
  أ: "ا",
  إ: "ا",
  آ: "ا",
  ٱ: "ا",
  ى: "ي",
  ی: "ي",
  ې: "ي",
  ے: "ي",
  ئ: "ي",
  ؤ: "و",
  ة: "ه",
  ۀ: "ه",
  ھ: "ه",
  ہ: "ه",
  ک: "ك",
  ڪ: "ك",
};

function isDropped(code: number): boolean {
  return (
    (code >= 0x64b && code <= 0x65f) || code === 0x670 || code === 0x640 || code === 0x200c || code === 0x200d
  );
}

/**
 * Folds an Arabic-script word to the key form used by the name dictionary.
 *
 * @example
 * foldArabic("مصطفى") === foldArabic("مصطفي") // true
 */
export function foldArabic(word: string): string {
  let out = "";
  for (const ch of word) {
    if (isDropped(ch.charCodeAt(0))) continue;
    out += FOLD[ch] ?? ch;
  }
  return out;
}

/** Letters only Persian (and Urdu) writing uses: a name with them takes Persian spellings first. */
const PERSIAN_LETTERS = /[یکپچژگ]/;

/** Persian key: harakat dropped, Arabic ي/ك/ى written as Persian ی/ک, hamza seats and alefs folded. */
function foldPersian(word: string): string {
  let out = "";
  for (const ch of word) {
    if (isDropped(ch.charCodeAt(0))) continue;
    out +=
      ch === "ي" || ch === "ى" ? "ی" : ch === "ك" ? "ک" : ch === "ی" || ch === "ک" ? ch : (FOLD[ch] ?? ch);
  }
  return out;
}

/** Entries written with Persian letters, so "حسین" is Hossein while Arabic "حسين" is Husayn. */
const PERSIAN_DICTIONARY: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const line of ARABIC_NAME_WORDS.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length >= 2 && PERSIAN_LETTERS.test(parts[0]!)) map.set(foldPersian(parts[0]!), parts.slice(1));
  }
  return map;
})();

const DICTIONARY: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const line of ARABIC_NAME_WORDS.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    const key = foldArabic(parts[0]!);
    const forms = parts.slice(1);
    const existing = map.get(key);
    if (existing) {
      for (const f of forms) if (!existing.includes(f)) existing.push(f);
    } else map.set(key, forms);
  }
  return map;
})();

/**
 * Known Latin spellings of one Arabic-script name word, most common first, or undefined.
 *
 * @example
 * lookupArabicName("حسين") // ["husayn", "hussein", "hussain", "hossein", "husain"]
 */
export function lookupArabicName(word: string): readonly string[] | undefined {
  if (PERSIAN_LETTERS.test(word)) {
    const persian = PERSIAN_DICTIONARY.get(foldPersian(word));
    if (persian) {
      // Persian spellings first, then the Arabic ones (the same person is spelt both ways in lists).
      const arabic = DICTIONARY.get(foldArabic(word)) ?? [];
      return [...persian, ...arabic.filter((f) => !persian.includes(f))];
    }
  }
  const key = foldArabic(word);
  const known = DICTIONARY.get(key);
  if (known) return known;
  return COMPOUNDS.has(key) ? COMPOUNDS.get(key) : lookupCompound(key);
}

/**
 * Persian and Arabic derivational endings written joined to a name word: nisba -i (Mohammadi),
 * -ian (Mohammadian), -zadeh, -pour, -nejad, -abadi. Spellings of the stem are reused.
 */
const NAME_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ["زاده", "zadeh"],
  ["پور", "pour"],
  ["نژاد", "nejad"],
  ["ابادي", "abadi"],
  ["يان", "ian"],
  ["ي", "i"],
];

const COMPOUNDS = new Map<string, readonly string[] | undefined>();

/** A glued pair of known words (محمدباقر → mohammadbagher) or a known word with a suffix. */
function lookupCompound(key: string): readonly string[] | undefined {
  let found: readonly string[] | undefined;
  for (const [suffix, latin] of NAME_SUFFIXES) {
    if (key.length > suffix.length + 2 && key.endsWith(suffix)) {
      const stem = DICTIONARY.get(key.slice(0, -suffix.length));
      if (stem) {
        found = stem.map((f) => f + latin);
        break;
      }
    }
  }
  for (let cut = 3; !found && cut <= key.length - 3; cut++) {
    const head = DICTIONARY.get(key.slice(0, cut));
    const tail = head && DICTIONARY.get(key.slice(cut));
    if (head && tail) {
      const n = Math.max(head.length, tail.length);
      found = Array.from(
        { length: n },
        (_, i) => head[Math.min(i, head.length - 1)]! + tail[Math.min(i, tail.length - 1)]!,
      );
    }
  }
  // Memoised, misses included: names repeat across a list and the search above is the slow path.
  if (COMPOUNDS.size < 50_000) COMPOUNDS.set(key, found);
  return found;
}

type Unit = { c: string } | { v: string };

function lastIsVowel(units: readonly Unit[]): boolean {
  const u = units.at(-1);
  return u !== undefined && "v" in u;
}

function consonant(ch: string, s: ArabicScheme): string | undefined {
  switch (ch) {
    case "ب":
      return "b";
    case "ت":
      return "t";
    case "ث":
      return s.tha;
    case "ج":
      return s.jeem;
    case "ح":
      return "h";
    case "خ":
      return "kh";
    case "د":
      return "d";
    case "ذ":
      return s.dhal;
    case "ر":
      return "r";
    case "ز":
      return "z";
    case "س":
      return "s";
    case "ش":
      return "sh";
    case "ص":
      return "s";
    case "ض":
      return s.dad;
    case "ط":
      return "t";
    case "ظ":
      return "z";
    case "ع":
      return "";
    case "غ":
      return "gh";
    case "ف":
      return "f";
    case "ق":
      return s.qaf;
    case "ك":
    case "ک":
      return "k";
    case "ل":
      return "l";
    case "م":
      return "m";
    case "ن":
      return "n";
    case "ه":
    case "ھ":
      return "h";
    case "ء":
      return "";
    case "پ":
      return "p";
    case "چ":
      return "ch";
    case "ژ":
      return "zh";
    case "گ":
      return "g";
    case "ڤ":
      return "v";
    default:
      return undefined;
  }
}

/**
 * Reads an unknown word with a syllable heuristic: long-vowel letters (ا و ي) give vowels; where two
 * consonants meet, a short vowel is inserted unless the first one closes a syllable, and always inside
 * the final cluster (Arabic names are mostly CaCCaC, CaCiC, CaCCaCi), so "حسن" → "hasan",
 * "تكريتي" → "takriti", "احمد" → "ahmad", "اسفنجاني" → "asfanjani".
 */
function vowelledGuess(word: string, s: ArabicScheme): string {
  const units: Unit[] = [];
  const chars = [...word].filter((ch) => !isDropped(ch.charCodeAt(0)));
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    const raw = chars[i]!;
    const ch = raw === "ة" || raw === "ى" ? raw : (FOLD[raw] ?? raw);
    const next = i + 1 < n ? (FOLD[chars[i + 1]!] ?? chars[i + 1]!) : "";
    const last = i === n - 1;
    if (ch === "ا") {
      if (i === 0) units.push({ v: raw === "إ" ? "i" : "a" });
      else units.push({ v: "a" });
    } else if (ch === "و") {
      if (i === 0 || next === "ا" || (next === "ي" && i + 2 < n) || lastIsVowel(units)) {
        units.push({ c: "w" });
      } else units.push({ v: s.waw });
    } else if (ch === "ي") {
      if (i === 0 || next === "ا" || next === "و") units.push({ c: "y" });
      else if (last) units.push({ v: "i" });
      else if (lastIsVowel(units)) units.push({ c: "y" });
      else units.push({ v: s.yeh });
    } else if (ch === "ة") {
      if (last) units.push({ v: s.taMarbuta });
      else units.push({ c: "t" });
    } else if (ch === "ى") {
      units.push({ v: last ? s.alefMaqsura : "a" });
    } else if (ch === "ه" && last && units.length > 0 && "v" in units.at(-1)!) {
      units.push({ c: "h" });
    } else {
      const c = consonant(ch, s);
      if (c !== undefined) units.push({ c });
    }
  }
  let out = "";
  const last = units.length - 1;
  let afterVowel = false;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if ("v" in u) {
      out += u.v;
      afterVowel = true;
      continue;
    }
    out += u.c;
    const next = units[i + 1];
    // A consonant after a vowel closes its syllable (CaC.CaC); one after a consonant or at the start
    // opens a syllable and takes a vowel, and so does the first consonant of a final cluster (hasan).
    if (next && "c" in next && (!afterVowel || i + 1 === last)) {
      out += s.vowel;
      afterVowel = true;
    } else afterVowel = false;
  }
  return out;
}

/**
 * The word after its article ال, or undefined when it has none. Marks (harakat, tatweel) before or
 * between the article's letters are skipped and go with it. A word that begins with آ (alef madda)
 * begins with a hamza and a long a, never the article, though folding writes آ as ا: "آلاء" is the
 * given name Alaa, not "al-" + "اء", and Persian "آلاله" is Alaleh. أ and إ are still read as the
 * article's alef, which people type with a hamza by mistake.
 *
 * @example
 * withoutArticle("التكريتي") // "تكريتي"
 * withoutArticle("آلاء") // undefined
 */
export function withoutArticle(word: string): string | undefined {
  const chars = [...word];
  let letters = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (isDropped(ch.charCodeAt(0))) continue;
    if (letters === 0 && !(ch === "ا" || ch === "ٱ" || ch === "أ" || ch === "إ")) return undefined;
    if (letters === 1) return ch === "ل" ? chars.slice(i + 1).join("") : undefined;
    letters++;
  }
  return undefined;
}

/**
 * Latin spellings of one Arabic-script word (no spaces) in a scheme, most plausible first: dictionary
 * spellings when the word (or the word without its article ال) is known, else the heuristic reading.
 * The article is written `al-` / `el-` as its own prefix, unassimilated (al-Rahman, not ar-Rahman),
 * because that is how the UN and OFAC lists write it and how `tokenizeName` splits it off.
 *
 * @example
 * arabicWordSpellings("التكريتي", ARABIC_SCHEMES[0]) // ["al-tikriti"]
 */
export function arabicWordSpellings(word: string, s: ArabicScheme): string[] {
  const known = lookupArabicName(word);
  if (known) return [...known];
  const rest = foldArabic(word).length > 3 ? withoutArticle(word) : undefined;
  if (rest !== undefined) return arabicWordSpellings(rest, s).map((r) => s.article + r);
  // Joined "عبدال..." (Abdulrahman) and the clitic و ("and") are left to the heuristic.
  return [vowelledGuess(word, s)];
}

/**
 * The scheme-`index` spelling of an Arabic word: dictionary spelling number `spellingIndex` (default
 * `index`; the last one if there are fewer), else the heuristic reading in `ARABIC_SCHEMES[index]`.
 *
 * @example
 * arabicWordInScheme("حسين", 1) // "hussein"
 */
export function arabicWordInScheme(word: string, index: number, spellingIndex = index): string {
  const s = ARABIC_SCHEMES[Math.min(index, ARABIC_SCHEMES.length - 1)]!;
  const known = lookupArabicName(word);
  if (known) return known[Math.min(spellingIndex, known.length - 1)]!;
  const rest = foldArabic(word).length > 3 ? withoutArticle(word) : undefined;
  if (rest !== undefined) return s.article + arabicWordInScheme(rest, index, spellingIndex);
  return vowelledGuess(word, s);
}

/**
 * Transliterates a whole Arabic-script name (words separated by spaces) in scheme `index`, handling
 * "عبد ال..." (Abd al-Rahman / Abdul Rahman / Abdel Rahman).
 *
 * @example
 * transliterateArabicName("صدام حسين التكريتي", 0) // "saddam husayn al-tikriti"
 */
export function transliterateArabicName(text: string, index: number, spellingIndex = index): string {
  const s = ARABIC_SCHEMES[Math.min(index, ARABIC_SCHEMES.length - 1)]!;
  const words = text.split(" ");
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    const nextRest = next === undefined ? undefined : withoutArticle(next);
    if (foldArabic(w) === "عبد" && nextRest !== undefined && foldArabic(next!) !== "الله") {
      out.push(s.abd + arabicWordInScheme(nextRest, index, spellingIndex));
      i++;
      continue;
    }
    if (foldArabic(w) === "عبد" && next && foldArabic(next) === "الله") {
      out.push(arabicWordInScheme("عبدالله", index, spellingIndex));
      i++;
      continue;
    }
    out.push(w ? arabicWordInScheme(w, index, spellingIndex) : w);
  }
  return out.join(" ");
}
