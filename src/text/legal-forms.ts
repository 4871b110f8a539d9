import { normalizeName } from "./normalize.js";

/**
 * Canonical kinds of legal form. Kinds are as fine as screening needs: "OOO Romashka" and
 * "Romashka LLC" are the same form (llc), an AO is a joint-stock company (jsc) whether closed (ZAO)
 * or open (OAO), and a public one (PAO, PJSC) is pjsc. Forms that have no English equivalent keep
 * their own kind (gmbh, sarl, kft...).
 *
 * @example
 * const kind: LegalFormKind = "llc";
 */
export const LEGAL_FORM_KINDS = [
  "llc",
  "jsc",
  "pjsc",
  "ltd",
  "plc",
  "gmbh",
  "ag",
  "kg",
  "sa",
  "sas",
  "sarl",
  "bv",
  "nv",
  "spa",
  "srl",
  "sro",
  "fze",
  "fzco",
  "fzc",
  "fz-llc",
  "as",
  "ltd-sti",
  "kft",
  "sp-zoo",
  "co-ltd",
  "inc",
  "corp",
  "company",
  "lp",
  "llp",
  "pte-ltd",
  "sdn-bhd",
  "bhd",
  "pvt-ltd",
  "pt",
  "gp",
  "ab",
  "oy",
  "aps",
  "cooperative",
  "state-enterprise",
  "sole-proprietor",
] as const;
export type LegalFormKind = (typeof LEGAL_FORM_KINDS)[number];

/**
 * One legal form kind and the ways it is written. `forms` are as publishers print them (any case,
 * punctuation, script); they are compared after `normalizeName`, so "Co., Ltd.", "CO LTD" and
 * "co. ltd" are one form, and "ООО" equals "OOO".
 */
export interface LegalForm {
  kind: LegalFormKind;
  forms: string[];
  /** ISO 3166-1 alpha-2 codes of the countries where the form is used, when it is national. */
  countries?: string[];
}

/** A legal form found in a name: its kind and the normalised text that matched. */
export interface LegalFormHit {
  kind: LegalFormKind;
  text: string;
}

/**
 * Legal forms across the jurisdictions that matter for export-control screening (Russia and the
 * CIS, Iran, Türkiye, UAE free zones, China and East Asia, EU, US, UK and Commonwealth).
 *
 * @example
 * LEGAL_FORMS.find((f) => f.kind === "llc")?.forms.includes("ООО") // true
 */
