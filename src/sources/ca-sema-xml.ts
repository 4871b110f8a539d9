import { basename } from "node:path";
import {
  type Country,
  type DateValue,
  entityId,
  type Identifier,
  type ListEntityInput,
  type NameForm,
  type NameKind,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
  type Sanction,
} from "../model/index.js";
import { cleanText, slugify } from "./cells.js";
import type { ListParser, ParseEvent } from "./types.js";
import { parseXmlListFile, toPlainXml, type XmlNode } from "./xml-stream.js";

/**
 * Tells Canada's consolidated SEMA list from the first kilobytes of a file: a `data-set` root
 * of `record` elements with SEMA's columns. Element names are English in the older file
 * (`Country`) and English-French in the current one (`Country-Pays`).
 *
 * @example
 * detectCaSemaXml('<data-set>\n\t<record>\n\t\t<Country>Burma / Birmanie</Country>') // true
 */
export function detectCaSemaXml(head: string): boolean {
  return (
    /<data-set[\s>]/.test(head) &&
    /<record[\s>]/.test(head) &&
    /<(?:Country|Schedule|Item|LastName|GivenName|Entity|EntityOrShip)(?:-[A-Za-z]+)?[\s>]/.test(head)
  );
}

/** The fields of a record, whichever of the two element naming schemes the file uses. */
const FIELDS = [
  "country",
  "lastName",
  "givenName",
  "entity",
  "aliases",
  "title",
  "imo",
  "dob",
  "schedule",
  "item",
  "listedOn",
] as const;
type Field = (typeof FIELDS)[number];

/**
 * Element name (before any "-French" suffix) → field. The current file names ship columns
 * `EntityOrShip`, `TitleOrShipType`, `ShipIMONumber`, `DateOfBirthOrShipBuildDate`.
 */
const ELEMENT_FIELDS: Record<string, Field> = {
  Country: "country",
  LastName: "lastName",
  GivenName: "givenName",
  Entity: "entity",
  EntityOrShip: "entity",
  Aliases: "aliases",
  Title: "title",
  TitleOrShip: "title",
  TitleOrShipType: "title",
  ShipIMONumber: "imo",
  DateOfBirth: "dob",
  DateOfBirthOrShipBuildDate: "dob",
  Schedule: "schedule",
  Item: "item",
  DateOfListing: "listedOn",
};

/** Elements whose presence marks the file format that can hold ships. */
const SHIP_FORMAT_ELEMENTS = new Set(["EntityOrShip", "TitleOrShip", "TitleOrShipType", "ShipIMONumber"]);

/**
 * Parses Canada's Special Economic Measures Act consolidated list (`data-set/record`): one entity
 * per record. People have `LastName`/`GivenName`, bodies `Entity`, ships an IMO number.
 *
 * The file has no id. The native id is derived from what the regulations themselves cite, the
 * regime (`Country`), schedule and item: `burma:1:17` is item 17 of schedule 1 of the Burma
 * regulations, `russia:1-part-2:15`, `venezuela:na:55` (no schedule, or "N/A"), `jvcfor:1:3` for the
 * Justice for Victims of Corrupt Foreign Officials Regulations. It does not depend on the order of
 * records. The triple is unique in the 1,369 records of the 2019–2020 file; should a later file
 * repeat one, the second and later records get `~2`, `~3`... in file order, with a warning.
 *
 * @example
 * for await (const event of parseCaSemaXml({ format: "ca-sema-xml", listId: "ca-sema", files: ["sema-lmes.xml"] })) {
 *   if (event.type === "entity") console.log(event.entity.id) // "ca-sema:burma:1:1"
 * }
 */
export const parseCaSemaXml: ListParser = async function* parseCaSemaXml(bundle) {
  for (const file of bundle.files) yield* parseCaSemaFile(file, bundle.listId);
};

function parseCaSemaFile(file: string, listId: string): AsyncGenerator<ParseEvent> {
  const fileName = basename(file);
  const seenIds = new Set<string>();
  const reportedElements = new Set<string>();
  return parseXmlListFile(file, {
    title: "a Canada SEMA list",
    root: "data-set",
    isRecord: (path) => path.length === 2 && path[1] === "record",
    buildEntity: (node, issues) =>
      buildCaSemaEntity(node, listId, fileName, issues, seenIds, reportedElements),
  });
}

