import { createHash } from "node:crypto";
import { basename } from "node:path";
import {
  type Address,
  type Country,
  type DateValue,
  type EntitySchema,
  entityId,
  type Identifier,
  type IdentifierType,
  type ListEntityInput,
  type NameForm,
  type NameKind,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
  type Sanction,
} from "../model/index.js";
import { dominantScript } from "./cells.js";
import { csvRows } from "./io.js";
import { type ListParser, type ParseEvent, type SourceBundle, SourceFileError } from "./types.js";

/*
 * EU sanctions as printed in the Official Journal annexes, one CSV per framework act, transcribed cell by
 * cell by OpenSanctions. Columns carry FollowTheMoney property names. One row = one annex entry; a row
 * names a person, company, organisation or vessel, except `Asset` rows (ports, airports, special economic
 * zones, digital currencies), which are not parties and are skipped without an issue.
 *
 * Ids: `eu:<celex>:<annex>:<recordId>`. Annex entries the Journal prints without a number get a derived
 * id `eu:<celex>:<annex>:h-<8 hex>`, the first 32 bits of SHA-256 over `celex|annex|folded name` (see
 * `euDerivedRecordId`), so the id survives re-imports as long as the act, annex and name do.
 *
 * Repeated ids (the same entry printed twice, e.g. by an amending act, or a hash collision): when the
 * two rows name the same party (equal folded name, and birth dates that overlap or are missing on one
 * side) they are merged into one entity, with a `duplicate-record` warning; otherwise the later row is
 * kept apart as `<id>#2`, `#3`... in file order, with a `duplicate-id` warning.
 */

/** The columns of an EU journal annex CSV, in the published order. */
export const EU_JOURNAL_COLUMNS = [
  "celex",
  "recordId",
  "programKey",
  "annex",
  "measure",
  "startDate",
  "reason",
  "schema",
  "name",
  "alias",
  "weakAlias",
  "previousName",
  "country",
  "nationality",
  "jurisdiction",
  "birthDate",
  "birthPlace",
  "position",
  "passportNumber",
  "gender",
  "appearance",
  "ethnicity",
  "fatherName",
  "motherName",
  "incorporationDate",
  "legalForm",
  "sector",
  "registrationNumber",
  "taxNumber",
  "idNumber",
  "innCode",
  "ogrnCode",
  "kppCode",
  "okpoCode",
  "leiCode",
  "swiftBic",
  "ticker",
  "imoNumber",
  "mmsi",
  "flag",
  "address",
  "phone",
  "email",
  "website",
  "notes",
] as const;
export type EuJournalColumn = (typeof EU_JOURNAL_COLUMNS)[number];
type EuRow = Partial<Record<EuJournalColumn, string>>;

const LIST_ID = "eu";
const PARTY_SCHEMAS: ReadonlySet<string> = new Set<EntitySchema>([
  "Person",
  "Company",
  "Organization",
  "LegalEntity",
  "Vessel",
]);
/** Columns only a natural person's row fills: a `LegalEntity` row with one is not read as a body. */
const PERSON_ONLY_COLUMNS: readonly EuJournalColumn[] = [
  "birthDate",
  "birthPlace",
  "gender",
  "passportNumber",
  "position",
  "fatherName",
  "motherName",
];
/** Rows of these schemas name things, not parties: the spec of the `eu` list leaves them out. */
const NON_PARTY_SCHEMAS: ReadonlySet<string> = new Set(["Asset"]);

/**
 * True when the start of a file is an EU journal annex CSV: its header has the `celex`, `annex`,
 * `programKey` and `schema` columns.
 *
 * @example
 * detectEuJournalCsv("celex,recordId,programKey,annex,measure,startDate,reason,schema,name,...") // true
 * detectEuJournalCsv("ent_num,SDN_Name,SDN_Type") // false
 */
export function detectEuJournalCsv(head: string): boolean {
  const firstLine = head.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const columns = new Set(firstLine.split(",").map((cell) => cell.trim().replace(/^"|"$/g, "")));
  return ["celex", "annex", "programKey", "schema", "name"].every((column) => columns.has(column));
}

// ---------------------------------------------------------------------------------------------------
// Scripts

const isLatin = (text: string) => dominantScript(text) === undefined;

// ---------------------------------------------------------------------------------------------------
// Splitting cells

/**
 * Splits on a separator only outside parentheses and double quotes. An unbalanced cell ("(‘Следопыт’")
 * would swallow everything after it, so it falls back to a plain split.
 */
function splitTopLevel(text: string, separator: string): string[] {
  // Parentheses are what matter ("X (Date of birth: ...; place of birth: ...)"); double quotes only
  // when parentheses do not balance. Unbalanced both ways ("(‘Следопыт’"), split plainly.
  return (
    splitOutside(text, separator, true, false) ??
    splitOutside(text, separator, false, true) ??
    text.split(separator)
  );
}

