/**
 * Scripts the text layer distinguishes. ISO 15924 codes, except that `Hans` stands for any Han
 * (simplified, traditional or Japanese kanji): name matching treats them alike, so one code is enough.
 *
 * @example
 * const script: Script = "Cyrl";
 */
export const SCRIPTS = ["Latn", "Cyrl", "Arab", "Grek", "Hebr", "Hans", "Hang", "Kana", "Other"] as const;
export type Script = (typeof SCRIPTS)[number];

// Index into the counters below; kept numeric so the hot loop does no string work.
const LATN = 0;
const CYRL = 1;
const ARAB = 2;
const GREK = 3;
const HEBR = 4;
const HANS = 5;
const HANG = 6;
const KANA = 7;
const OTHER = 8;

const ANY_LETTER = /\p{L}/u;

/**
 * Script class of one code point, or -1 when it is not a letter (digits, spaces, punctuation,
 * combining marks). Ranges are the Unicode blocks that hold the letters of each script.
 */
export function scriptClassOf(code: number): number {
  if (code < 0x80) {
    return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? LATN : -1;
  }
  if (code <= 0x24f) return code >= 0xc0 && code !== 0xd7 && code !== 0xf7 ? LATN : -1;
  if (code >= 0x1e00 && code <= 0x1eff) return LATN;
  if (code >= 0x370 && code <= 0x3ff) return code >= 0x386 ? GREK : -1;
  if (code >= 0x1f00 && code <= 0x1fff) return GREK;
  if (code >= 0x400 && code <= 0x52f) return code >= 0x483 && code <= 0x489 ? -1 : CYRL;
  if (code >= 0x5d0 && code <= 0x5f2) return HEBR;
  if (code >= 0x600 && code <= 0x6ff) {
    // Letters only: harakat, Arabic-Indic digits and punctuation do not vote.
    return (code >= 0x620 && code <= 0x64a) || (code >= 0x66e && code <= 0x6d3) || code >= 0x6fa ? ARAB : -1;
  }
  if (
    (code >= 0x750 && code <= 0x77f) ||
    (code >= 0xfb50 && code <= 0xfdff) ||
    (code >= 0xfe70 && code <= 0xfefc)
  ) {
    return ARAB;
  }
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  ) {
    return HANS;
  }
  if (code >= 0x20000 && code <= 0x3134f) return HANS;
  if (
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3130 && code <= 0x318f)
  ) {
    return HANG;
  }
  if (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x31f0 && code <= 0x31ff) ||
    (code >= 0xff66 && code <= 0xff9f)
  ) {
    return KANA;
  }
  if (code >= 0xff21 && code <= 0xff5a) return LATN; // full-width Latin
  return ANY_LETTER.test(String.fromCodePoint(code)) ? OTHER : -1;
}

const CLASS_TO_SCRIPT: readonly Script[] = [
  "Latn",
  "Cyrl",
  "Arab",
  "Grek",
  "Hebr",
  "Hans",
  "Hang",
  "Kana",
  "Other",
];

/**
 * The dominant script of the letters in `text` (the one with most letters). Digits and punctuation do
 * not count; text without letters is "Other". Japanese is "Kana" as soon as it has any kana, because
 * kanji alone cannot tell Japanese from Chinese and a name with kana is certainly Japanese.
 * Ties go to the non-Latin script: a list that prints "QADDOUR قدور" is giving the original script.
 *
 * @example
 * detectScript("Киселёв Дмитрий") // "Cyrl"
 * detectScript("صدام حسين التكريتي") // "Arab"
 * detectScript("株式会社トヨタ") // "Kana"
 */
export function detectScript(text: string): Script {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      code = text.codePointAt(i)!;
      i++;
    }
    const cls = scriptClassOf(code);
    if (cls >= 0) counts[cls]!++;
  }
  if (counts[KANA]! > 0) {
    counts[KANA]! += counts[HANS]!;
    counts[HANS] = 0;
  }
  let best = OTHER;
  let bestCount = 0;
  for (let cls = 0; cls < counts.length; cls++) {
    const n = counts[cls]!;
    if (n > bestCount || (n === bestCount && n > 0 && best === LATN)) {
      best = cls;
      bestCount = n;
    }
  }
  return bestCount === 0 ? "Other" : CLASS_TO_SCRIPT[best]!;
}

/**
 * True when every letter of `text` is Latin (or there are no letters), so no transliteration is needed.
 *
 * @example
 * isLatinText("Müller & Co.") // true
 * isLatinText("Firas QADDOUR قدور") // false
 */
export function isLatinText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x250) continue;
    const cls = scriptClassOf(text.codePointAt(i)!);
    if (cls > LATN) return false;
  }
  return true;
}

export const SCRIPT_CLASS = { LATN, CYRL, ARAB, GREK, HEBR, HANS, HANG, KANA, OTHER } as const;
