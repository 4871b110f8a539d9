import { basename } from "node:path";
import {
  type Address,
  type Country,
  type EntityLink,
  type EntitySchema,
  entityId,
  type Identifier,
  type IdentifierType,
  type ListEntityInput,
  type NameForm,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
  type Sanction,
} from "../model/index.js";
import { guessPartySchema, shortHash } from "./bis-dpl.js";
import { cleanText, slugify } from "./cells.js";
import { headedCsvRows } from "./io.js";
import type { ListParser, ParseEvent } from "./types.js";

/**
 * US Consolidated Screening List (trade.gov) CSV: one row per record of eleven US lists (SDN,
 * SSI, Entity List, DPL, Unverified List, ITAR debarred, ISN...). Each row is one entity and keeps
 * its underlying list in `sanction.sourceList`.
 */

const LIST_ID = "us-csl";

const REQUIRED_COLUMNS = [
  "source",
  "entity_number",
  "type",
  "programs",
  "name",
  "addresses",
  "alt_names",
  "ids",
] as const;

const SCHEMA_OF_TYPE: Record<string, EntitySchema> = {
  individual: "Person",
  entity: "Organization",
  vessel: "Vessel",
  aircraft: "Aircraft",
};

/** Plain columns kept as FollowTheMoney-named attributes. */
const ATTRIBUTE_COLUMNS: Record<string, string> = {
  title: "position",
  call_sign: "callSign",
  vessel_type: "vesselType",
  gross_tonnage: "tonnage",
  gross_registered_tonnage: "grossRegisteredTonnage",
  vessel_flag: "flag",
  vessel_owner: "owner",
  standard_order: "standardOrder",
  license_requirement: "licenseRequirement",
  license_policy: "licensePolicy",
  source_list_url: "sourceListUrl",
  source_information_url: "sourceUrl",
};

/** The `ids` column's labels (as OFAC prints them), lower-cased, to identifier types. */
const IDENTIFIER_LABELS: Record<string, IdentifierType> = {
  passport: "passport",
  "national id no.": "national-id",
  "cedula no.": "national-id",
  "tax id no.": "tax-id",
  "nit #": "tax-id",
  "ruc #": "tax-id",
  rfc: "tax-id",
  "registration id": "registration-number",
  "registration number": "registration-number",
  "company number": "registration-number",
  "commercial registry number": "registration-number",
  "matricula mercantil no": "registration-number",
  "business registration document #": "registration-number",
  "vessel registration identification": "imo",
  mmsi: "mmsi",
  "swift/bic": "swift-bic",
  website: "website",
  "email address": "email",
  "phone number": "phone",
  "legal entity number": "lei",
  "aircraft tail number": "aircraft-registration",
  "aircraft manufacturer's serial number (msn)": "aircraft-serial",
};

/** Labels of `ids` groups that carry a vessel's flags rather than an identifier. */
const FLAG_LABELS: Record<string, string> = {
  "vessel flag": "flag",
  "former vessel flag": "pastFlags",
};

/** What one `ids` group ("RU, 1137746390572, Registration ID") turns into. */
export type CslIdGroup =
  | { kind: "identifier"; identifier: Identifier }
  | { kind: "note"; text: string }
  | { kind: "attribute"; attribute: string; value: string }
  | { kind: "unreadable"; text: string };

/**
 * Reads one `;`-separated group of the CSL `ids` column. Groups are `[country, ]value, label`;
 * labels ending in "-" or ":" introduce sanctions notes ("Subject to Directive 1, Executive Order
 * 13662 Directive Determination -"), which are not identifiers.
 *
 * @example
 * parseCslIdGroup("RU, 1137746390572, Registration ID")
 * // { kind: "identifier", identifier: { type: "registration-number", value: "1137746390572", country: { text: "RU", code: "RU" }, label: "Registration ID" } }
 * parseCslIdGroup("IMO 8898831, Vessel Registration Identification") // identifier { type: "imo", value: "8898831", ... }
 */