function splitOutside(
  text: string,
  separator: string,
  parens: boolean,
  quotes: boolean,
): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const char of text) {
    if (quotes && char === '"') quoted = !quoted;
    else if (parens && char === "(") depth++;
    else if (parens && char === ")") depth--;
    if (depth < 0) return undefined;
    if (char === separator && depth === 0 && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return depth === 0 && !quoted ? parts : undefined;
}

/**
 * Splits "(a) X, (b) Y", "a) X b) Y", "(i) X, (ii) Y" enumerations, which the Journal uses for several
 * dates, nationalities or addresses in one cell. Markers are one or two letters or a small roman numeral.
 */
function splitEnumerated(text: string): string[] {
  if (!/^\s*"?\s*\(?(?:a|i)\)\s/.test(text) && !/[,;]\s*\((?:[b-z]|[a-z]{2}|[ivx]{1,4})\)/.test(text)) {
    return [text];
  }
  const unquoted = text.replace(/^\s*"|"\s*$/g, "");
  const marker = /(?:^|[\s,;]+)\(?(?:[a-z]{1,2}|[ivx]{1,4})\)(?:[\s,]+|$)/g;
  const parts: string[] = [];
  let start = 0;
  for (const match of unquoted.matchAll(marker)) {
    // Only markers outside parentheses: "X (Date of birth (a) 1979 (b) 1973)" is one name.
    const before = unquoted.slice(0, match.index);
    const depth = (before.match(/\(/g)?.length ?? 0) - (before.match(/\)/g)?.length ?? 0);
    if (depth > 0) continue;
    parts.push(unquoted.slice(start, match.index));
    start = match.index + match[0].length;
  }
  parts.push(unquoted.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

const clean = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^"+|"+$/g, "")
    .trim();

/** Folds a name for the derived id and for duplicate detection: case, accents, quotes and punctuation. */
function foldName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * The native id of an annex entry printed without a number: `h-` and the first 8 hex digits of
 * SHA-256 over `celex|annex|folded name` (case, accents, quotes and punctuation folded away).
 *
 * @example
 * euDerivedRecordId("32002R0881", "I", "Abu Sayyaf Group") // "h-" + 8 hex digits, the same on every import
 */
export function euDerivedRecordId(celex: string, annex: string, name: string): string {
  const digest = createHash("sha256")
    .update(`${celex}|${annex}|${foldName(name)}`)
    .digest("hex");
  return `h-${digest.slice(0, 8)}`;
}

// ---------------------------------------------------------------------------------------------------
// Names

const LANGUAGE_LABEL =
  /\s+(?=(?:Ukrainian|Belarusian|Belarussian|Russian|Rusian|Kazakh|Azerbaijani|Chinese|Korean|Farsi|Persian|Arabic|Georgian|Armenian|Kyrgyz|Uzbek|Tajik|Hebrew)\s*:)/i;
/** Parenthetical remarks that annotate a name rather than spell it. */
const NAME_ANNOTATION =
  /date of birth|place of birth|\bborn\b|\blisted\b|passport|identification|false identity|birth name|presumed|nom de guerre|\bDOB\b|\bPOB\b/i;
const TRAILING_FACTS =
  /[.,;]?\s*\b(?:date of birth|place of birth|DOB\s*:|POB\s*:|nationality\s*:|passport\s*(?:no\.?|number)?\s*:)[\s\S]*$/i;
const FKA_LABEL =
  /^(?:f\.?\s?k\.?\s?a\.?|formerly(?: known as)?|previously(?: known as| listed as)?|former name)$/i;
const JUNK_NAMES = /^(?:text of image)$/i;

interface SplitName {
  full: string;
  kind?: NameKind;
}

/** Removes and returns the top-level parenthetical groups of a name. */
function takeParentheticals(text: string): { outside: string; groups: string[] } {
  const groups: string[] = [];
  let outside = "";
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") {
      if (depth > 0) current += char;
      depth++;
    } else if (char === ")" && depth > 0) {
      depth--;
      if (depth === 0) {
        groups.push(current);
        current = "";
        outside += "\uE000";
      } else current += char;
    } else if (depth > 0) current += char;
    else outside += char;
  }
  if (depth > 0) return { outside: text, groups: [] };
  return { outside, groups };
}

/**
 * Reads one name part of an alias cell into one or more names: strips labels ("aka:", "Russian:"),
 * pulls out forms in another script given in parentheses ("AKSENOV (Сергей ... АКСЁНОВ)"), drops
 * annotations ("(Date of birth: ...)"), and splits " / " alternatives and mixed-script runs.
 */
