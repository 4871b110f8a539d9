import { basename } from "node:path";
import {
  type Address,
  type Country,
  type DateValue,
  entityId,
  type Identifier,
  type IdentifierType,
  type ListEntityInput,
  type NameForm,
  type NameKind,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
} from "../model/index.js";
import { cleanText, nonLatinScript } from "./cells.js";
import type { ListParser, ParseEvent } from "./types.js";
import { childNodes, childText, parseXmlListFile, toPlainXml, type XmlNode } from "./xml-stream.js";

const ROOT = "CONSOLIDATED_LIST";
const AUTHORITY = "UN Security Council";

/**
 * Tells a UN Security Council consolidated list from the first kilobytes of a file: its root
 * element is `CONSOLIDATED_LIST`, a name no other publisher we read uses.
 *
 * @example
 * detectUnXml('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09Z">') // true
 */
export function detectUnXml(head: string): boolean {
  return /<CONSOLIDATED_LIST[\s>/]/.test(head);
}

/**
 * Alias qualities as the UN writes them. Individuals carry "Good"/"Low" (the UN's own strong and
 * weak aliases), entities "a.k.a."/"f.k.a."; many aliases have an empty quality, read as a.k.a.
 */
const ALIAS_KINDS: Record<string, NameKind> = {
  "": "aka",
  good: "aka",
  "a.k.a.": "aka",
  low: "weak-aka",
  "f.k.a.": "fka",
};

/** Every element the format has (checked on the 2026-02-27 file); others are reported once per file. */
const KNOWN_ELEMENTS = new Set([
  "DATAID",
  "VERSIONNUM",
  "FIRST_NAME",
  "SECOND_NAME",
  "THIRD_NAME",
  "FOURTH_NAME",
  "UN_LIST_TYPE",
  "REFERENCE_NUMBER",
  "LISTED_ON",
  "GENDER",
  "COMMENTS1",
  "NATIONALITY",
  "LIST_TYPE",
  "LAST_DAY_UPDATED",
  "INDIVIDUAL_ALIAS",
  "ENTITY_ALIAS",
  "INDIVIDUAL_ADDRESS",
  "ENTITY_ADDRESS",
  "INDIVIDUAL_DATE_OF_BIRTH",
  "INDIVIDUAL_PLACE_OF_BIRTH",
  "INDIVIDUAL_DOCUMENT",
  "SORT_KEY",
  "SORT_KEY_LAST_MOD",
  "DESIGNATION",
  "TITLE",
  "NAME_ORIGINAL_SCRIPT",
]);

/**
 * Parses the UN Security Council consolidated list XML: one Person per `INDIVIDUAL`, one
 * Organization per `ENTITY`, id `un:<REFERENCE_NUMBER>`, and the root's `dateGenerated` as the
 * publication date.
 *
 * @example
 * for await (const event of parseUnXml({ format: "un-xml", listId: "un", files: ["consolidated.xml"] })) {
 *   if (event.type === "entity") console.log(event.entity.id) // "un:CDi.001"
 * }
 */
export const parseUnXml: ListParser = async function* parseUnXml(bundle) {
  for (const file of bundle.files) yield* parseUnFile(file, bundle.listId);
};

function parseUnFile(file: string, listId: string): AsyncGenerator<ParseEvent> {
  const fileName = basename(file);
  const seenIds = new Set<string>();
  const reportedElements = new Set<string>();
  return parseXmlListFile(file, {
    title: "a UN consolidated list",
    root: ROOT,
    isRecord: (path) => path.length === 3 && (path[2] === "INDIVIDUAL" || path[2] === "ENTITY"),
    onRoot: (attributes, line) => {
      const generated = attributes.dateGenerated ?? "";
      const day = generated.match(/^(\d{4}-\d{2}-\d{2})/)?.[1];
      if (day) return [{ type: "meta", publishedAt: day, listId }];
      return [
        {
          type: "issue",
          issue: {
            code: "bad-date",
            severity: "warning",
            message: `no usable dateGenerated on <${ROOT}>: '${generated}'`,
            file: fileName,
            line,
            field: "dateGenerated",
          },
        },
      ];
    },
    buildEntity: (node, issues) => buildUnEntity(node, listId, fileName, issues, seenIds, reportedElements),
  });
}