export function parseCslIdGroup(group: string): CslIdGroup {
  const parts = group.split(/\s*,\s*/).map((part) => part.trim());
  const label = parts.length >= 2 ? parts[parts.length - 1]! : "";
  if (!label || parts.length < 2) return { kind: "unreadable", text: group };
  if (/[-:]$/.test(label)) {
    return { kind: "note", text: `${label.replace(/\s*[-:]$/, "")}: ${parts.slice(0, -1).join(", ")}` };
  }
  const key = label.toLowerCase();
  let valueParts = parts.slice(0, -1);
  let country: Country | undefined;
  if (valueParts.length >= 2 && /^[A-Z]{2}$/.test(valueParts[0]!)) {
    const candidate = normalizeCountry(valueParts[0]!);
    if (candidate.code) {
      country = candidate;
      valueParts = valueParts.slice(1);
    }
  }
  let value = valueParts.join(", ");
  const flag = FLAG_LABELS[key];
  if (flag) return { kind: "attribute", attribute: flag, value };
  const type = IDENTIFIER_LABELS[key] ?? "other";
  if (type === "imo") value = value.replace(/^IMO\s*/i, "");
  if (!value) return { kind: "unreadable", text: group };
  const identifier: Identifier = { type, value, label };
  if (country) identifier.country = country;
  return { kind: "identifier", identifier };
}

/**
 * Windows-1252 characters that arrive as C1 control characters (U+0080–U+009F): the file was
 * Windows-1252 once, decoded as Latin-1 and written as UTF-8 ("Gui\u0092an" for "Gui’an").
 * A table, not `TextDecoder("windows-1252")`: Node builds without full ICU decode that label as
 * plain Latin-1 and would hand the control character back. The five bytes Windows-1252 leaves
 * undefined stay as they are.
 */
const CP1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * Replaces C1 control characters with the Windows-1252 characters they stood for.
 *
 * @example
 * repairC1("HA\u0092Assif") // "HA’Assif"
 */
export function repairC1(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => CP1252_C1[char.charCodeAt(0) - 0x80] ?? char);
}

/** "Entity List (EL) - Bureau of Industry and Security" → "el"; without an abbreviation, a slug of the list name. */
function sourceCode(source: string): string {
  const abbreviation = source.match(/\(([A-Za-z0-9]+)\)/)?.[1];
  return abbreviation ? abbreviation.toLowerCase() : slugify(source.split(" - ")[0] ?? source) || "csl";
}

/**
 * Whether a file head is the CSL CSV: its header names the CSL's columns.
 *
 * @example
 * detectUsCsl("source,entity_number,type,programs,name,title,addresses,...,alt_names,...,ids\n") // true
 */
export function detectUsCsl(head: string): boolean {
  const first = head.split(/\r?\n/, 1)[0] ?? "";
  const cells = first.split(",").map((cell) => cell.replace(/^"|"$/g, "").trim().toLowerCase());
  return ["source", "entity_number", "programs", "alt_names", "ids"].every((column) =>
    cells.includes(column),
  );
}

interface CslRow {
  line: number;
  values: Record<string, string>;
  /** Cells whose C1 characters were repaired, reported once the row's id is known. */
  repaired: Array<{ column: string; text: string }>;
}

/**
 * Reads the CSL. Native ids: `entity_number` where the source list has one (SDN, SSI, PLC, CAP).
 * The BIS and State lists have none, so their rows get a derived id:
 * `<source abbreviation>-<slug of the name>` ("el-32-group-china-ltd", "dpl-adrian-manuel-hernandez").
 * When several rows of one file share that key (the Entity List prints "Gunther Migeotte" once per
 * address), each of them gets `-<shortHash(addresses)>` on top, so the id depends on the row's own
 * name and addresses and not on its position in the file; rows equal in both get `-2`, `-3`...
 * in file order. A repeated `entity_number` is reported and suffixed the same way.
 *
 * @example
 * for await (const event of parseUsCsl({ format: "us-csl-csv", listId: "us-csl", files: ["csl.csv"] })) { ... }
 */
export const parseUsCsl: ListParser = async function* (bundle) {
  for (const file of bundle.files) yield* parseCslFile(file);
};