function readNamePart(part: string, depth = 0): SplitName[] {
  let text = clean(part).replace(/^\(?(?:[a-z]{1,2}|[ivx]{1,4})\)(?:\s+|(?=\p{Lu}))/u, "");
  if (!text) return [];
  // "Иван Сергеевич КУСОВ Ukrainian: Iван Сергійович КУСОВ" is two names (but not inside parentheses).
  const byLanguage = text.split(LANGUAGE_LABEL);
  const balanced = (piece: string) => (piece.match(/\(/g)?.length ?? 0) === (piece.match(/\)/g)?.length ?? 0);
  if (byLanguage.length > 1 && depth < 3 && byLanguage.every(balanced)) {
    return byLanguage.flatMap((piece) => readNamePart(piece, depth + 1));
  }

  let kind: NameKind | undefined;
  const label = text.match(/^([\p{L}.][\p{L} .]{0,24}?)\s*:\s*/u);
  if (label && label[1]!.split(/\s+/).length <= 3) {
    if (FKA_LABEL.test(label[1]!.trim())) kind = "fka";
    text = text.slice(label[0].length);
  }
  const names: SplitName[] = [];
  const { outside, groups } = takeParentheticals(text);
  const outsideText = outside.replace(/\uE000/g, " ");
  let rebuilt = outside;
  for (const group of groups) {
    const afterLabel = group.includes(":") ? group.slice(group.lastIndexOf(":") + 1).trim() : group.trim();
    const differentScript =
      afterLabel && /\p{L}/u.test(outsideText) && isLatin(afterLabel) !== isLatin(outsideText);
    if (differentScript) {
      if (depth < 3)
        names.push(
          ...readNamePart(afterLabel, depth + 1).map((name) => ({ ...name, kind: name.kind ?? kind })),
        );
      rebuilt = rebuilt.replace("\uE000", "");
    } else if (NAME_ANNOTATION.test(group) || /original script|spelling/i.test(group)) {
      rebuilt = rebuilt.replace("\uE000", "");
    } else {
      rebuilt = rebuilt.replace("\uE000", `(${group})`);
    }
  }
  text = clean(rebuilt).replace(/[,;]+$/, "");
  // "Sayf-Al Adl. Date of birth: 11.4.1963. Place of birth: ...": keep the name only.
  const withoutFacts = text.replace(TRAILING_FACTS, "").trim();
  if (withoutFacts) text = withoutFacts;
  if (!text || !/\p{L}/u.test(text) || JUNK_NAMES.test(text)) return names;

  // A nickname printed in quotes ("‘The Butcher of Paoua’") is matched without them.
  const own = splitAlternatives(text)
    .flatMap(splitScriptRuns)
    .map((full) => ({ full: full.replace(/^[‘“]([^‘“’”]+)[’”]$/u, "$1"), kind }));
  return [...own, ...names];
}

/** "Владимир ... ПАВЛЕНКО / Володимир ... ПАВЛЕНКО" is two names; "ARTEMENKO / ARTIOMENKO" is one. */
function splitAlternatives(text: string): string[] {
  const pieces = text.split(/\s+\/\s+/).map((piece) => piece.trim());
  if (pieces.length < 2) return [text];
  if (pieces.every((piece) => piece.split(/\s+/).length >= 2)) return pieces;
  // "... Co. LTD / 北京威旺达电子科技有限责任公司": a Latin and a Han name.
  if (new Set(pieces.map(dominantScript)).size === pieces.length) return pieces;
  return [text];
}

/**
 * "State enterprise ‘Universal-Avia’ Государственное предприятие ‘Универсал-Авиа’" prints the Latin and
 * the Cyrillic names back to back. Split into same-script runs only when every run has three or more
 * words, so a Cyrillic company name with one Latin brand word stays whole.
 */
function splitScriptRuns(text: string): string[] {
  const words = text.split(" ");
  const runs: Array<{ latin: boolean; words: string[] }> = [];
  for (const word of words) {
    const latin = /\p{L}/u.test(word) ? isLatin(word) : (runs.at(-1)?.latin ?? true);
    const last = runs.at(-1);
    if (last && last.latin === latin) last.words.push(word);
    else runs.push({ latin, words: [word] });
  }
  if (runs.length < 2 || runs.some((run) => run.words.length < 3)) return [text];
  return runs.map((run) => run.words.join(" "));
}

/** Reads an alias-type cell (alias, weakAlias, previousName) into names of the given kind. */
function readNameCell(cell: string, kind: NameKind): NameForm[] {
  const forms: NameForm[] = [];
  for (const part of splitTopLevel(cell, ";")) {
    for (const enumerated of splitEnumerated(part)) {
      for (const name of readNamePart(enumerated)) {
        const script = dominantScript(name.full);
        let nameKind = name.kind ?? kind;
        // Latin "aka"s and original-script forms share the alias column; the script tells them apart.
        if (nameKind === "aka" && script) nameKind = "original-script";
        forms.push(
          script ? { full: name.full, kind: nameKind, script } : { full: name.full, kind: nameKind },
        );
      }
    }
  }
  return forms;
}

// ---------------------------------------------------------------------------------------------------
// Dates

const APPROXIMATE = /^(?:approximately|approx\.?|circa|ca\.?|around|about)\s*/i;
const HEDGE = /^(?:probably|possibly|presumably|on or|likely)\s*:?\s*/i;

function normalizeDateText(text: string): string {
  return text
    .replace(/([A-Za-z])\.(\d)/g, "$1. $2") // "8 Oct.1970"
    .replace(/^(\d{1,2})\.(\d{1,2})\.?\s+(\d{4})$/, "$1.$2.$3") // "28.01 1966", "10.8. 1960"
    .replace(/[.,;]+$/, "")
    .trim();
}

/** Parses one alternative: handles "Approximately 1955-1958", "1970 circa", "(presumed)" and hedges. */
function parseOneDate(alternative: string): DateValue | undefined {
  let text = normalizeDateText(alternative.replace(HEDGE, ""));
  let approximate = false;
  if (/\s+(?:circa|presumed)$/i.test(text)) {
    approximate = /circa$/i.test(text);
    text = text.replace(/\s+(?:circa|presumed)$/i, "");
  }
  const direct = parseDateText(text, "dmy");
  if (direct && !approximate) return { ...direct, text: clean(alternative) };
  const inner = parseDateText(text.replace(APPROXIMATE, ""), "dmy");
  if (!inner) return undefined;
  if (inner.kind === "range") return { ...inner, text: clean(alternative) };
  if (inner.kind === "year") {
    const year = Number(inner.from);
    return { text: clean(alternative), kind: "circa", from: String(year - 1), to: String(year + 1) };
  }
  return { text: clean(alternative), kind: "circa", from: inner.from, to: inner.to };
}