/** The id part for a regime: the English half of "Burma / Birmanie", or its acronym "(JVCFOR)". */
function regimeSlug(country: string): string {
  const english = country.split(" / ")[0] ?? country;
  const acronym = english.match(/\(([A-Z]{2,})\)\s*$/)?.[1];
  return slugify(acronym ?? english);
}

function buildCaSemaEntity(
  node: XmlNode,
  listId: string,
  file: string,
  issues: ParseIssue[],
  seenIds: Set<string>,
  reportedElements: Set<string>,
): ListEntityInput | undefined {
  const values: Partial<Record<Field, string>> = {};
  let shipFormat = false;
  let record: string | undefined;
  const issue = (code: string, message: string, field?: string, line = node.line) => {
    issues.push({ code, severity: "warning", message, file, line, record, field });
  };
  const unknown: XmlNode[] = [];
  for (const child of node.children) {
    const base = child.name.split("-")[0] ?? child.name;
    const field = ELEMENT_FIELDS[base];
    if (SHIP_FORMAT_ELEMENTS.has(base)) shipFormat = true;
    if (!field) {
      if (!reportedElements.has(child.name)) unknown.push(child);
      continue;
    }
    const text = cleanText(child.text);
    if (text) values[field] = values[field] ? `${values[field]}, ${text}` : text;
  }

  const country = values.country ?? "";
  const schedule = values.schedule ?? "";
  const item = values.item ?? "";
  const lastName = values.lastName ?? "";
  const givenName = values.givenName ?? "";
  const entityName = values.entity ?? "";
  const isPerson = !entityName && Boolean(lastName || givenName);
  const name = isPerson ? [lastName, givenName].filter(Boolean).join(", ") : entityName;

  let nativeId = [
    country ? regimeSlug(country) : "unknown",
    !schedule || /^n\/?a$/i.test(schedule) ? "na" : slugify(schedule),
    item ? slugify(item) : `noitem-${slugify(name) || "unnamed"}`,
  ].join(":");
  if (seenIds.has(nativeId)) {
    let n = 2;
    while (seenIds.has(`${nativeId}~${n}`)) n++;
    record = entityId(listId, nativeId);
    issue("duplicate-id", `Country/Schedule/Item repeats ${nativeId}; stored as ${nativeId}~${n}`, "Item");
    nativeId = `${nativeId}~${n}`;
  }
  seenIds.add(nativeId);
  record = entityId(listId, nativeId);
  for (const child of unknown) {
    reportedElements.add(child.name);
    issue("unknown-field", `element <${child.name}> is not read (first seen here)`, child.name, child.line);
  }
  if (!country) issue("missing-field", "record has no Country", "Country");
  if (!item) issue("missing-field", "record has no Item; id derived from the name", "Item");
  if (!name) {
    issue("missing-name", "record has no name; skipped", "Entity");
    return undefined;
  }

  const isVessel = Boolean(values.imo) || (shipFormat && !isPerson && Boolean(values.title));
  const schema = isPerson ? "Person" : isVessel ? "Vessel" : "Organization";

  const names: NameForm[] = [];
  const addName = (form: NameForm) => {
    const full = cleanText(form.full);
    if (full && !names.some((known) => known.full.toLowerCase() === full.toLowerCase())) {
      names.push({ ...form, full });
    }
  };
  if (isPerson) {
    const parts: NonNullable<NameForm["parts"]> = {};
    if (lastName) parts.last = lastName;
    if (givenName) parts.first = givenName;
    addName({ full: name, kind: "primary", parts });
  } else {
    addName({ full: name, kind: "primary" });
    // "Iranian Army/Armée iranienne": each language's form is a name of its own.
    const halves = splitOutsideParens(name, "/");
    if (halves.length > 1) for (const half of halves) addName({ full: half, kind: "aka" });
  }
  for (const fragment of splitAliases(values.aliases ?? "")) {
    addName(isPerson ? personAlias(fragment, lastName, givenName) : { full: fragment, kind: "aka" });
  }

  const birthDates: DateValue[] = [];
  const attributes: Record<string, string[]> = {};
  if (values.dob) {
    const dates: DateValue[] = [];
    // "1972-08-10 or 1972-08-11": two candidate dates.
    for (const text of values.dob.split(/\s+or\s+|;\s*/)) {
      const date = parseDateText(text);
      if (date) dates.push(date);
      else issue("bad-date", `could not read date '${text}'`, "DateOfBirth");
    }
    if (schema === "Vessel") attributes.buildDate = dates.map((date) => date.text);
    else birthDates.push(...dates);
  }
  if (values.title) attributes[schema === "Vessel" ? "vesselType" : "title"] = [values.title];

  const identifiers: Identifier[] = [];
  if (values.imo) {
    const digits = values.imo.replace(/^IMO\s*:?\s*/i, "");
    identifiers.push(
      digits === values.imo
        ? { type: "imo", value: digits }
        : { type: "imo", value: digits, label: values.imo },
    );
  }

  // Country is the regime the listing is made under; for all but the JVCFOR regulations it names a country.
  const countries: Country[] = [];
  if (country) {
    const resolved = normalizeCountry(country);
    if (resolved.code) countries.push(resolved);
    else if (!/regulations|règlement/i.test(country)) {
      issue("unknown-country", `could not resolve country '${country}'`, "Country");
    }
  }

  let listedOn: string | undefined;
  if (values.listedOn) {
    const date = parseDateText(values.listedOn);
    if (date?.kind === "exact") listedOn = date.from;
    else issue("bad-date", `could not read date of listing '${values.listedOn}'`, "DateOfListing");
  }

  const magnitsky = /corrupt foreign officials/i.test(country);
  const annex = [
    schedule && !/^n\/?a$/i.test(schedule) ? `Schedule ${schedule}` : "",
    item ? `item ${item}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const sanction: Sanction = {
    act: magnitsky ? "Justice for Victims of Corrupt Foreign Officials Act" : "Special Economic Measures Act",
    authority: "Global Affairs Canada",
  };
  if (country) sanction.program = country;
  if (annex) sanction.annex = annex;
  if (listedOn) sanction.startDate = listedOn;

  return {
    id: entityId(listId, nativeId),
    listId,
    nativeId,
    schema,
    name,
    names,
    birthDates,
    birthPlaces: [],
    nationalities: [],
    citizenships: [],
    countries,
    addresses: [],
    identifiers,
    sanctions: [sanction],
    ...(listedOn ? { listedOn } : {}),
    remarks: [],
    links: [],
    attributes,
    raw: toPlainXml(node),
  };
}

/** Splits on `separator` where it is not inside parentheses: "MEC Steel Mills (Hmaw Bi/Pyi/Ywama)" stays whole. */
function splitOutsideParens(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    else if (char === ")") depth = Math.max(0, depth - 1);
    if (char === separator && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** A legal form that follows a comma inside one name: "Technodinamica Holding, JSC", "X, Inc.". */
const LEGAL_FORM_AFTER_COMMA =
  /^(?:inc|ltd|llc|l\.l\.c|co|corp|plc|llp|lp|s\.?a|s\.?a\.?r\.?l|gmbh|ag|b\.?v|n\.?v|pte|pjsc|ojsc|cjsc|jsc|ooo|zao|oao|pao|ao|tov|limited)\.?$/i;

/**
 * Splits SEMA's `Aliases` cell into names. The cell is a comma-separated list, written in English,
 * then " / " and the French list for some bodies ("IRGC, IRG, Sepah-e Pasdaran-e Enghelab-e
 * Eslami/GRI, CGRI, ... et Pasdaran", the French list ending "A, B et C"). A comma followed by a
 * legal form belongs to the name; parentheses protect their content.
 *
 * @example
 * splitAliases("Air Bagan Holdings Pte. Ltd., Air Bagan Limited") // ["Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"]
 * splitAliases("Shvabe Holding, JSC, Shvabe") // ["Shvabe Holding, JSC", "Shvabe"]
 */
export function splitAliases(text: string): string[] {
  const names: string[] = [];
  for (const group of splitOutsideParens(cleanText(text), "/")) {
    const fragments: string[] = [];
    for (const fragment of splitOutsideParens(group, ",")) {
      const previous = fragments.length - 1;
      if (previous >= 0 && LEGAL_FORM_AFTER_COMMA.test(fragment)) fragments[previous] += `, ${fragment}`;
      else fragments.push(fragment);
    }
    const last = fragments.at(-1);
    if (fragments.length > 1 && last?.includes(" et ")) fragments.splice(-1, 1, ...last.split(" et "));
    names.push(...fragments);
  }
  // "(Rosselkhozbank)": a name written in parentheses is still the name.
  return names.map((name) => name.replace(/^\((.*)\)$/, "$1").trim()).filter(Boolean);
}

function isUpperWord(token: string): boolean {
  const letters = token.replace(/[^\p{L}]/gu, "");
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Transliteration-neutral form for comparing spellings: x = ks, y = i, doubled letters once
 * (Alexey/Aleksei, Andrey/Andrei, Gennady/Gennadiy).
 */
function spellingKey(text: string): string {
  return fold(text)
    .replace(/x/g, "ks")
    .replace(/y/g, "i")
    .replace(/(\p{L})\1+/gu, "$1");
}

/** Andrey/Andrei, Evgeny/Yevgeny, Aleksandr/Alexander: one spelling of the other. */
function similarSpelling(a: string, b: string): boolean {
  const [x, y] = [spellingKey(a), spellingKey(b)];
  return editDistance(x, y) <= Math.max(1, Math.floor(0.35 * Math.max(x.length, y.length)));
}

/**
 * Turns one alias of a person into a full name. SEMA often gives only the part that differs from
 * the listed name: another spelling of the given name ("Andrei" for "AKIMOV, Andrey Igorevich"),
 * of the surname in capitals ("PASHENKO" for "PASHCHENKO, Natalya Aleksandrovna"), or both
 * ("Oleksii SALYAYEV"). Those are completed from the listed name. A different name of the same
 * person ("Igor STRELKOV", "Bushra Shawkat") is kept whole; a lone word that is no spelling of the
 * given name is a nickname or call sign ("Motorola", "Givi"), a weak alias.
 *
 * @example
 * personAlias("Andrei", "AKIMOV", "Andrey Igorevich") // { full: "AKIMOV, Andrei Igorevich", kind: "aka", ... }
 * personAlias("Motorola", "PAVLOV", "Arseny") // { full: "Motorola", kind: "weak-aka" }
 */
export function personAlias(alias: string, lastName: string, givenName: string): NameForm {
  const tokens = alias.split(" ").filter(Boolean);
  const givenTokens = givenName.split(" ").filter(Boolean);
  const withGiven = (leading: string[]) =>
    leading.length >= givenTokens.length ? leading : [...leading, ...givenTokens.slice(leading.length)];
  const form = (last: string, given: string[], kind: NameKind = "aka"): NameForm => {
    const first = given.join(" ");
    const parts: NonNullable<NameForm["parts"]> = {};
    if (last) parts.last = last;
    if (first) parts.first = first;
    return { full: [last, first].filter(Boolean).join(", "), kind, parts };
  };

  const upper = tokens.filter(isUpperWord);
  const other = tokens.filter((token) => !isUpperWord(token));
  if (upper.length > 0 && other.length > 0) return form(upper.join(" "), withGiven(other));
  if (upper.length > 0) return form(alias, givenTokens);
  if (lastName && fold(alias).includes(fold(lastName))) return { full: alias, kind: "aka" };
  const isGivenSpelling =
    tokens.length > 0 &&
    tokens.length <= givenTokens.length &&
    tokens.every((token, index) => similarSpelling(token, givenTokens[index] ?? ""));
  if (isGivenSpelling && lastName) return form(lastName, withGiven(tokens));
  return { full: alias, kind: tokens.length === 1 ? "weak-aka" : "aka" };
}
