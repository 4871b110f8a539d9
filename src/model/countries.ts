import type { Country } from "./entity.js";

/**
 * Country resolution: publisher text ("Iran (Islamic Republic of)", "Burma / Birmanie",
 * "Korea, North", "Iranian") to ISO 3166-1 alpha-2, keeping the text.
 *
 * English names come from the ICU data built into Node (`Intl.DisplayNames`), so the table does
 * not go stale; the aliases below are the forms lists actually print that ICU does not know.
 */

// Region codes ICU names that are not countries (EU, UN, "Outlying Oceania", pseudo-locales).
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AA", "QM", "QN", "QP", "QQ", "QR"]);

/** Forms lists print, folded (see `foldCountryText`), mapped to alpha-2. */
const COUNTRY_ALIASES: Record<string, string> = {
  "iran islamic republic of": "IR",
  "islamic republic of iran": "IR",
  persia: "IR",
  "russian federation": "RU",
  russia: "RU",
  "korea north": "KP",
  "north korea": "KP",
  "democratic people s republic of korea": "KP",
  "korea democratic people s republic of": "KP",
  dprk: "KP",
  "korea south": "KR",
  "south korea": "KR",
  "republic of korea": "KR",
  "korea republic of": "KR",
  burma: "MM",
  birmanie: "MM",
  myanmar: "MM",
  "syrian arab republic": "SY",
  "united states of america": "US",
  "united states": "US",
  usa: "US",
  "u s a": "US",
  us: "US",
  "united kingdom of great britain and northern ireland": "GB",
  "united kingdom": "GB",
  "great britain": "GB",
  uk: "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  turkey: "TR",
  turkiye: "TR",
  "viet nam": "VN",
  "lao people s democratic republic": "LA",
  laos: "LA",
  "bolivia plurinational state of": "BO",
  "venezuela bolivarian republic of": "VE",
  "tanzania united republic of": "TZ",
  "united republic of tanzania": "TZ",
  "democratic republic of the congo": "CD",
  "congo democratic republic of the": "CD",
  "democratic republic of congo": "CD",
  "congo kinshasa": "CD",
  drc: "CD",
  zaire: "CD",
  "republic of the congo": "CG",
  "congo republic of the": "CG",
  "congo brazzaville": "CG",
  congo: "CG",
  "cote d ivoire": "CI",
  "ivory coast": "CI",
  "palestinian territory": "PS",
  "palestinian territories": "PS",
  "occupied palestinian territory": "PS",
  "state of palestine": "PS",
  palestine: "PS",
  "west bank": "PS",
  gaza: "PS",
  "gaza strip": "PS",
  "czech republic": "CZ",
  czechia: "CZ",
  macedonia: "MK",
  "the former yugoslav republic of macedonia": "MK",
  "republic of north macedonia": "MK",
  swaziland: "SZ",
  "cape verde": "CV",
  "east timor": "TL",
  "holy see": "VA",
  vatican: "VA",
  "micronesia federated states of": "FM",
  "moldova republic of": "MD",
  "republic of moldova": "MD",
  "taiwan province of china": "TW",
  "chinese taipei": "TW",
  "hong kong": "HK",
  "hong kong sar": "HK",
  "hong kong special administrative region": "HK",
  "hong kong china": "HK",
  macau: "MO",
  macao: "MO",
  "macao sar": "MO",
  "british virgin islands": "VG",
  "virgin islands british": "VG",
  "st kitts and nevis": "KN",
  "saint kitts and nevis": "KN",
  "st lucia": "LC",
  "st vincent and the grenadines": "VC",
  "saint vincent and the grenadines": "VC",
  "bosnia herzegovina": "BA",
  "bosnia and herzegovina": "BA",
  "trinidad tobago": "TT",
  "antigua barbuda": "AG",
  "sao tome principe": "ST",
  "the gambia": "GM",
  gambia: "GM",
  "the bahamas": "BS",
  "the netherlands": "NL",
  holland: "NL",
  "united arab emirates": "AE",
  uae: "AE",
  "u a e": "AE",
  emirates: "AE",
  kyrgyzstan: "KG",
  "kyrgyz republic": "KG",
  "libyan arab jamahiriya": "LY",
  "brunei darussalam": "BN",
  "falkland islands malvinas": "FK",
  kosovo: "XK",
  "china hong kong special administrative region": "HK",
  "china macao special administrative region": "MO",
  "cabo verde": "CV",
  "isle of man": "IM",
  "man isle of": "IM",
  "former soviet union": "RU",
  afgan: "AF",
  crimea: "UA",
  "crimea region of ukraine": "UA",
  "sudan south": "SS",
  "south sudan": "SS",
  yugoslavia: "RS",
  "serbia and montenegro": "RS",
  "soviet union": "RU",
  ussr: "RU",
  "people s republic of china": "CN",
  prc: "CN",
  "china mainland": "CN",
  "mainland china": "CN",
};

