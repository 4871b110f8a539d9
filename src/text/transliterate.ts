import anyAscii from "any-ascii";
import { transliterateArabicName } from "./arabic.js";
import {
  type CyrillicLanguage,
  type CyrillicScheme,
  DEFAULT_CYRILLIC_SCHEME,
  detectCyrillicLanguage,
  LATIN_TO_CYRILLIC_HOMOGLYPH,
  transliterateCyrillicWord,
} from "./cyrillic.js";
import { SCRIPT_CLASS, scriptClassOf } from "./script.js";

/** Spelling choices for `transliterateWith`; `transliterate` uses the defaults. */
export interface TransliterationOptions {
  cyrillic?: CyrillicScheme;
  /** Index into `ARABIC_SCHEMES` (0 = ALA-LC-like English). */
  arabic?: number;
  /** Which dictionary spelling of known Arabic words to use (default: same as `arabic`). */
  arabicSpelling?: number;
  /** Ignore the name rules and use plain any-ascii for every script. */
  plain?: boolean;
}

const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;
const CYR = SCRIPT_CLASS.CYRL;
const ARAB = SCRIPT_CLASS.ARAB;
const HANS = SCRIPT_CLASS.HANS;

function isCyrillicWordChar(code: number): boolean {
  return (code >= 0x400 && code <= 0x52f) || code === 0x27 || code === 0x2019 || code === 0x2bc;
}

/** Replaces Latin look-alikes inside Cyrillic words ("ПОНОМАРËВ" with Latin Ë) by their Cyrillic letters. */
function fixHomoglyphs(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const cyr = LATIN_TO_CYRILLIC_HOMOGLYPH[ch];
    if (cyr !== undefined) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if ((prev >= 0x400 && prev <= 0x4ff) || (next >= 0x400 && next <= 0x4ff)) {
        out += cyr;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function capitalizeWords(text: string): string {
  return text.replace(/(^|[\s-])([a-z])/g, (_m, sep: string, ch: string, offset: number, all: string) => {
    // Keep the article lower-case ("al-Tikriti") as the UN and OFAC lists print it.
    const rest = all.slice(offset + sep.length, offset + sep.length + 3);
    if ((rest === "al-" || rest === "el-") && sep !== "-") return sep + ch;
    return sep + ch.toUpperCase();
  });
}

/**
 * Transliterates `text` to Latin ASCII with explicit spelling choices. Latin letters pass through
 * (folded to ASCII by any-ascii: "Müller" → "Muller", "ß" → "ss"); Cyrillic and Arabic-script words
 * use the name rules of `cyrillic.ts` and `arabic.ts`; other scripts use any-ascii. A Han or kana run
 * next to Latin letters is set off by a space so it becomes its own token.
 *
 * @example
 * transliterateWith("Дмитрий", { cyrillic: CYRILLIC_SCHEMES[1] }) // "Dmitriy"
 */
export function transliterateWith(text: string, options: TransliterationOptions = {}): string {
  if (ASCII_ONLY.test(text)) return text;
  let source = text.normalize("NFKC");
  if (options.plain) return anyAscii(source);
  const scheme = options.cyrillic ?? DEFAULT_CYRILLIC_SCHEME;
  const arabicScheme = options.arabic ?? 0;
  let lang: CyrillicLanguage | undefined;
  let hasLatin = false;
  let hasCyrillic = false;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code >= 0x400 && code <= 0x52f) hasCyrillic = true;
    else if (
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      code === 0xcb ||
      code === 0xeb
    ) {
      hasLatin = true;
    }
  }
  if (hasCyrillic && hasLatin) source = fixHomoglyphs(source);
  if (hasCyrillic) lang = detectCyrillicLanguage(source);

  let out = "";
  let i = 0;
  const n = source.length;
  let other = "";
  const flushOther = () => {
    if (other) out += anyAscii(other);
    other = "";
  };
  while (i < n) {
    const code = source.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const cls = scriptClassOf(code);
    if (cls === CYR) {
      flushOther();
      let j = i;
      while (j < n && isCyrillicWordChar(source.charCodeAt(j))) j++;
      out += transliterateCyrillicWord(source.slice(i, j), lang ?? "ru", scheme);
      i = j;
    } else if (cls === ARAB) {
      flushOther();
      // An Arabic phrase runs over spaces while the next letter is Arabic, so "عبد الرحمن" is seen whole.
      let j = i;
      let end = i;
      while (j < n) {
        const c = source.charCodeAt(j);
        const k = scriptClassOf(c);
        if (k === ARAB || (c >= 0x64b && c <= 0x65f) || c === 0x640 || c === 0x200c || c === 0x670) {
          j++;
          end = j;
        } else if (c === 0x20) j++;
        else break;
      }
      out += capitalizeWords(
        transliterateArabicName(
          source.slice(i, end).replace(/ +/g, " "),
          arabicScheme,
          options.arabicSpelling ?? arabicScheme,
        ),
      );
      i = end;
    } else if (cls === HANS || cls === SCRIPT_CLASS.KANA || cls === SCRIPT_CLASS.HANG) {
      flushOther();
      let j = i;
      while (j < n) {
        const c = source.codePointAt(j)!;
        const k = scriptClassOf(c);
        if (k !== HANS && k !== SCRIPT_CLASS.KANA && k !== SCRIPT_CLASS.HANG && c !== 0x30fc) break;
        j += c > 0xffff ? 2 : 1;
      }
      const before = out.length > 0 ? out.charCodeAt(out.length - 1) : 0x20;
      const after = j < n ? source.charCodeAt(j) : 0x20;
      const isWordChar = (c: number) => (c >= 0x30 && c <= 0x39) || scriptClassOf(c) === SCRIPT_CLASS.LATN;
      out += (isWordChar(before) ? " " : "") + anyAscii(source.slice(i, j)) + (isWordChar(after) ? " " : "");
      i = j;
    } else {
      other += source.slice(i, i + width);
      i += width;
    }
  }
  flushOther();
  return out;
}

/**
 * Transliterates `text` to Latin ASCII with the name rules: Russian, Ukrainian and Belarusian Cyrillic
 * in the spellings lists use most (Kh, Zh, Ts, Ch, Sh, Shch, Yu, Ya; -ий → -y; Ukrainian Г → H),
 * Arabic and Persian with dictionary vowels for common name words and the article as "al-", every
 * other script through any-ascii. For the other plausible spellings of the same name use
 * `latinVariants`.
 *
 * @example
 * transliterate("Киселёв Дмитрий Константинович") // "Kiselyov Dmitry Konstantinovich"
 * transliterate("صدام حسين التكريتي") // "Saddam Husayn al-Tikriti"
 * transliterate("Müller") // "Muller"
 */
export function transliterate(text: string): string {
  return transliterateWith(text);
}