export const LEGAL_FORMS: readonly LegalForm[] = [
  {
    kind: "llc",
    forms: [
      "LLC",
      "L.L.C.",
      "Limited Liability Company",
      "Limited Liability Co",
      "OOO",
      "ООО",
      "Общество с ограниченной ответственностью",
      "Obshchestvo s ogranichennoy otvetstvennostyu",
      "Obshchestvo s ogranichennoi otvetstvennostiu",
      "Obshestvo s ogranichennoy otvetstvennostyu",
      "ТОО",
      "TOO",
      "Товарищество с ограниченной ответственностью",
      "ТОВ",
      "TOV",
      "Товариство з обмеженою відповідальністю",
      "Tovarystvo z obmezhenoyu vidpovidalnistyu",
      "ОДО",
      "ODO",
      "MChJ",
      "МЧЖ",
      "LLC FZ",
    ],
    countries: ["US", "RU", "KZ", "UA", "BY", "UZ", "AM", "GE", "KG", "TJ"],
  },
  {
    kind: "jsc",
    forms: [
      "JSC",
      "Joint Stock Company",
      "Joint-Stock Company",
      "Open Joint Stock Company",
      "Closed Joint Stock Company",
      "OJSC",
      "CJSC",
      "AO",
      "АО",
      "ZAO",
      "ЗАО",
      "OAO",
      "ОАО",
      "NAO",
      "НАО",
      "AT",
      "АТ",
      "PrAT",
      "ПрАТ",
      "ZAT",
      "ЗАТ",
      "VAT",
      "ВАТ",
      "Акционерное общество",
      "Aktsionernoe obshchestvo",
      "Aktsionernoye obshchestvo",
      "Закрытое акционерное общество",
      "Zakrytoe aktsionernoe obshchestvo",
      "Открытое акционерное общество",
      "Otkrytoe aktsionernoe obshchestvo",
      "Акціонерне товариство",
      "Zrt",
      "Nyrt",
    ],
    countries: ["RU", "BY", "UA", "KZ", "HU"],
  },
  {
    kind: "pjsc",
    forms: [
      "PJSC",
      "Public Joint Stock Company",
      "Public Joint-Stock Company",
      "PAO",
      "ПАО",
      "PAT",
      "ПАТ",
      "Публичное акционерное общество",
      "Publichnoe aktsionernoe obshchestvo",
      "Publichnoye aktsionernoye obshchestvo",
      "Публічне акціонерне товариство",
      "Sherkat Sahami Am",
    ],
    countries: ["RU", "UA", "IR"],
  },
  { kind: "ltd", forms: ["Ltd", "Ltd.", "Limited", "Ltda", "Ltee", "Private Company Limited by Shares"] },
  { kind: "plc", forms: ["PLC", "P.L.C.", "Public Limited Company"], countries: ["GB", "IE"] },
  {
    kind: "gmbh",
    forms: ["GmbH", "Gesellschaft mit beschränkter Haftung", "Ges.m.b.H.", "mbH", "UG (haftungsbeschränkt)"],
    countries: ["DE", "AT", "CH"],
  },
  { kind: "ag", forms: ["AG", "Aktiengesellschaft"], countries: ["DE", "AT", "CH"] },
  { kind: "kg", forms: ["KG", "GmbH & Co. KG", "Kommanditgesellschaft", "KGaA"], countries: ["DE", "AT"] },
  {
    kind: "sa",
    forms: ["SA", "S.A.", "Société Anonyme", "Sociedad Anónima", "S.A. de C.V.", "SA de CV", "SAL", "S.A.L."],
  },
  { kind: "sas", forms: ["SAS", "S.A.S.", "Société par actions simplifiée"], countries: ["FR", "CO"] },
  {
    kind: "sarl",
    forms: ["SARL", "S.A.R.L.", "S.à r.l.", "Société à responsabilité limitée", "EURL"],
    countries: ["FR", "LU", "LB", "MA", "TN", "DZ"],
  },
  { kind: "bv", forms: ["BV", "B.V.", "Besloten vennootschap"], countries: ["NL", "BE"] },
  { kind: "nv", forms: ["NV", "N.V.", "Naamloze vennootschap"], countries: ["NL", "BE"] },
  { kind: "spa", forms: ["SpA", "S.p.A.", "Società per azioni"], countries: ["IT", "CL"] },
  {
    kind: "srl",
    forms: [
      "SRL",
      "S.R.L.",
      "S.r.l.",
      "Società a responsabilità limitata",
      "Sociedad de Responsabilidad Limitada",
    ],
    countries: ["IT", "RO", "MD", "AR"],
  },
  {
    kind: "sro",
    forms: ["s.r.o.", "spol. s r.o.", "společnost s ručením omezeným"],
    countries: ["CZ", "SK"],
  },
  { kind: "fze", forms: ["FZE", "Free Zone Establishment"], countries: ["AE"] },
  { kind: "fzco", forms: ["FZCO", "FZ Co", "Free Zone Company"], countries: ["AE"] },
  { kind: "fzc", forms: ["FZC"], countries: ["AE"] },
  { kind: "fz-llc", forms: ["FZ-LLC", "FZ LLC", "FZLLC"], countries: ["AE"] },
  {
    kind: "as",
    forms: [
      "A.Ş.",
      "AŞ",
      "Anonim Şirketi",
      "Anonim Şirket",
      "A/S",
      "AS",
      "ASA",
      "Aksjeselskap",
      "Aktieselskab",
    ],
    countries: ["TR", "NO", "DK"],
  },
  {
    kind: "ltd-sti",
    forms: ["Ltd. Şti.", "Ltd Sti", "Şti", "Limited Şirketi", "Limited Şti"],
    countries: ["TR"],
  },
  { kind: "kft", forms: ["Kft", "Kft.", "Korlátolt felelősségű társaság"], countries: ["HU"] },
  {
    kind: "sp-zoo",
    forms: ["Sp. z o.o.", "Sp. z.o.o.", "spółka z ograniczoną odpowiedzialnością"],
    countries: ["PL"],
  },
  {
    kind: "co-ltd",
    forms: [
      "Co., Ltd.",
      "Co. Ltd",
      "Co Limited",
      "Company Limited",
      "有限公司",
      "股份有限公司",
      "有限责任公司",
      "有限責任公司",
      "株式会社",
      "有限会社",
      "Kabushiki Kaisha",
      "KK",
      "Yugen Kaisha",
      "주식회사",
      "유한회사",
      "Chusik Hoesa",
      "Jusik Hoesa",
    ],
    countries: ["CN", "HK", "TW", "JP", "KR"],
  },
  { kind: "inc", forms: ["Inc", "Inc.", "Incorporated"] },
  { kind: "corp", forms: ["Corp", "Corp.", "Corporation"] },
  { kind: "company", forms: ["Co", "Co.", "Company", "Compania", "Companhia", "Cia", "Compagnie", "Cie"] },
  { kind: "lp", forms: ["LP", "L.P.", "Limited Partnership"] },
  { kind: "llp", forms: ["LLP", "L.L.P.", "Limited Liability Partnership"] },
  { kind: "pte-ltd", forms: ["Pte Ltd", "Pte. Ltd.", "Private Limited Company", "Pte"], countries: ["SG"] },
  { kind: "sdn-bhd", forms: ["Sdn Bhd", "Sdn. Bhd.", "Sendirian Berhad"], countries: ["MY"] },
  { kind: "bhd", forms: ["Bhd", "Berhad"], countries: ["MY"] },
  {
    kind: "pvt-ltd",
    forms: ["Pvt Ltd", "Pvt. Ltd.", "Private Limited", "(Pvt) Ltd"],
    countries: ["IN", "PK", "LK"],
  },
  { kind: "pt", forms: ["PT", "P.T.", "Perseroan Terbatas", "Tbk"], countries: ["ID"] },
  { kind: "gp", forms: ["GP", "General Partnership"] },
  { kind: "ab", forms: ["AB", "Aktiebolag"], countries: ["SE"] },
  { kind: "oy", forms: ["Oy", "Oyj", "Osakeyhtiö"], countries: ["FI"] },
  { kind: "aps", forms: ["ApS", "Anpartsselskab"], countries: ["DK"] },
  {
    kind: "cooperative",
    forms: ["Cooperative", "Co-operative", "Co-op", "Coop", "Kooperativ", "SPK", "СПК", "Cooperativa"],
  },
  {
    kind: "state-enterprise",
    forms: [
      "FGUP",
      "ФГУП",
      "Federal State Unitary Enterprise",
      "Федеральное государственное унитарное предприятие",
      "Federalnoe gosudarstvennoe unitarnoe predpriyatie",
      "GUP",
      "ГУП",
      "MUP",
      "МУП",
      "State Unitary Enterprise",
      "Municipal Unitary Enterprise",
      "FKP",
      "ФКП",
      "Federal State-Owned Enterprise",
      "State Enterprise",
      "ДП",
      "Derzhavne pidpryiemstvo",
      "State-Owned Enterprise",
    ],
    countries: ["RU", "UA", "BY"],
  },
  {
    kind: "sole-proprietor",
    forms: ["ИП", "Individual Entrepreneur", "ФОП", "FOP", "IP"],
    countries: ["RU", "UA"],
  },
];