interface DateCell {
  dates: DateValue[];
  unread: string[];
  places: string[];
  /** "POB: ...", "Gender: ..." written into the date cell. */
  facts: Array<{ label: string; value: string }>;
}

/**
 * Reads a birth-date cell: several dates separated by ";", " or ", "/" or "(a) ... (b)"; "circa",
 * "Approximately", ranges; Hijri-calendar years are dropped in favour of the Gregorian ones printed beside.
 */
function readDateCell(cell: string): DateCell {
  const result: DateCell = { dates: [], unread: [], places: [], facts: [] };
  let text = clean(cell);
  const labelled = text.split(/\s+(?=(?:POB|Gender|Nationality|Place of birth)\s*:)/i);
  text = labelled[0] ?? "";
  for (const fact of labelled.slice(1)) {
    const match = fact.match(/^([^:]+):\s*(.*)$/);
    if (match) result.facts.push({ label: match[1]!.trim().toLowerCase(), value: match[2]!.trim() });
  }
  text = text
    .replace(/\bon or (around|about)\b/gi, "$1")
    .replace(/[\d.]+\s*\([^)]*hijri[^)]*\)/gi, "")
    .replace(/\(\s*gregorian calendar\s*\)/gi, "");
  const alternatives = splitEnumerated(text)
    .flatMap((part) => splitTopLevel(part, ";"))
    .flatMap((part) => part.split(/\s+or\s+|,\s+(?=\(?\d|circa|approx)|(?<=\d)\s*\/\s*(?=\d)/i));
  for (const raw of alternatives) {
    let alternative = raw.trim();
    if (!alternative || /^(?:N\/?D|unknown|not known)$/i.test(alternative)) continue;
    // Parentheses hold either another date ("(Aug. 1961)", "(probably 1947)") or a remark to drop.
    const { outside, groups } = takeParentheticals(alternative);
    let approximate = false;
    for (const group of groups) {
      if (/^\s*approx/i.test(group)) approximate = true;
      const date = /\d{4}/.test(group) ? parseOneDate(group) : undefined;
      if (date) result.dates.push(date);
    }
    alternative = clean(outside.replace(/\uE000/g, " "));
    if (!alternative) continue;
    if (approximate && !APPROXIMATE.test(alternative)) alternative = `approximately ${alternative}`;
    const date = parseOneDate(alternative);
    if (date) result.dates.push(date);
    // "27.11.1967; Qom, Iran": a place written into the date cell.
    else if (!/\d/.test(alternative) && /\p{L}{3}.*,/u.test(alternative)) result.places.push(alternative);
    else result.unread.push(alternative);
  }
  if (result.dates.length === 0) {
    result.unread.push(...result.places);
    result.places = [];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Countries

/** Reads a nationality or country cell: "(a) Algerian (b) German", "Russian, Swiss", "Italian since 1990". */
function readCountryCell(cell: string): { countries: Country[]; unresolved: string[] } {
  const countries: Country[] = [];
  const unresolved: string[] = [];
  const add = (country: Country) => {
    if (
      !countries.some((known) => (known.code ? known.code === country.code : known.text === country.text))
    ) {
      countries.push(country);
    }
  };
  // "Indonesian. National Identification No.: ..." — the nationality is the first sentence.
  const firstSentence = clean(cell).split(/\.\s+(?=\p{Lu})/u)[0] ?? "";
  const parts = splitEnumerated(firstSentence).flatMap((part) => part.split(/\s*[;,]\s*/));
  for (const raw of parts) {
    const text = raw
      .replace(/\s+since\s+.*$/i, "")
      .replace(/\s+by birth$/i, "")
      .replace(/^(?:possibly|probably|assumed|allegedly|presumably|of the|of)\s+/i, "")
      .replace(/\s+(?:nationality|citizenship)\s+(?!.*\b(?:withdrawn|revoked|lost|renounced)\b).*$/i, "")
      .trim();
    if (!text) continue;
    const whole = normalizeCountry(text);
    if (whole.code) {
      add(whole);
      continue;
    }
    // "Ukrainian and/or Russian", "Syrian/Lebanese"; "Southern Lebanon" as a last resort.
    const pieces = text.split(/\s+and\/or\s+|\s+and\s+|\s*\/\s*/).map((piece) => normalizeCountry(piece));
    const resolved = pieces.filter((piece) => piece.code);
    if (resolved.length > 0 && pieces.length > 1) {
      resolved.forEach(add);
      continue;
    }
    const regional = normalizeCountry(text.replace(/^(?:southern|northern|eastern|western|central)\s+/i, ""));
    if (regional.code) {
      add({ text, code: regional.code });
      continue;
    }
    unresolved.push(text);
    add(whole);
  }
  return { countries, unresolved };
}

/** The country of an address: its last comma part, skipping postcodes, or its first ("Russian Federation, 115230, ..."). */
function addressCountry(full: string): Country | undefined {
  const parts = full
    .replace(/\([^)]*\)/g, " ")
    .split(",")
    .map((part) => part.trim().replace(/[.;]+$/, ""))
    .filter((part) => part && !/^[\d\s-]+$/.test(part));
  for (const candidate of [parts.at(-1), parts[0]]) {
    if (!candidate) continue;
    const stripped = candidate.replace(/^\d[\d\s-]*\s+|\s+\d[\d\s-]*$/g, "").trim();
    const country = normalizeCountry(stripped);
    if (country.code) return country;
  }
  return undefined;
}

function readAddressCell(cell: string): Address[] {
  const addresses: Address[] = [];
  for (const part of splitTopLevel(clean(cell), ";").flatMap(splitEnumerated)) {
    const full = clean(part).replace(/^[,;]+|[,;]+$/g, "");
    if (!full || addresses.some((known) => known.full === full)) continue;
    const country = addressCountry(full);
    addresses.push(country ? { full, country } : { full });
  }
  // "80 Broad Street, Monrovia, Liberia; Liberia": the bare country repeats what the full address says.
  return addresses.filter(
    (address) =>
      !(
        address.country &&
        address.full === address.country.text &&
        addresses.some((other) => other !== address && other.country?.code === address.country?.code)
      ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Identifiers

const IDENTIFIER_COLUMNS: Array<[EuJournalColumn, IdentifierType]> = [
  ["passportNumber", "passport"],
  ["idNumber", "national-id"],
  ["taxNumber", "tax-id"],
  ["innCode", "inn"],
  ["ogrnCode", "ogrn"],
  ["kppCode", "kpp"],
  ["okpoCode", "okpo"],
  ["leiCode", "lei"],
  ["swiftBic", "swift-bic"],
  ["imoNumber", "imo"],
  ["mmsi", "mmsi"],
  ["registrationNumber", "registration-number"],
];

/** A label in or around the value overrides the column: "0055312047 (National ID)" in passportNumber. */
const LABEL_TYPES: Array<[RegExp, IdentifierType]> = [
  [/\bINN\b|ИНН/, "inn"],
  [/\bOGRN\b|ОГРН/, "ogrn"],
  [/\bKPP\b|КПП/, "kpp"],
  [/\bOKPO\b|ОКПО/, "okpo"],
  [/\bIMO\b/, "imo"],
  [/SWIFT|\bBIC\b/, "swift-bic"],
  [/passport/i, "passport"],
  [/national id|identity card|identification|\bID card|civil id|\bnational\b.*\bnumber/i, "national-id"],
  [/\btax\b|\bTIN\b/i, "tax-id"],
  [/\bCR No|\bBRN\b|registration|\bUSCC\b|unified social credit/i, "registration-number"],
];

/** Codes whose spaces are only grouping ("9 102 157 783"), unlike passports ("0804 98883" = series + number). */
const COMPACT_TYPES: ReadonlySet<IdentifierType> = new Set([
  "inn",
  "ogrn",
  "kpp",
  "okpo",
  "imo",
  "mmsi",
  "lei",
  "swift-bic",
]);

const VALUE = "[\\p{L}]{0,3}[ -]?\\d[\\p{L}\\d\\-/.]*(?:\\s\\d{2,}[\\p{L}\\d]*)*";
/** Any token with a digit: "BNSDLA70L14Z352B" (Italian fiscal code), "17-0-431-423-3". */
const TOKEN = /(?<![\p{L}\d])[\p{L}\d][\p{L}\d\-/.]*\d[\p{L}\d\-/.]*/gu;
const digitCount = (text: string) => text.replace(/\D/g, "").length;

function extractIdentifierValue(segment: string, type: IdentifierType): string | undefined {
  const series = segment.match(/series\s+(\S+)\s+No\.?\s*(\S+)/i);
  if (series) return `${series[1]} ${series[2]!.replace(/[,;.]+$/, "")}`;
  const atStart = segment.match(new RegExp(`^${VALUE}`, "u"));
  if (atStart && digitCount(atStart[0]) >= 3) return atStart[0];
  const afterNumberWord = segment.match(new RegExp(`(?:No\\.?|number|N°|№|:)\\s*(${VALUE})`, "iu"));
  if (afterNumberWord && digitCount(afterNumberWord[1]!) >= 3) return afterNumberWord[1];
  const anywhere = segment.match(TOKEN)?.find((token) => digitCount(token) >= 3);
  if (anywhere) return anywhere;
  // SWIFT codes can be letters only; some registration codes carry a single digit.
  const code = segment.match(/\b[A-Z0-9]{8,11}\b/);
  if (type === "swift-bic" && code) return code[0];
  if (/^[A-Z0-9]{8,20}$/.test(segment) && /\d/.test(segment)) return segment;
  return undefined;
}

/**
 * Reads an identifier cell. Cells can hold several values ("7314052448, 7303853921"), labels
 * ("7730239877, KPP 773001001, OKPO 20239393"), notes ("A1037434 (Malian passport issued on ...)") or
 * whole sentences; the value is taken out and the rest kept as the label.
 */
function readIdentifierCell(
  cell: string,
  columnType: IdentifierType,
): { identifiers: Identifier[]; unread: string[] } {
  const identifiers: Identifier[] = [];
  const unread: string[] = [];
  const text = clean(cell)
    .replace(/\s+(?=(?:OKPO|KPP|OGRN|INN|Passport)\s*:?\s*\d)/g, "; ")
    .replace(/^[-–]\s*/, "");
  const segments = splitTopLevel(text, ";")
    .flatMap(splitEnumerated)
    .flatMap((part) =>
      part.split(
        /,\s+(?=[\p{Lu}\d][\p{L}\d]*\s*:?\s*\d|\d)|(?<=[A-Z\d]{4})\s+and\s+(?=[A-Z\d]{4})|(?<=\d)\s+\/\s+(?=\d)/u,
      ),
    );
  for (const raw of segments) {
    const segment = raw.trim().replace(/^[-–,]\s*|[,;]+$/g, "");
    if (!segment) continue;
    const { outside, groups } = takeParentheticals(segment);
    const bare = clean(outside.replace(/\uE000/g, " "));
    const labelText = [bare.replace(new RegExp(VALUE, "u"), ""), ...groups].join(" ");
    let type = columnType;
    for (const [pattern, labelled] of LABEL_TYPES) {
      if (pattern.test(labelText)) {
        type = labelled;
        break;
      }
    }
    const prefixless = bare.replace(
      /^(?:OKPO|KPP|OGRN|INN|IMO|SWIFT(?:\/BIC)?|BIC|Passport(?: No\.?)?)\s*:?\s*/i,
      "",
    );
    let value = extractIdentifierValue(prefixless, type) ?? extractIdentifierValue(segment, type);
    if (!value) {
      unread.push(segment);
      continue;
    }
    value = value.replace(/[.,;:]+$/, "").trim();
    if (COMPACT_TYPES.has(type)) value = value.replace(/\s+/g, "");
    const identifier: Identifier = { type, value };
    if (segment !== value) identifier.label = segment;
    // "482305758073 (Russia)": a parenthesis that is just a country says who issued it.
    const issuer = groups.map((group) => normalizeCountry(group)).find((country) => country.code);
    if (issuer) identifier.country = issuer;
    if (!identifiers.some((known) => known.type === type && known.value === value))
      identifiers.push(identifier);
  }
  return { identifiers, unread };
}

function readContactCell(cell: string, type: "phone" | "email" | "website"): Identifier[] {
  const separator = type === "phone" ? /\s*[;,]\s*(?=\+|\d|\()/ : /\s*[;,\s]\s*/;
  return splitTopLevel(clean(cell), ";")
    .flatMap((part) => part.split(separator))
    .map((value) => value.trim())
    .filter((value) => value.length > 2)
    .map((value) => ({ type, value }));
}

// ---------------------------------------------------------------------------------------------------
// Rows to entities

interface RowContext {
  file: string;
  line: number;
  issues: ParseIssue[];
}

function issue(context: RowContext, code: string, message: string, record?: string, field?: string): void {
  context.issues.push({
    code,
    severity: "warning",
    message,
    file: context.file,
    line: context.line,
    record,
    field,
  });
}

function euDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const date = parseDateText(normalizeDateText(text), "dmy");
  return date?.kind === "exact" ? date.from : undefined;
}

const ATTRIBUTE_COLUMNS: EuJournalColumn[] = [
  "position",
  "appearance",
  "ethnicity",
  "fatherName",
  "motherName",
  "incorporationDate",
  "legalForm",
  "sector",
  "ticker",
  "flag",
];

interface BuiltEntity {
  entity: ListEntityInput & {
    names: NameForm[];
    birthDates: DateValue[];
    birthPlaces: string[];
    nationalities: Country[];
    countries: Country[];
    addresses: Address[];
    identifiers: Identifier[];
    sanctions: Sanction[];
    remarks: string[];
    attributes: Record<string, string[]>;
  };
  foldedName: string;
}

/** Builds the entity of one row; undefined for rows that name no party or no name. */
function rowToEntity(row: EuRow, context: RowContext, fallbackCelex: string): BuiltEntity | undefined {
  const get = (column: EuJournalColumn) => clean(row[column] ?? "");
  const schemaText = get("schema");
  if (NON_PARTY_SCHEMAS.has(schemaText)) return undefined;
  let celex = get("celex");
  if (!celex) {
    celex = fallbackCelex;
    issue(context, "missing-celex", `no celex; taken from the file name (${celex})`, undefined, "celex");
  }
  const annex = get("annex") || "-";
  const name = get("name");
  const recordId = get("recordId");
  const nativeId = `${celex}:${annex}:${recordId || euDerivedRecordId(celex, annex, name)}`;
  const id = entityId(LIST_ID, nativeId);
  if (!name) {
    issue(context, "missing-name", "row has no name; skipped", id, "name");
    return undefined;
  }
  let schema: EntitySchema = "LegalEntity";
  if (schemaText === "LegalEntity") {
    // A `LegalEntity` row is an Organization. The annexes list natural persons apart from "legal
    // persons, entities and bodies", and the transcription types every natural person `Person`: in
    // the bundled snapshot none of its 2,553 `LegalEntity` rows carries a person's facts; they are
    // companies, institutes, banks, armed groups and broadcasters whose kind the act does not say.
    // Left as LegalEntity (a person or an organisation), they were screened against people ("Tom
    // Price" ~ "Press TV"). A row that does carry a person's facts stays LegalEntity, with a
    // warning: a person missed is worse than a false positive.
    const personal = PERSON_ONLY_COLUMNS.filter((column) => get(column));
    if (personal.length === 0) schema = "Organization";
    else
      issue(
        context,
        "legal-entity-with-person-facts",
        `LegalEntity row with a person's ${personal.join(", ")}; kept as LegalEntity (a person or an organisation)`,
        id,
        "schema",
      );
  } else if (PARTY_SCHEMAS.has(schemaText)) schema = schemaText as EntitySchema;
  else issue(context, "unknown-schema", `unknown schema '${schemaText}'; read as LegalEntity`, id, "schema");

  const primaryScript = dominantScript(name);
  const names: NameForm[] = [
    primaryScript ? { full: name, kind: "primary", script: primaryScript } : { full: name, kind: "primary" },
  ];
  const addName = (form: NameForm) => {
    if (!names.some((known) => known.full === form.full)) names.push(form);
  };
  for (const [column, kind] of [
    ["alias", "aka"],
    ["weakAlias", "weak-aka"],
    ["previousName", "fka"],
  ] as const) {
    const cell = get(column);
    if (cell) readNameCell(cell, kind).forEach(addName);
  }

  const birthDates: DateValue[] = [];
  const birthPlaces: string[] = [];
  const extraNationalities: string[] = [];
  let gender = get("gender").toLowerCase().replace(/\.$/, "");
  const birthDateCell = get("birthDate");
  if (birthDateCell) {
    const read = readDateCell(birthDateCell);
    for (const date of read.dates) {
      if (!birthDates.some((known) => known.from === date.from && known.to === date.to))
        birthDates.push(date);
    }
    for (const text of read.unread)
      issue(context, "bad-date", `could not read date '${text}'`, id, "birthDate");
    for (const text of read.places) {
      birthPlaces.push(text);
      issue(
        context,
        "place-in-date",
        `'${text}' in the birth-date cell; read as a place of birth`,
        id,
        "birthDate",
      );
    }
    for (const fact of read.facts) {
      if (/pob|place/.test(fact.label)) birthPlaces.push(fact.value);
      else if (fact.label === "gender" && !gender) gender = fact.value.toLowerCase();
      else if (fact.label === "nationality") extraNationalities.push(fact.value);
    }
  }
  const birthPlace = get("birthPlace");
  if (birthPlace) birthPlaces.unshift(birthPlace);

  const countryField = (column: EuJournalColumn, extra: string[] = []): Country[] => {
    const cells = [get(column), ...extra].filter(Boolean);
    const countries: Country[] = [];
    for (const cell of cells) {
      const read = readCountryCell(cell);
      countries.push(...read.countries);
      for (const text of read.unresolved)
        issue(context, "unknown-country", `unknown country '${text}'`, id, column);
    }
    return countries;
  };
  const nationalities = countryField("nationality", extraNationalities);
  const countries = [...countryField("country"), ...countryField("jurisdiction"), ...countryField("flag")];

  const identifiers: Identifier[] = [];
  for (const [column, type] of IDENTIFIER_COLUMNS) {
    const cell = get(column);
    if (!cell) continue;
    const read = readIdentifierCell(cell, type);
    for (const identifier of read.identifiers) {
      if (!identifiers.some((known) => known.type === identifier.type && known.value === identifier.value)) {
        identifiers.push(identifier);
      }
    }
    for (const text of read.unread)
      issue(context, "bad-identifier", `no identifier in '${text}'`, id, column);
  }
  for (const column of ["email", "website", "phone"] as const) {
    const cell = get(column);
    if (cell) identifiers.push(...readContactCell(cell, column));
  }

  const startDateText = get("startDate");
  const startDate = euDate(startDateText);
  if (startDateText && !startDate) {
    issue(context, "bad-date", `could not read start date '${startDateText}'`, id, "startDate");
  }
  const sanction: Sanction = { program: get("programKey") || undefined, act: celex, annex };
  const measure = get("measure");
  if (measure) sanction.measure = measure;
  if (startDate ?? startDateText) sanction.startDate = startDate ?? startDateText;
  const reason = get("reason");
  if (reason) sanction.reason = reason;
  if (!sanction.program) delete sanction.program;

  const attributes: Record<string, string[]> = {};
  for (const column of ATTRIBUTE_COLUMNS) {
    const cell = get(column);
    if (cell) attributes[column] = [cell];
  }

  let genderValue: "male" | "female" | undefined;
  if (gender === "male" || gender === "female") genderValue = gender;
  else if (gender) issue(context, "bad-gender", `unknown gender '${gender}'`, id, "gender");

  const notes = get("notes");
  const address = get("address");
  const entity: BuiltEntity["entity"] = {
    id,
    listId: LIST_ID,
    nativeId,
    schema,
    name,
    names,
    birthDates,
    birthPlaces,
    nationalities,
    countries,
    addresses: address ? readAddressCell(address) : [],
    identifiers,
    sanctions: [sanction],
    remarks: notes ? [notes] : [],
    attributes,
    raw: { file: context.file, line: context.line, record: row },
  };
  if (genderValue) entity.gender = genderValue;
  if (startDate) entity.listedOn = startDate;
  return { entity, foldedName: foldName(name) };
}

/** Two rows under one id name the same party when their names fold alike and their birth dates agree. */
function sameParty(a: BuiltEntity, b: BuiltEntity): boolean {
  if (a.foldedName !== b.foldedName) return false;
  const datesA = a.entity.birthDates;
  const datesB = b.entity.birthDates;
  if (datesA.length === 0 || datesB.length === 0) return true;
  return datesA.some((x) => datesB.some((y) => x.from <= y.to && y.from <= x.to));
}

function mergeInto(target: BuiltEntity["entity"], source: BuiltEntity["entity"]): void {
  const union = <T>(into: T[], from: T[]) => {
    const seen = new Set(into.map((item) => JSON.stringify(item)));
    for (const item of from) if (!seen.has(JSON.stringify(item))) into.push(item);
  };
  const sourceNames = source.names.map((name) =>
    name.kind === "primary" && name.full !== target.name ? { ...name, kind: "aka" as const } : name,
  );
  union(
    target.names,
    sourceNames.filter((name) => !target.names.some((known) => known.full === name.full)),
  );
  union(target.birthDates, source.birthDates);
  union(target.birthPlaces, source.birthPlaces);
  union(target.nationalities, source.nationalities);
  union(target.countries, source.countries);
  union(target.addresses, source.addresses);
  union(target.identifiers, source.identifiers);
  union(target.sanctions, source.sanctions);
  union(target.remarks, source.remarks);
  for (const [key, values] of Object.entries(source.attributes)) {
    target.attributes[key] = target.attributes[key] ?? [];
    union(target.attributes[key], values);
  }
  target.gender ??= source.gender;
  if (source.listedOn && (!target.listedOn || source.listedOn < target.listedOn))
    target.listedOn = source.listedOn;
  const raw = target.raw as { mergedFrom?: unknown[] };
  raw.mergedFrom = [...(raw.mergedFrom ?? []), source.raw];
}

/**
 * Parses the EU Official Journal annex CSVs (all files of the bundle form the list `eu`). Streams one
 * entity per party row; `Asset` rows are skipped. Oddities (unreadable dates, unknown countries, repeated
 * ids) are warnings naming file, line, record and field; a file without the expected header, or with
 * broken CSV quoting, throws `SourceFileError`.
 *
 * @example
 * for await (const event of parseEuJournalCsv({ format: "eu-journal-csv", listId: "eu", files })) {
 *   if (event.type === "entity") console.log(event.entity.id); // "eu:32023R1529:III.A:1"
 * }
 */
export const parseEuJournalCsv: ListParser = async function* (
  bundle: SourceBundle,
): AsyncGenerator<ParseEvent> {
  const emitted = new Set<string>();
  for (const path of bundle.files) {
    const file = basename(path);
    const fallbackCelex = file.replace(/\.csv$/i, "");
    const pendingIssues: ParseIssue[] = [];
    const onIssue = (found: ParseIssue) => pendingIssues.push(found);
    let header: string[] | undefined;
    // Entities of this file by id, in file order; held until the end of the file so repeats can merge.
    const byId = new Map<string, BuiltEntity[]>();
    for await (const { fields, line } of csvRows(path, { onIssue })) {
      if (!header) {
        header = fields.map((field) => field.trim());
        const missing = ["schema", "name", "annex"].filter((column) => !header!.includes(column));
        if (missing.length > 0) {
          throw new SourceFileError(
            `not an EU journal annex CSV: no ${missing.join(", ")} column`,
            file,
            line,
          );
        }
        continue;
      }
      const context: RowContext = { file, line, issues: pendingIssues };
      if (fields.length !== header.length) {
        issue(context, "column-count", `row has ${fields.length} cells, header has ${header.length}`);
      }
      const row: EuRow = {};
      header.forEach((column, index) => {
        const value = fields[index];
        if (value !== undefined && value !== "") row[column as EuJournalColumn] = value;
      });
      const built = rowToEntity(row, context, fallbackCelex);
      if (built) {
        const baseId = built.entity.id;
        const group = byId.get(baseId) ?? [];
        const same = group.find((known) => sameParty(known, built));
        if (same) {
          mergeInto(same.entity, built.entity);
          issue(context, "duplicate-record", `repeats ${baseId}; merged into it`, baseId, "recordId");
        } else {
          if (group.length > 0 || emitted.has(baseId)) {
            let suffix = Math.max(2, group.length + 1);
            while (emitted.has(`${baseId}#${suffix}`)) suffix++;
            built.entity.id = `${baseId}#${suffix}`;
            built.entity.nativeId = `${built.entity.nativeId}#${suffix}`;
            issue(
              context,
              "duplicate-id",
              `id ${baseId} already used by another party; this row is ${built.entity.id}`,
              built.entity.id,
              "recordId",
            );
          }
          group.push(built);
          byId.set(baseId, group);
        }
      }
      while (pendingIssues.length > 0) yield { type: "issue", issue: pendingIssues.shift()! };
    }
    if (!header) throw new SourceFileError("empty file: no header row", file);
    while (pendingIssues.length > 0) yield { type: "issue", issue: pendingIssues.shift()! };
    for (const group of byId.values()) {
      for (const built of group) {
        emitted.add(built.entity.id);
        yield { type: "entity", entity: built.entity };
      }
    }
  }
};