/** Collects name forms without repeating one already present (case-insensitive). */
class NameList {
  readonly forms: NameForm[] = [];
  private readonly seen = new Set<string>();

  add(full: string, kind: NameKind): void {
    // '"The Base"': quotes around a whole name are not part of it.
    const cleaned = cleanText(full).replace(/^["“”](.+)["“”]$/, "$1");
    const key = cleaned.toLowerCase();
    if (!cleaned || this.seen.has(key)) return;
    this.seen.add(key);
    const script = nonLatinScript(cleaned);
    this.forms.push(script ? { full: cleaned, kind, script } : { full: cleaned, kind });
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function buildUnEntity(
  node: XmlNode,
  listId: string,
  file: string,
  issues: ParseIssue[],
  seenIds: Set<string>,
  reportedElements: Set<string>,
): ListEntityInput | undefined {
  const isPerson = node.name === "INDIVIDUAL";
  const reference = childText(node, "REFERENCE_NUMBER");
  let record = reference ? entityId(listId, reference) : undefined;
  const issue = (code: string, message: string, field?: string, line = node.line) => {
    // One record repeats a country in its nationality, addresses and documents: say it once.
    if (issues.some((known) => known.code === code && known.message === message)) return;
    issues.push({ code, severity: "warning", message, file, line, record, field });
  };

  for (const child of node.children) {
    if (!KNOWN_ELEMENTS.has(child.name) && !reportedElements.has(child.name)) {
      reportedElements.add(child.name);
      issue("unknown-field", `element <${child.name}> is not read (first seen here)`, child.name, child.line);
    }
  }

  // REFERENCE_NUMBER is the id the UN publishes and cites; DATAID is its internal row id,
  // stable too, and the only fallback that does not depend on file order.
  let nativeId = reference;
  if (!nativeId) {
    const dataId = childText(node, "DATAID");
    if (!dataId) {
      issue("missing-id", "record has neither REFERENCE_NUMBER nor DATAID; skipped", "REFERENCE_NUMBER");
      return undefined;
    }
    nativeId = `DATAID-${dataId}`;
    record = entityId(listId, nativeId);
    issue(
      "missing-id",
      `record has no REFERENCE_NUMBER; id derived from DATAID ${dataId}`,
      "REFERENCE_NUMBER",
    );
  }
  if (seenIds.has(nativeId)) {
    let n = 2;
    while (seenIds.has(`${nativeId}~${n}`)) n++;
    issue(
      "duplicate-id",
      `REFERENCE_NUMBER ${nativeId} repeats an earlier record; stored as ${nativeId}~${n}`,
    );
    nativeId = `${nativeId}~${n}`;
    record = entityId(listId, nativeId);
  }
  seenIds.add(nativeId);

  const name = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
    .map((part) => childText(node, part))
    .filter(Boolean)
    .join(" ");
  if (!name) {
    issue("missing-name", "record has no name; skipped", "FIRST_NAME");
    return undefined;
  }

  const names = new NameList();
  names.add(name, "primary");
  for (const original of childNodes(node, "NAME_ORIGINAL_SCRIPT"))
    names.add(original.text, "original-script");

  const birthDates: DateValue[] = [];
  const addBirthDate = (date: DateValue) => {
    if (
      !birthDates.some(
        (known) => known.from === date.from && known.to === date.to && known.kind === date.kind,
      )
    ) {
      birthDates.push(date);
    }
  };
  const birthPlaces: string[] = [];
  const addBirthPlace = (place: string) => {
    if (place && !birthPlaces.includes(place)) birthPlaces.push(place);
  };

  for (const element of childNodes(node, "INDIVIDUAL_DATE_OF_BIRTH")) {
    const result = readUnBirthDate(element);
    if (result === undefined) continue;
    if (typeof result === "string") issue("bad-date", result, "INDIVIDUAL_DATE_OF_BIRTH", element.line);
    else addBirthDate(result);
  }

  for (const element of childNodes(node, "INDIVIDUAL_PLACE_OF_BIRTH")) {
    addBirthPlace(
      ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"]
        .map((part) => childText(element, part))
        .filter(Boolean)
        .join(", "),
    );
  }

  for (const alias of [...childNodes(node, "INDIVIDUAL_ALIAS"), ...childNodes(node, "ENTITY_ALIAS")]) {
    const aliasName = childText(alias, "ALIAS_NAME");
    const quality = childText(alias, "QUALITY");
    if (!aliasName) {
      if (quality) issue("empty-alias", `alias of quality '${quality}' has no name`, alias.name, alias.line);
      continue;
    }
    let kind = ALIAS_KINDS[quality.toLowerCase()];
    if (!kind) {
      issue("unknown-alias-quality", `alias quality '${quality}' read as a.k.a.`, "QUALITY", alias.line);
      kind = "aka";
    }
    names.add(aliasName, kind);
    // The UN puts the original-script form of some aliases in the note: "original script: Абу Банат",
    // "Previously listed as. In Arabic: رياض محمد حسن محمد الحجازي".
    const note = childText(alias, "NOTE");
    const original = note.match(/(?:original script|in arabic(?: script)?)\s*:\s*(.+)$/i)?.[1];
    if (original && nonLatinScript(original)) names.add(original, "original-script");
    // Dates and places of birth given with an alias are ones the person used: screen on them too.
    const aliasBirth = childText(alias, "DATE_OF_BIRTH");
    if (aliasBirth) {
      const date = parseDateText(aliasBirth);
      if (date) addBirthDate(date);
      else
        issue("bad-date", `could not read alias date of birth '${aliasBirth}'`, "DATE_OF_BIRTH", alias.line);
    }
    addBirthPlace(
      [childText(alias, "CITY_OF_BIRTH"), childText(alias, "COUNTRY_OF_BIRTH")].filter(Boolean).join(", "),
    );
  }

  const readCountry = (text: string, field: string, line: number): Country => {
    const country = normalizeCountry(text);
    if (!country.code) issue("unknown-country", `could not resolve country '${text}'`, field, line);
    return country;
  };

  const nationalities: Country[] = [];
  for (const nationality of childNodes(node, "NATIONALITY")) {
    for (const value of childNodes(nationality, "VALUE")) {
      const text = cleanText(value.text);
      // "na" is the UN's "not available", not Namibia.
      if (!text || /^n\/?a$/i.test(text)) continue;
      const country = readCountry(text, "NATIONALITY", value.line);
      if (!nationalities.some((known) => sameCountry(known, country))) nationalities.push(country);
    }
  }

  const addresses: Address[] = [];
  const countries: Country[] = [];
  for (const element of [...childNodes(node, "INDIVIDUAL_ADDRESS"), ...childNodes(node, "ENTITY_ADDRESS")]) {
    const street = childText(element, "STREET");
    const city = childText(element, "CITY");
    const region = childText(element, "STATE_PROVINCE");
    const postalCode = childText(element, "ZIP_CODE");
    const countryText = childText(element, "COUNTRY");
    const note = childText(element, "NOTE");
    // The UN sometimes repeats the country in NOTE: print each part once.
    const full = [...new Set([street, city, region, postalCode, countryText, note].filter(Boolean))].join(
      ", ",
    );
    if (!full) continue;
    const address: Address = { full };
    if (street) address.street = street;
    if (city) address.city = city;
    if (region) address.region = region;
    if (postalCode) address.postalCode = postalCode;
    if (countryText) {
      address.country = readCountry(countryText, "COUNTRY", element.line);
      if (!countries.some((known) => sameCountry(known, address.country!))) countries.push(address.country);
    }
    addresses.push(address);
  }

  const identifiers: Identifier[] = [];
  for (const element of childNodes(node, "INDIVIDUAL_DOCUMENT")) {
    const identifier = readUnDocument(element, (text, field) => readCountry(text, field, element.line));
    if (identifier === undefined) continue;
    if (typeof identifier === "string") issue("missing-document-number", identifier, "NUMBER", element.line);
    else identifiers.push(identifier);
  }

  const listedOn = childText(node, "LISTED_ON");
  // xs:date may carry a time zone: "2015-04-07-04:00" is 7 April 2015.
  const listedDay = listedOn.match(/^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/)?.[1];
  if (listedOn && !listedDay) issue("bad-date", `could not read LISTED_ON '${listedOn}'`, "LISTED_ON");
  const program = childText(node, "UN_LIST_TYPE");

  let gender: ListEntityInput["gender"];
  const genderText = childText(node, "GENDER");
  if (/^male$/i.test(genderText)) gender = "male";
  else if (/^female$/i.test(genderText)) gender = "female";
  else if (genderText) issue("unknown-gender", `gender '${genderText}' not recognised`, "GENDER");

  const attributes: Record<string, string[]> = {};
  const values = (element: string) =>
    childNodes(node, element).flatMap((holder) =>
      childNodes(holder, "VALUE")
        .map((value) => cleanText(value.text))
        .filter(Boolean),
    );
  const titles = values("TITLE");
  if (titles.length) attributes.title = titles;
  const positions = values("DESIGNATION");
  if (positions.length) attributes.position = positions;
  const updates = values("LAST_DAY_UPDATED").filter((day) => ISO_DAY.test(day));
  if (updates.length) attributes.modifiedAt = [updates.sort().at(-1)!];

  const remarks = childNodes(node, "COMMENTS1")
    .map((comment) => cleanText(comment.text))
    .filter(Boolean);

  return {
    id: entityId(listId, nativeId),
    listId,
    nativeId,
    schema: isPerson ? "Person" : "Organization",
    name,
    names: names.forms,
    ...(gender ? { gender } : {}),
    birthDates,
    birthPlaces,
    nationalities,
    citizenships: [],
    countries,
    addresses,
    identifiers,
    sanctions: [
      {
        ...(program ? { program } : {}),
        authority: AUTHORITY,
        ...(listedDay ? { startDate: listedDay } : {}),
      },
    ],
    ...(listedDay ? { listedOn: listedDay } : {}),
    remarks,
    links: [],
    attributes,
    raw: toPlainXml(node),
  };
}

function sameCountry(a: Country, b: Country): boolean {
  return a.code && b.code ? a.code === b.code : a.text.toLowerCase() === b.text.toLowerCase();
}

/**
 * Reads one `INDIVIDUAL_DATE_OF_BIRTH`: a DateValue, undefined for an empty element (the UN
 * writes one for people with no known date), or a message for the parse issue.
 *
 * Shapes in the file: EXACT with DATE or YEAR; APPROXIMATELY with DATE or YEAR (read as one
 * year either side, like "circa"); BETWEEN with FROM_YEAR/TO_YEAR; and a few with the date only
 * in NOTE ("Nov. 1973") or a month in NOTE beside YEAR ("Sep." + 1958).
 */
function readUnBirthDate(element: XmlNode): DateValue | string | undefined {
  const type = childText(element, "TYPE_OF_DATE").toUpperCase();
  const date = childText(element, "DATE");
  const year = childText(element, "YEAR");
  const fromYear = childText(element, "FROM_YEAR");
  const toYear = childText(element, "TO_YEAR");
  const note = childText(element, "NOTE");
  if (!date && !year && !fromYear && !toYear && !note) return undefined;
  const shown = [type, date, year, fromYear && toYear ? `${fromYear}-${toYear}` : fromYear || toYear, note]
    .filter(Boolean)
    .join(" ");

  if (fromYear || toYear) {
    if (/^\d{4}$/.test(fromYear) && /^\d{4}$/.test(toYear) && fromYear <= toYear) {
      const approximate = /approx/i.test(note) ? "approximately " : "";
      return { text: `${approximate}${fromYear} to ${toYear}`, kind: "range", from: fromYear, to: toYear };
    }
    return `could not read date of birth range '${shown}'`;
  }

  let value: DateValue | undefined;
  if (date) value = parseDateText(date);
  else if (year) {
    // A month name in NOTE refines the year: YEAR 1958 + NOTE "Sep." is Sep. 1958.
    const refined = note ? parseDateText(`${note} ${year}`) : undefined;
    value = refined?.from.startsWith(year) ? refined : parseDateText(year);
  } else value = parseDateText(note);
  if (!value) return `could not read date of birth '${shown}'`;
  if (type === "APPROXIMATELY") return parseDateText(`approximately ${value.text}`) ?? value;
  return value;
}

/**
 * Classifies a document from a description of it, or undefined when the text does not say.
 * The UN's TYPE_OF_DOCUMENT is a short closed list; TYPE_OF_DOCUMENT2, or words the UN wrote into
 * NUMBER or NOTE, say what the document really is ("CAR diplomatic passport no. D00000898",
 * "Counterfeit Danish driving licence number 20645897", "Italian Fiscal Code: ...").
 */
function documentTypeOf(text: string): IdentifierType | undefined {
  if (!text) return undefined;
  if (
    /^other\b|military|serviceman|fardc|birth cert|\bration\b|driv|licen[cs]e|voter|student|residen|certificate/i.test(
      text,
    )
  ) {
    return "other";
  }
  if (/pass(?:port|eport)|pasaporte/i.test(text)) return "passport";
  if (/fiscal code|\btax\b/i.test(text)) return "tax-id";
  if (/national|identity|identification|\bid\b|tazkira|social security|\bssn\b|civil/i.test(text))
    return "national-id";
  return undefined;
}

/** A document number: an optional short letter prefix ("L 191609", "DE- 473900"), then a code with a digit. */
const DOCUMENT_CODE = "(?:[A-Z]{1,3}[- ]{1,2})?[A-Z0-9/-]*\\d[A-Z0-9/-]*";
/** A number the UN left in a note or the type text: "passport number L 191609 issued on...", "SSN 156-92-9858". */
const NUMBER_IN_TEXT = new RegExp(
  `(?:^|\\b(?:number|no\\.?|ssn|code|card)\\s*:?\\s*)(${DOCUMENT_CODE})`,
  "i",
);
/** The code at the end of a NUMBER cell that also describes the document: "Libyan passport No. 513519". */
const CODE_AT_END = new RegExp(`(${DOCUMENT_CODE})\\s*$`);

function readUnDocument(
  element: XmlNode,
  readCountry: (text: string, field: string) => Country,
): Identifier | string | undefined {
  const type1 = childText(element, "TYPE_OF_DOCUMENT");
  const type2 = childText(element, "TYPE_OF_DOCUMENT2");
  const note = childText(element, "NOTE");
  const issued = childText(element, "DATE_OF_ISSUE");
  const city = childText(element, "CITY_OF_ISSUE");
  const countryField = childText(element, "ISSUING_COUNTRY") ? "ISSUING_COUNTRY" : "COUNTRY_OF_ISSUE";
  const countryText = childText(element, countryField);
  const numberCell = childText(element, "NUMBER");
  if (!numberCell && !type1 && !type2 && !note && !countryText) return undefined;

  let number = numberCell;
  // The text the number was found in, when it also describes the document.
  let described = "";
  if (/[a-z]{2,}/.test(numberCell)) {
    const code = numberCell.match(CODE_AT_END)?.[1];
    if (code) [number, described] = [code.trim(), numberCell];
  }
  if (!number) {
    for (const text of [type2, note]) {
      const code = text.match(NUMBER_IN_TEXT)?.[1]?.trim();
      if (code) {
        [number, described] = [code, text];
        break;
      }
    }
  }
  if (!number) return `document '${[type1, type2, note].filter(Boolean).join("; ")}' has no number`;

  // TYPE_OF_DOCUMENT2 of only "number:" says nothing about the document.
  const precise = /[a-z]{3,}/i.test(type2.replace(/\bnumber\b|\bno\b/gi, "")) ? type2 : "";
  // A note naming a fiscal code refines the UN's catch-all "National Identification Number".
  const noteSaysTax = documentTypeOf(note) === "tax-id" ? "tax-id" : undefined;
  const type =
    documentTypeOf(precise) ?? documentTypeOf(described) ?? noteSaysTax ?? documentTypeOf(type1) ?? "other";
  const label = [
    type2 ? `${type1} (${type2})` : type1,
    described === numberCell ? numberCell : "",
    issued ? `issued ${issued}` : "",
    city ? `in ${city}` : "",
    note,
  ]
    .filter(Boolean)
    .join("; ");
  const identifier: Identifier = { type, value: number };
  if (countryText) identifier.country = readCountry(countryText, countryField);
  if (label) identifier.label = label;
  return identifier;
}