/**
 * Short forms that are also ordinary words or initials ("as", "co", "ip", "at", "spa", "sa"),
 * and the generic words ("limited", "company"): recognised only at the start or end of a name, where
 * legal forms stand. Everything else ("llc", "ooo", "gmbh", "fze"...) is recognised anywhere.
 */
const EDGE_ONLY = new Set([
  "ab",
  "ag",
  "ao",
  "as",
  "asa",
  "at",
  "bv",
  "bhd",
  "cia",
  "cie",
  "co",
  "company",
  "compania",
  "companhia",
  "compagnie",
  "coop",
  "cooperative",
  "corporation",
  "dp",
  "gp",
  "gup",
  "incorporated",
  "ip",
  "kg",
  "kk",
  "limited",
  "lp",
  "ltda",
  "mup",
  "nao",
  "nv",
  "oy",
  "pat",
  "pt",
  "pte",
  "sa",
  "sal",
  "sas",
  "spa",
  "spk",
  "sti",
  "tbk",
  "too",
  "tov",
  "vat",
  "zat",
  "mbh",
  "odo",
  "fop",
  "ltee",
  "oyj",
]);

interface CompiledForm {
  kind: LegalFormKind;
  tokens: string[];
  text: string;
  edgeOnly: boolean;
}

// Compiled once at module load: forms by their first and by their last token, longest first, so a
// lookup is one Map get per position and never compiles a regular expression.
const BY_FIRST = new Map<string, CompiledForm[]>();
const BY_LAST = new Map<string, CompiledForm[]>();
/** Forms that Han/kana/hangul transliteration glues to the name ("...youxiangongsi"). */
const GLUED_SUFFIXES: CompiledForm[] = [];