async function* parseCslFile(file: string): AsyncGenerator<ParseEvent> {
  const name = basename(file);
  const issues: ParseIssue[] = [];
  const warn = (code: string, message: string, line?: number, record?: string, field?: string) =>
    issues.push({ code, severity: "warning", message, file: name, line, record, field });

  const rows: CslRow[] = [];
  for await (const { header, fields, line } of headedCsvRows(file, {
    required: REQUIRED_COLUMNS,
    what: "the US Consolidated Screening List",
    normalizeHeader: (cell) => cell.trim().toLowerCase(),
    onIssue: (issue) => issues.push(issue),
  })) {
    const values: Record<string, string> = {};
    const repaired: CslRow["repaired"] = [];
    header.forEach((column, index) => {
      const cell = fields[index] ?? "";
      const text = repairC1(cell);
      if (text !== cell) repaired.push({ column, text });
      values[column] = text;
    });
    if (!cleanText(values.name)) {
      warn("missing-name", "row has no name; row skipped", line, undefined, "name");
      continue;
    }
    rows.push({ line, values, repaired });
  }

  const nativeIds = assignNativeIds(rows, warn);
  const entities = rows.map((row, index) => {
    const id = entityId(LIST_ID, nativeIds[index]!);
    for (const { column, text } of row.repaired) {
      warn("mojibake", `control characters read as Windows-1252 in '${text}'`, row.line, id, column);
    }
    return buildEntity(row, nativeIds[index]!, warn);
  });
  for (const issue of issues) yield { type: "issue", issue };
  for (const entity of entities) yield { type: "entity", entity };
}

function assignNativeIds(
  rows: CslRow[],
  warn: (code: string, message: string, line?: number, record?: string, field?: string) => void,
): string[] {
  const keys = rows.map(({ values }) => {
    const number = cleanText(values.entity_number);
    return (
      number || `${sourceCode(cleanText(values.source))}-${slugify(cleanText(values.name)) || "unnamed"}`
    );
  });
  const count = new Map<string, number>();
  for (const key of keys) count.set(key, (count.get(key) ?? 0) + 1);
  const taken = new Set<string>();
  return keys.map((key, index) => {
    const row = rows[index]!;
    let id = key;
    if ((count.get(key) ?? 0) > 1) {
      if (cleanText(row.values.entity_number)) {
        warn(
          "duplicate-id",
          `entity_number ${key} appears on more than one row`,
          row.line,
          entityId(LIST_ID, key),
          "entity_number",
        );
      }
      id = `${key}-${shortHash(cleanText(row.values.addresses).toUpperCase())}`;
    }
    let unique = id;
    for (let n = 2; taken.has(unique); n++) unique = `${id}-${n}`;
    taken.add(unique);
    return unique;
  });
}

const splitList = (text: string | undefined) => (text ?? "").split(";").map(cleanText).filter(Boolean);