/** Nationality adjectives as lists print them ("Iranian", "Russian"), folded, to alpha-2. */
const DEMONYMS: Record<string, string> = {
  afghan: "AF",
  albanian: "AL",
  algerian: "DZ",
  american: "US",
  angolan: "AO",
  argentine: "AR",
  argentinian: "AR",
  armenian: "AM",
  australian: "AU",
  austrian: "AT",
  azerbaijani: "AZ",
  bahraini: "BH",
  bangladeshi: "BD",
  belarusian: "BY",
  belarussian: "BY",
  belgian: "BE",
  bosnian: "BA",
  brazilian: "BR",
  british: "GB",
  bulgarian: "BG",
  burmese: "MM",
  burundian: "BI",
  cambodian: "KH",
  cameroonian: "CM",
  canadian: "CA",
  "central african": "CF",
  chadian: "TD",
  chilean: "CL",
  chinese: "CN",
  colombian: "CO",
  congolese: "CD",
  croatian: "HR",
  cuban: "CU",
  cypriot: "CY",
  czech: "CZ",
  danish: "DK",
  dutch: "NL",
  egyptian: "EG",
  emirati: "AE",
  eritrean: "ER",
  estonian: "EE",
  ethiopian: "ET",
  filipino: "PH",
  finnish: "FI",
  french: "FR",
  georgian: "GE",
  german: "DE",
  ghanaian: "GH",
  greek: "GR",
  guatemalan: "GT",
  honduran: "HN",
  togolese: "TG",
  burkinabe: "BF",
  guinean: "GN",
  haitian: "HT",
  hungarian: "HU",
  indian: "IN",
  indonesian: "ID",
  iranian: "IR",
  iraqi: "IQ",
  irish: "IE",
  israeli: "IL",
  italian: "IT",
  ivorian: "CI",
  japanese: "JP",
  jordanian: "JO",
  kazakh: "KZ",
  kazakhstani: "KZ",
  kenyan: "KE",
  kosovar: "XK",
  kuwaiti: "KW",
  kyrgyz: "KG",
  latvian: "LV",
  lebanese: "LB",
  liberian: "LR",
  libyan: "LY",
  lithuanian: "LT",
  malaysian: "MY",
  malian: "ML",
  mauritanian: "MR",
  mexican: "MX",
  moldovan: "MD",
  mongolian: "MN",
  montenegrin: "ME",
  moroccan: "MA",
  nicaraguan: "NI",
  nigerian: "NG",
  nigerien: "NE",
  "north korean": "KP",
  norwegian: "NO",
  omani: "OM",
  pakistani: "PK",
  palestinian: "PS",
  panamanian: "PA",
  polish: "PL",
  portuguese: "PT",
  qatari: "QA",
  romanian: "RO",
  russian: "RU",
  rwandan: "RW",
  saudi: "SA",
  "saudi arabian": "SA",
  senegalese: "SN",
  serbian: "RS",
  singaporean: "SG",
  slovak: "SK",
  slovenian: "SI",
  somali: "SO",
  "south african": "ZA",
  "south korean": "KR",
  "south sudanese": "SS",
  spanish: "ES",
  "sri lankan": "LK",
  sudanese: "SD",
  swedish: "SE",
  swiss: "CH",
  syrian: "SY",
  taiwanese: "TW",
  tajik: "TJ",
  tajikistani: "TJ",
  tanzanian: "TZ",
  thai: "TH",
  tunisian: "TN",
  turkish: "TR",
  turkmen: "TM",
  ugandan: "UG",
  ukrainian: "UA",
  uzbek: "UZ",
  uzbekistani: "UZ",
  venezuelan: "VE",
  vietnamese: "VN",
  yemeni: "YE",
  zimbabwean: "ZW",
};