(() => {
  const seen = new Set<string>();
  for (const form of LEGAL_FORMS) {
    for (const written of form.forms) {
      const text = normalizeName(written);
      if (!text || seen.has(text)) continue;
      seen.add(text);
      const tokens = text.split(" ");
      const edgeOnly = tokens.every((t) => t.length === 1) || (tokens.length === 1 && EDGE_ONLY.has(text));
      const compiled: CompiledForm = { kind: form.kind, tokens, text, edgeOnly };
      for (const [map, key] of [
        [BY_FIRST, tokens[0]!],
        [BY_LAST, tokens.at(-1)!],
      ] as const) {
        const list = map.get(key) ?? [];
        list.push(compiled);
        map.set(key, list);
      }
      if (/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(written)) GLUED_SUFFIXES.push(compiled);
    }
  }
  const longestFirst = (a: CompiledForm, b: CompiledForm) => b.tokens.length - a.tokens.length;
  for (const list of BY_FIRST.values()) list.sort(longestFirst);
  for (const list of BY_LAST.values()) list.sort(longestFirst);
  GLUED_SUFFIXES.sort((a, b) => b.text.length - a.text.length);
})();

const isInitialism = (form: CompiledForm) => form.tokens.every((t) => t.length === 1);

/** "Ivanov A S" ends in initials, not in a Turkish A.Ş.: a name of one word or with other initials. */
function looksLikeInitials(tokens: readonly string[], formStart: number): boolean {
  if (formStart < 2) return true;
  for (let i = 0; i < formStart; i++) if (tokens[i]!.length === 1) return true;
  return false;
}

function matchesAt(tokens: readonly string[], start: number, form: CompiledForm): boolean {
  if (start < 0 || start + form.tokens.length > tokens.length) return false;
  for (let k = 0; k < form.tokens.length; k++) if (tokens[start + k] !== form.tokens[k]) return false;
  return true;
}

/**
 * Splits legal forms off a normalised name (`normalizeName` output). Forms are taken greedily from
 * the end ("romashka co ltd" → co-ltd), then from the start ("ooo romashka"), then distinctive forms
 * in the middle ("romashka llc trading"). Ambiguous short forms ("as", "sa", "co") count only at the
 * edges. A name that is nothing but a legal form ("ao") is left whole, with no hits.
 *
 * @example
 * findLegalForms("ooo romashka") // { rest: "romashka", hits: [{ kind: "llc", text: "ooo" }] }
 * findLegalForms("anglo caribbean co ltd") // { rest: "anglo caribbean", hits: [{ kind: "co-ltd", text: "co ltd" }] }
 * findLegalForms("aselsan elektronik sanayi ve ticaret a s") // hits: [{ kind: "as", text: "a s" }]
 */
export function findLegalForms(normalizedText: string): { rest: string; hits: LegalFormHit[] } {
  if (!normalizedText) return { rest: normalizedText, hits: [] };
  let tokens = normalizedText.split(" ");
  const tail: LegalFormHit[] = [];
  const head: LegalFormHit[] = [];
  const middle: LegalFormHit[] = [];

  // Han/kana/hangul names come out as one glued token: "huaweijishuyouxiangongsi".
  const lastToken = tokens.at(-1)!;
  if (lastToken.length > 6) {
    for (const form of GLUED_SUFFIXES) {
      if (
        lastToken.length > form.text.length &&
        (lastToken.endsWith(form.text) || lastToken.startsWith(form.text))
      ) {
        const rest = lastToken.endsWith(form.text)
          ? lastToken.slice(0, -form.text.length)
          : lastToken.slice(form.text.length);
        tokens = [...tokens.slice(0, -1), rest];
        tail.push({ kind: form.kind, text: form.text });
        break;
      }
    }
  }

  let end = tokens.length;
  let start = 0;
  for (let found = true; found && end - start > 1; ) {
    found = false;
    for (const form of BY_LAST.get(tokens[end - 1]!) ?? []) {
      const at = end - form.tokens.length;
      if (
        at > start &&
        matchesAt(tokens, at, form) &&
        !(isInitialism(form) && looksLikeInitials(tokens, at))
      ) {
        tail.unshift({ kind: form.kind, text: form.text });
        end = at;
        found = true;
        break;
      }
    }
  }
  for (let found = true; found && end - start > 1; ) {
    found = false;
    for (const form of BY_FIRST.get(tokens[start]!) ?? []) {
      if (start + form.tokens.length < end && matchesAt(tokens, start, form) && !isInitialism(form)) {
        head.push({ kind: form.kind, text: form.text });
        start += form.tokens.length;
        found = true;
        break;
      }
    }
  }
  const kept: string[] = [];
  for (let i = start; i < end; i++) {
    let matched: CompiledForm | undefined;
    if (end - start > 1) {
      for (const form of BY_FIRST.get(tokens[i]!) ?? []) {
        if (!form.edgeOnly && i + form.tokens.length <= end && matchesAt(tokens, i, form)) {
          matched = form;
          break;
        }
      }
    }
    if (matched && kept.length + (end - i - matched.tokens.length) > 0) {
      middle.push({ kind: matched.kind, text: matched.text });
      i += matched.tokens.length - 1;
    } else kept.push(tokens[i]!);
  }
  if (kept.length === 0) return { rest: normalizedText, hits: [] };
  return { rest: kept.join(" "), hits: [...head, ...middle, ...tail] };
}