function buildEntity(
  { line, values }: CslRow,
  nativeId: string,
  warn: (code: string, message: string, line?: number, record?: string, field?: string) => void,
): ListEntityInput {
  const id = entityId(LIST_ID, nativeId);
  const get = (column: string) => cleanText(values[column]);
  const name = get("name");
  const source = get("source");

  const names: NameForm[] = [{ full: name, kind: "primary" }];
  for (const alias of splitList(values.alt_names)) {
    if (!names.some((form) => form.full === alias)) names.push({ full: alias, kind: "aka" });
  }

  const countries: Country[] = [];
  const addCountry = (country: Country) => {
    if (country.code && !countries.some((known) => known.code === country.code)) countries.push(country);
  };
  const country = (text: string, field: string): Country => {
    const result = normalizeCountry(text);
    if (!result.code) warn("unknown-country", `unknown country '${text}'`, line, id, field);
    return result;
  };

  // Addresses are one line each, "street, city, [region, ][postcode, ]CC"; only the trailing
  // country code is reliable enough to take apart.
  const addresses: Address[] = [];
  for (const text of splitList(values.addresses)) {
    const parts = text.split(/\s*,\s*/);
    const last = parts[parts.length - 1] ?? "";
    const address: Address = {};
    if (/^[A-Z]{2}$/.test(last) && normalizeCountry(last).code) {
      address.country = normalizeCountry(last);
      addCountry(address.country);
      if (parts.length > 1) address.full = text;
    } else {
      address.full = text;
    }
    addresses.push(address);
  }

  let schema = SCHEMA_OF_TYPE[get("type").toLowerCase()];
  if (!schema) {
    if (get("type"))
      warn(
        "unknown-type",
        `type '${get("type")}' is not Individual, Entity, Vessel or Aircraft`,
        line,
        id,
        "type",
      );
    // The BIS and State lists give no type: guessed from the name and addresses (see guessPartySchema).
    schema = guessPartySchema(name, splitList(values.addresses));
  }

  const dateOf = (column: string): string | undefined => {
    const text = get(column);
    if (!text) return undefined;
    const date = parseDateText(text);
    if (date?.kind === "exact") return date.from;
    warn("bad-date", `could not read date '${text}'`, line, id, column);
    return undefined;
  };
  const startDate = dateOf("start_date");
  const endDate = dateOf("end_date");
  const authority = source.includes(" - ") ? source.slice(source.lastIndexOf(" - ") + 3) : undefined;
  const sanctions: Sanction[] = [];
  const programs = splitList(values.programs);
  for (const program of programs.length > 0 ? programs : [undefined]) {
    const sanction: Sanction = { sourceList: source };
    if (program) sanction.program = program;
    if (get("federal_register_notice")) sanction.act = get("federal_register_notice");
    if (authority) sanction.authority = authority;
    if (startDate) sanction.startDate = startDate;
    if (endDate) sanction.endDate = endDate;
    sanctions.push(sanction);
  }

  const birthDates: NonNullable<ListEntityInput["birthDates"]> = [];
  for (const text of splitList(values.dates_of_birth)) {
    const date = parseDateText(text);
    if (date) birthDates.push(date);
    else warn("bad-date", `could not read date of birth '${text}'`, line, id, "dates_of_birth");
  }
  const nationalities = splitList(values.nationalities).map((text) => country(text, "nationalities"));
  const citizenships = splitList(values.citizenships).map((text) => country(text, "citizenships"));

  const attributes: Record<string, string[]> = {};
  const addAttribute = (attribute: string, value: string) => {
    const list = attributes[attribute] ?? [];
    if (!list.includes(value)) list.push(value);
    attributes[attribute] = list;
  };
  for (const [column, attribute] of Object.entries(ATTRIBUTE_COLUMNS)) {
    const value = get(column);
    if (value) addAttribute(attribute, value);
  }
  if (get("vessel_flag")) addCountry(country(get("vessel_flag"), "vessel_flag"));

  const remarks: string[] = [];
  const links: EntityLink[] = [];
  const remark = get("remarks");
  if (remark) {
    remarks.push(remark);
    for (const match of remark.matchAll(/\(Linked To: ([^)]+)\)/gi))
      links.push({ relation: "Linked To", text: cleanText(match[1]) });
  }

  const identifiers: Identifier[] = [];
  for (const group of splitList(values.ids)) {
    const parsed = parseCslIdGroup(group);
    if (parsed.kind === "identifier") identifiers.push(parsed.identifier);
    else if (parsed.kind === "note") remarks.push(parsed.text);
    else if (parsed.kind === "attribute") addAttribute(parsed.attribute, parsed.value);
    else {
      warn("unreadable-id", `could not read identifier '${parsed.text}'; kept as a remark`, line, id, "ids");
      remarks.push(parsed.text);
    }
  }

  const entity: ListEntityInput = {
    id,
    listId: LIST_ID,
    nativeId,
    schema,
    name,
    names,
    birthDates,
    birthPlaces: splitList(values.places_of_birth),
    nationalities,
    citizenships,
    countries,
    addresses,
    identifiers,
    sanctions,
    remarks,
    links,
    attributes,
    raw: values,
  };
  if (startDate) entity.listedOn = startDate;
  return entity;
}
