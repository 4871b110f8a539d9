/**
 * International calling codes (ITU-T E.164 country codes) by ISO 3166-1 alpha-2, for the
 * "phone country code does not match the address" red flag (FinCEN/BIS FIN-2023-NTC2).
 * Countries that share a code share it here too: +1 (the North American Numbering Plan), +7
 * (Russia and Kazakhstan, told apart by the next digit), +44 (UK and the Crown Dependencies).
 */
const CALLING_CODES_BY_COUNTRY: Record<string, string> = {
  US: "1",
  CA: "1",
  PR: "1",
  BS: "1",
  BB: "1",
  JM: "1",
  TT: "1",
  DO: "1",
  AG: "1",
  BM: "1",
  KY: "1",
  VG: "1",
  RU: "7",
  KZ: "7",
  EG: "20",
  ZA: "27",
  GR: "30",
  NL: "31",
  BE: "32",
  FR: "33",
  ES: "34",
  HU: "36",
  IT: "39",
  RO: "40",
  CH: "41",
  AT: "43",
  GB: "44",
  GG: "44",
  JE: "44",
  IM: "44",
  DK: "45",
  SE: "46",
  NO: "47",
  PL: "48",
  DE: "49",
  PE: "51",
  MX: "52",
  CU: "53",
  AR: "54",
  BR: "55",
  CL: "56",
  CO: "57",
  VE: "58",
  MY: "60",
  AU: "61",
  ID: "62",
  PH: "63",
  NZ: "64",
  SG: "65",
  TH: "66",
  JP: "81",
  KR: "82",
  VN: "84",
  CN: "86",
  TR: "90",
  IN: "91",
  PK: "92",
  AF: "93",
  LK: "94",
  MM: "95",
  IR: "98",
  MA: "212",
  DZ: "213",
  TN: "216",
  LY: "218",
  NG: "234",
  ET: "251",
  KE: "254",
  TZ: "255",
  PT: "351",
  LU: "352",
  IE: "353",
  IS: "354",
  AL: "355",
  MT: "356",
  CY: "357",
  FI: "358",
  BG: "359",
  LT: "370",
  LV: "371",
  EE: "372",
  MD: "373",
  AM: "374",
  BY: "375",
  UA: "380",
  RS: "381",
  ME: "382",
  XK: "383",
  HR: "385",
  SI: "386",
  BA: "387",
  MK: "389",
  CZ: "420",
  SK: "421",
  LI: "423",
  NI: "505",
  CR: "506",
  PA: "507",
  KP: "850",
  HK: "852",
  MO: "853",
  KH: "855",
  LA: "856",
  BD: "880",
  TW: "886",
  LB: "961",
  JO: "962",
  SY: "963",
  IQ: "964",
  KW: "965",
  SA: "966",
  YE: "967",
  OM: "968",
  PS: "970",
  AE: "971",
  IL: "972",
  BH: "973",
  QA: "974",
  MN: "976",
  NP: "977",
  TJ: "992",
  TM: "993",
  AZ: "994",
  GE: "995",
  KG: "996",
  UZ: "998",
};

const KNOWN_CODES = new Set(Object.values(CALLING_CODES_BY_COUNTRY));

/**
 * The calling code of a country, or undefined when the table does not know it.
 *
 * @example
 * callingCodeOf("AE") // "971"
 */
export function callingCodeOf(country: string): string | undefined {
  // Own keys only: "constructor" is not a country.
  return Object.hasOwn(CALLING_CODES_BY_COUNTRY, country) ? CALLING_CODES_BY_COUNTRY[country] : undefined;
}

/**
 * Reads the calling code of an international phone number ("+971 4 555 0101", "00 7 495 ...").
 * A number without `+` or `00` is national and says nothing about its country: undefined.
 *
 * @example
 * phoneCallingCode("+7 (495) 123-45-67") // { code: "7", countries: ["RU"] }
 * phoneCallingCode("+7 727 250 0000")    // { code: "7", countries: ["KZ"] }
 * phoneCallingCode("040 123 456")        // undefined
 */
export function phoneCallingCode(phone: string): { code: string; countries: string[] } | undefined {
  const compact = phone.replace(/[\s().\-/]/g, "");
  const match = compact.match(/^(?:\+|00)(\d{4,})/);
  if (!match) return undefined;
  const digits = match[1]!;
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    if (!KNOWN_CODES.has(code)) continue;
    let countries = Object.entries(CALLING_CODES_BY_COUNTRY)
      .filter(([, c]) => c === code)
      .map(([country]) => country);
    // Kazakhstan numbers are +7 6xx / +7 7xx; the rest of +7 is Russia.
    if (code === "7") countries = /^[67]/.test(digits.slice(1)) ? ["KZ"] : ["RU"];
    return { code, countries };
  }
  return undefined;
}