/** A legal form written as an abbreviation that is one slip away from a known one (see `mistypedLegalForm`). */
export interface MistypedLegalForm {
  kind: LegalFormKind;
  /** The legal form's letters as one word ("llc" for "L.LL.C."). */
  word: string;
  /** The name with the abbreviation written as that word ("MABROOOKA TRADING CO llc"). */
  text: string;
  /** The abbreviation as the name wrote it ("L.LL.C."), for the explanation. */
  written: string;
}

/** Letters of the forms short enough to be written as a dotted abbreviation ("llc", "sa", "spa"), by kind. */
const ABBREVIATIONS = new Map<string, LegalFormKind>();
for (const form of LEGAL_FORMS) {
  for (const written of form.forms) {
    const tokens = normalizeName(written).split(" ");
    const letters = tokens.join("");
    if (
      /^[a-z]+$/.test(letters) &&
      letters.length <= 5 &&
      (tokens.length === 1 || tokens.every((t) => t.length === 1))
    )
      if (!ABBREVIATIONS.has(letters)) ABBREVIATIONS.set(letters, form.kind);
  }
}

// A dotted abbreviation closing the name: groups of one or two letters joined by dots ("L.LL.C.",
// "S.AA."), nothing after it but punctuation and spaces.
const TRAILING_DOTTED = /(?<![\p{L}\p{N}.])(\p{L}{1,2}(?:\.\p{L}{1,2})+)\.?[\s\p{P}]*$/u;

/** True when `a` and `b` differ by exactly one insertion, deletion, substitution or adjacent swap. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * A company name that ends in a dotted abbreviation one slip away from a legal form ("MABROOOKA
 * TRADING CO L.LL.C.", "NUUTRISHOP, S.AA."): the kind, and the name with the abbreviation written
 * as one word. Left as it is, the dots break such an abbreviation into stray letters ("l ll c")
 * that count against the name as unexplained words; read as the legal form it was meant to be,
 * written as that form's letters, it weighs and matches what a legal form does. Only
 * abbreviations with a two-letter group, the irregular shape a slip leaves ("LL.C." too: its
 * letters are right, its dots split it), and of three letters or more: a regular initialism
 * ("H.L.P.", one slip from "L.P.") is as likely the company's own name, and the table finds it
 * anyway (`findLegalForms`).
 *
 * @example
 * mistypedLegalForm("NUUTRISHOP, S.AA.") // { kind: "sa", word: "sa", text: "NUUTRISHOP, sa", written: "S.AA." }
 * mistypedLegalForm("NUTRISHOP, S.A.") // undefined: written right
 * mistypedLegalForm("ROMASHKA LL.C.") // { kind: "llc", word: "llc", text: "ROMASHKA llc", written: "LL.C." }
 * mistypedLegalForm("CONSTRUCTORA H.L.P.") // undefined: one letter a dot, a name's own initials
 */
export function mistypedLegalForm(text: string): MistypedLegalForm | undefined {
  if (!text.includes(".")) return undefined;
  const found = TRAILING_DOTTED.exec(text);
  if (!found) return undefined;
  // One letter a dot is how initialisms are written ("H.L.P.", "U.S.A."): a name's own, or a place.
  // A group of two letters among them ("L.LL.C.") is the irregular shape a slip leaves.
  // Only the abbreviation's own groups count: trailing punctuation ("H.L.P.))") is not a group.
  const abbreviation = found[1]!;
  if (!abbreviation.split(".").some((group) => group.length === 2)) return undefined;
  const word = normalizeName(abbreviation).replaceAll(" ", "");
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return undefined;
  const before = text.slice(0, found.index);
  const written = found[0].startsWith(`${abbreviation}.`) ? `${abbreviation}.` : abbreviation;
  const spelt = ABBREVIATIONS.get(word);
  if (spelt) return { kind: spelt, word, text: `${before}${word}`, written };
  for (const [letters, kind] of ABBREVIATIONS)
    if (letters.length >= 2 && oneEditApart(word, letters))
      return { kind, word: letters, text: `${before}${letters}`, written };
  return undefined;
}