/**
 * Folds country text for lookup: lower case, no diacritics, punctuation to spaces,
 * a leading "the" dropped.
 *
 * @example
 * foldCountryText("Côte d'Ivoire") // "cote d ivoire"
 */
export function foldCountryText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "");
}

let nameIndex: Map<string, string> | undefined;
const validCodes = new Set<string>();

function buildNameIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const english = new Intl.DisplayNames(["en"], { type: "region" });
  const french = new Intl.DisplayNames(["fr"], { type: "region" });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      let name: string | undefined;
      try {
        name = english.of(code);
      } catch {
        continue;
      }
      if (!name || name === code || name.startsWith("Unknown")) continue;
      validCodes.add(code);
      for (const form of [name, french.of(code) ?? ""]) {
        if (!form) continue;
        // ICU writes "Trinidad & Tobago"; lists write "and".
        const folded = foldCountryText(form.replace(/&/g, " and "));
        if (!index.has(folded)) index.set(folded, code);
        // ICU writes "Congo - Kinshasa", "Myanmar (Burma)": index the part before the qualifier too,
        // but never let it override an explicit alias.
        const plain = foldCountryText(form.replace(/\s*[-(].*$/, ""));
        if (plain && !index.has(plain) && !(plain in COUNTRY_ALIASES)) index.set(plain, code);
      }
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) index.set(alias, code);
  for (const [demonym, code] of Object.entries(DEMONYMS)) if (!index.has(demonym)) index.set(demonym, code);
  return index;
}

/**
 * Resolves a country text or code to ISO 3166-1 alpha-2, or undefined.
 *
 * @example
 * countryCode("Iran (Islamic Republic of)") // "IR"
 * countryCode("Burma / Birmanie") // "MM"
 * countryCode("ae") // "AE"
 * countryCode("Atlantis") // undefined
 */
export function countryCode(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  nameIndex ??= buildNameIndex();
  const trimmed = text.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const upper = trimmed.toUpperCase();
    if (upper === "UK") return "GB";
    if (validCodes.has(upper)) return upper;
  }
  const folded = foldCountryText(trimmed);
  if (!folded) return undefined;
  const direct = nameIndex.get(folded);
  if (direct) return direct;
  // "Iran (Islamic Republic of)" is in the aliases; "Sudan (Darfur)" is not: drop the parenthetical.
  const withoutParens = foldCountryText(trimmed.replace(/\([^)]*\)/g, " "));
  if (withoutParens && nameIndex.has(withoutParens)) return nameIndex.get(withoutParens);
  // Inverted forms: "Bahamas, The", "Korea, Republic of" (the second part first).
  const comma = trimmed.match(/^([^,]+),\s*(.+)$/);
  if (comma) {
    const inverted = foldCountryText(`${comma[2]} ${comma[1]}`);
    if (nameIndex.has(inverted)) return nameIndex.get(inverted);
  }
  // Bilingual or alternative forms: "Burma / Birmanie", "Russia; Ukraine" → first resolvable part.
  for (const part of trimmed.split(/\s*[/;]\s*/)) {
    if (part === trimmed) continue;
    const code = countryCode(part);
    if (code) return code;
  }
  return undefined;
}

/**
 * Builds a `Country` keeping the publisher's text.
 *
 * @example
 * normalizeCountry("Democratic Republic of the Congo") // { text: "Democratic Republic of the Congo", code: "CD" }
 */
export function normalizeCountry(text: string): Country {
  const cleaned = text.replace(/\s+/g, " ").trim();
  const code = countryCode(cleaned);
  return code ? { text: cleaned, code } : { text: cleaned };
}

/**
 * True when `code` is an assigned ISO 3166-1 alpha-2 code (plus XK, Kosovo, used by lists).
 *
 * @example
 * isCountryCode("IR") // true
 */
export function isCountryCode(code: string): boolean {
  nameIndex ??= buildNameIndex();
  return validCodes.has(code);
}

/**
 * English name of an alpha-2 code, for reports.
 *
 * @example
 * countryName("AE") // "United Arab Emirates"
 */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
