import { open } from "node:fs/promises";
import { basename } from "node:path";
import {
  type Address,
  type Country,
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
import { cleanText } from "./cells.js";
import { csvRows } from "./io.js";
import { odsRows } from "./ods.js";
import { type ListParser, type ParseEvent, SourceFileError } from "./types.js";

/**
 * UK Sanctions List (FCDO), published as an .ods spreadsheet; the CSV is the same sheet converted.
 *
 * The reader is driven by the header row, so both the 8-column summary sheet (one row per
 * designation: Unique ID, OFSI Group ID, Name, Regime Name, Type, Designation source, Date
 * Designated, Sanctions Imposed) and the full sheet (one row per name, alias and address, with
 * `Name 1`..`Name 6`, addresses, dates of birth, passports, ship details...) are read. Rows that
 * share a Unique ID are merged into one entity.
 */

const LIST_ID = "uk-fcdo";

/** Header text folded for lookup: "Nationality(/ies)" → "nationalityies". */
const foldHeader = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Cells are compared and stored with white space collapsed: the .ods collapses it (ODF rule), the CSV does not. */

/** The publisher's type column to our schema. */
const SCHEMA_OF_TYPE: Record<string, EntitySchema> = {
  individual: "Person",
  entity: "Organization",
  ship: "Vessel",
};

/** Simple text columns of the full sheet kept as FollowTheMoney-named attributes. */
const ATTRIBUTE_COLUMNS: Record<string, string> = {
  ofsigroupid: "ofsiGroupId",
  unreferencenumber: "unReferenceNumber",
  position: "position",
  typeofentity: "legalForm",
  subsidiaries: "subsidiaries",
  parentcompany: "parent",
  currentowneroperators: "owner",
  previousowneroperators: "pastOwners",
  currentbelievedflagofship: "flag",
  previousflags: "pastFlags",
  typeofship: "vesselType",
  tonnageofship: "tonnage",
  lengthofship: "length",
  yearbuilt: "buildDate",
  hullidentificationnumberhin: "hullIdentificationNumber",
};

/** Identifier columns of the full sheet; `label` names the column holding the publisher's note. */
const IDENTIFIER_COLUMNS: Record<string, { type: IdentifierType; label?: string }> = {
  passportnumber: { type: "passport", label: "passportadditionalinformation" },
  nationalidentifiernumber: { type: "national-id", label: "nationalidentifieradditionalinformation" },
  businessregistrationnumbers: { type: "registration-number" },
  imonumber: { type: "imo" },
  phonenumber: { type: "phone" },
  website: { type: "website" },
  emailaddress: { type: "email" },
};

const TYPE_COLUMNS = ["type", "grouptype", "designationtype", "individualentityship"];
const NAME_PART_COLUMNS = ["name1", "name2", "name3", "name4", "name5", "name6"];

/** Patronymic endings, so "Barsukov Alexander Petrovich" gets a patronymic and not a middle name. */
const PATRONYMIC = /(ovich|evich|ovna|evna|ichna|oglu|ogly|qizi|kyzy)$/i;

/** A word written in capitals (the UN's way of marking the family name), ignoring an "al-" style particle. */
function isCapitalised(word: string): boolean {
  const core = word.replace(/^(al|el|ad|ar|as|ash|at|az|ad-din|bin|ibn|abu|abd)[-']/i, "");
  const letters = core.replace(/[^\p{L}]/gu, "");
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/**
 * Splits a person's name written surname first. When capitalised words lead and mixed-case words
 * follow ("MOHAMMAD JAN Abdul Kabir") the capitalised words are the surname; otherwise the first
 * word is ("Barsukov Alexander Petrovich", "HAQQANI SAYYED MOHAMMED").
 *
 * @example
 * splitSurnameFirst("Barsukov Alexander Petrovich") // { last: "Barsukov", first: "Alexander", patronymic: "Petrovich" }
 */
export function splitSurnameFirst(name: string): NameForm["parts"] | undefined {
  const words = name.split(" ").filter(Boolean);
  if (words.length < 2) return undefined;
  let surnameWords = 1;
  const leading = words.findIndex((word) => !isCapitalised(word));
  if (leading > 0 && words.slice(leading).every((word) => !isCapitalised(word))) surnameWords = leading;
  const last = words.slice(0, surnameWords).join(" ");
  const given = words.slice(surnameWords);
  const parts: NonNullable<NameForm["parts"]> = { last };
  const final = given[given.length - 1];
  if (given.length >= 2 && final && PATRONYMIC.test(final)) {
    parts.patronymic = final;
    given.pop();
  }
  if (given.length > 0) parts.first = given.join(" ");
  return parts;
}

/**
 * Whether a file head (text) is the UK list as CSV: its header (possibly under a title row)
 * names Unique ID, Regime Name and Name or Name 6.
 *
 * @example
 * detectUkFcdoCsv("Unique ID,OFSI Group ID,Name,Regime Name,Type,...") // true
 */
export function detectUkFcdoCsv(head: string): boolean {
  const lines = head.split(/\r?\n/, 12);
  return lines.some((line) => {
    const cells = line.split(",").map((cell) => foldHeader(cell));
    return (
      cells.includes("uniqueid") &&
      cells.includes("regimename") &&
      (cells.includes("name") || cells.includes("name6"))
    );
  });
}

interface SheetRow {
  cells: string[];
  line: number;
}

/** One cell list per row, whichever the container. `strictWidth`: CSV rows must match the header width. */
interface Sheet {
  rows: AsyncGenerator<SheetRow>;
  strictWidth: boolean;
}

async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch((error: Error) => {
    throw new SourceFileError(`cannot open: ${error.message}`, basename(file));
  });
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

async function* odsSheetRows(file: string): AsyncGenerator<SheetRow> {
  for await (const { cells, row } of odsRows(file)) yield { cells, line: row };
}

async function* csvSheetRows(file: string, onIssue: (issue: ParseIssue) => void): AsyncGenerator<SheetRow> {
  for await (const { fields, line } of csvRows(file, { onIssue })) yield { cells: fields, line };
}

/** First date found in title rows above the header ("Report Date: 11-Aug-2025"). */
function titleDate(cells: string[]): string | undefined {
  for (const cell of cells) {
    const candidates = cell.match(
      /\d{4}-\d{2}-\d{2}|\d{1,2}[-/. ](?:\d{1,2}|[A-Za-z]{3,9})[-/. ]\d{4}|[A-Za-z]{3,9} \d{1,2},? \d{4}/g,
    );
    for (const candidate of candidates ?? []) {
      const date = parseDateText(candidate, "dmy");
      if (date?.kind === "exact") return date.from;
    }
  }
  return undefined;
}

/** What is gathered for one Unique ID over its rows. */
interface Accumulator {
  entity: ListEntityInput & {
    names: NameForm[];
    addresses: Address[];
    identifiers: Identifier[];
    sanctions: Sanction[];
    nationalities: Country[];
    countries: Country[];
    birthDates: NonNullable<ListEntityInput["birthDates"]>;
    birthPlaces: string[];
    remarks: string[];
    attributes: Record<string, string[]>;
    raw: Record<string, string>[];
  };
  seen: Set<string>;
  typeText: string;
  /** Where the ID first appears, for issues about the merged record. */
  line: number;
}

/** Adds a value to a list unless an equal one (by JSON) is there already. */
function addOnce<T>(acc: Accumulator, list: T[], value: T, kind: string): void {
  const key = `${kind}\u0000${JSON.stringify(value)}`;
  if (acc.seen.has(key)) return;
  acc.seen.add(key);
  list.push(value);
}

async function* parseSheet(file: string, sheet: Sheet): AsyncGenerator<ParseEvent> {
  const name = basename(file);
  let header: string[] | undefined;
  let column: Map<string, number> = new Map();
  const titleRows: string[][] = [];
  const entities = new Map<string, Accumulator>();
  const issues: ParseIssue[] = [];
  const issue = (code: string, message: string, line: number, record?: string, field?: string) =>
    issues.push({ code, severity: "warning", message, file: name, line, record, field });

  for await (const { cells: rawCells, line } of sheet.rows) {
    const cells = rawCells.map((cell) => cleanText(cell));
    if (!header) {
      const folded = cells.map(foldHeader);
      if (folded.includes("uniqueid")) {
        header = cells;
        column = new Map(
          folded
            .map((key, index) => [key, index] as const)
            .filter(([key]) => key !== "")
            .reverse(),
        );
        const hasName = column.has("name") || NAME_PART_COLUMNS.some((key) => column.has(key));
        const hasType = TYPE_COLUMNS.some((key) => column.has(key));
        if (!hasName || !hasType || !column.has("regimename")) {
          throw new SourceFileError(
            "not the UK Sanctions List: the header lacks Name, Type or Regime Name",
            name,
            line,
          );
        }
        const publishedAt = titleRows.map(titleDate).find(Boolean);
        if (publishedAt) yield { type: "meta", publishedAt };
        continue;
      }
      titleRows.push(cells);
      if (titleRows.length > 10) {
        throw new SourceFileError("not the UK Sanctions List: no header row with 'Unique ID'", name, line);
      }
      continue;
    }
    const width = header.length;
    if ((sheet.strictWidth && rawCells.length !== width) || cells.slice(width).some(Boolean)) {
      issue("column-count", `row has ${rawCells.length} cells, the header has ${width}; row skipped`, line);
      continue;
    }
    const get = (key: string) => {
      const index = column.get(key);
      return index === undefined ? "" : (cells[index] ?? "");
    };
    const uniqueId = get("uniqueid");
    if (!uniqueId) {
      issue("missing-id", "row has no Unique ID; row skipped", line, undefined, "Unique ID");
      continue;
    }
    const id = entityId(LIST_ID, uniqueId);
    const raw = Object.fromEntries(
      header.map((title, index) => [title, cells[index] ?? ""]).filter(([title]) => title),
    );
    const typeText = TYPE_COLUMNS.map(get).find(Boolean) ?? "";

    let acc = entities.get(uniqueId);
    if (!acc) {
      let schema = SCHEMA_OF_TYPE[typeText.toLowerCase()];
      if (!schema) {
        issue(
          "unknown-type",
          `type '${typeText}' is not Individual, Entity or Ship; read as LegalEntity`,
          line,
          id,
          "Type",
        );
        schema = "LegalEntity";
      }
      acc = {
        entity: {
          id,
          listId: LIST_ID,
          nativeId: uniqueId,
          schema,
          name: "",
          names: [],
          addresses: [],
          identifiers: [],
          sanctions: [],
          nationalities: [],
          countries: [],
          birthDates: [],
          birthPlaces: [],
          remarks: [],
          attributes: {},
          raw: [],
        },
        seen: new Set(),
        typeText,
        line,
      };
      entities.set(uniqueId, acc);
    } else if (typeText && typeText !== acc.typeText) {
      issue(
        "conflicting-type",
        `type '${typeText}' differs from '${acc.typeText}' on an earlier row; kept the first`,
        line,
        id,
        "Type",
      );
    }
    const { entity } = acc;
    entity.raw.push(raw);
    const isPerson = entity.schema === "Person";

    // Names: the summary sheet has one `Name`; the full sheet has parts, Name 6 being the family name.
    const nameType = get("nametype").toLowerCase();
    const weak = get("aliasstrength").toLowerCase().includes("low");
    const kind: NameForm["kind"] = nameType.includes("alias")
      ? weak
        ? "weak-aka"
        : "aka"
      : nameType.includes("variation")
        ? "aka"
        : "primary";
    let fullName = get("name");
    let parts: NameForm["parts"];
    if (!fullName) {
      const [n1, n2, n3, n4, n5, n6] = NAME_PART_COLUMNS.map(get);
      const given = [n1, n2, n3, n4, n5].filter(Boolean);
      fullName = [n6, ...given].filter(Boolean).join(" ");
      if (isPerson && fullName) {
        parts = { last: n6 || undefined, first: given[0], middle: given.slice(1).join(" ") || undefined };
      }
    } else if (isPerson) {
      parts = splitSurnameFirst(fullName);
    }
    const title = get("title");
    if (parts && title) parts.title = title;
    if (parts) parts = compact(parts);
    if (fullName) {
      const isPrimary = kind === "primary" && !entity.name;
      if (isPrimary) entity.name = fullName;
      // A second "primary" row for one ID is a variant spelling: keep it as an alias.
      const form: NameForm = { full: fullName, kind: kind === "primary" && !isPrimary ? "aka" : kind };
      if (parts && Object.keys(parts).length > 0) form.parts = parts;
      if (!entity.names.some((existing) => existing.full === fullName)) entity.names.push(form);
    }
    const nonLatin = get("namenonlatinscript");
    if (nonLatin)
      addOnce(acc, entity.names, { full: nonLatin, kind: "original-script" } satisfies NameForm, "name");

    // Sanctions: one per measure, under the regime.
    const regime = get("regimename");
    const authority = get("designationsource");
    const designated = get("datedesignated");
    let startDate: string | undefined;
    if (designated) {
      const date = parseDateText(designated, "dmy");
      if (date) {
        startDate = date.from;
        if (!entity.listedOn || date.from < entity.listedOn) entity.listedOn = date.from;
      } else {
        issue("bad-date", `could not read date '${designated}'`, line, id, "Date Designated");
      }
    }
    const reason = get("ukstatementofreasons");
    const measures = get("sanctionsimposed")
      .split(/,\s*/)
      .map((measure) => measure.trim());
    if (measures.some((measure) => measure === "" || measure === "-") && get("sanctionsimposed")) {
      issue(
        "empty-measure",
        `empty item in Sanctions Imposed '${get("sanctionsimposed")}'`,
        line,
        id,
        "Sanctions Imposed",
      );
    }
    const realMeasures = measures.filter((measure) => measure !== "" && measure !== "-");
    for (const measure of realMeasures.length > 0 ? realMeasures : [undefined]) {
      const sanction = compact<Sanction>({ program: regime, measure, authority, startDate, reason });
      addOnce(acc, entity.sanctions, sanction, "sanction");
    }

    // Full-sheet details.
    const other = get("otherinformation");
    if (other) addOnce(acc, entity.remarks, other, "remark");
    const addressLines = [
      "addressline1",
      "addressline2",
      "addressline3",
      "addressline4",
      "addressline5",
      "addressline6",
    ]
      .map(get)
      .filter(Boolean);
    const postalCode = get("addresspostalcode");
    const addressCountry = get("addresscountry");
    if (addressLines.length > 0 || postalCode || addressCountry) {
      const address: Address = {
        full: [...addressLines, postalCode, addressCountry].filter(Boolean).join(", "),
      };
      if (postalCode) address.postalCode = postalCode;
      if (addressCountry)
        address.country = countryOf(addressCountry, (message) =>
          issue("unknown-country", message, line, id, "Address Country"),
        );
      addOnce(acc, entity.addresses, address, "address");
    }
    for (const text of get("dob")
      .split(/\s*[;|]\s*/)
      .filter(Boolean)) {
      const date = parseDateText(text, "dmy");
      if (date) addOnce(acc, entity.birthDates, date, "dob");
      else issue("bad-date", `could not read date of birth '${text}'`, line, id, "D.O.B");
    }
    for (const text of (get("nationalityies") || get("nationality"))
      .split(/\s*[;|]\s*|\s*\(\d+\)\s*/)
      .filter(Boolean)) {
      addOnce(
        acc,
        entity.nationalities,
        countryOf(text, (message) => issue("unknown-country", message, line, id, "Nationality")),
        "nationality",
      );
    }
    const birthPlace = [get("townofbirth"), get("countryofbirth")].filter(Boolean).join(", ");
    if (birthPlace) addOnce(acc, entity.birthPlaces, birthPlace, "birthPlace");
    const gender = get("gender").toLowerCase();
    if (gender === "male" || gender === "female") entity.gender = gender;
    for (const [key, spec] of Object.entries(IDENTIFIER_COLUMNS)) {
      const value = get(key);
      if (!value) continue;
      const identifier: Identifier = { type: spec.type, value };
      const label = spec.label ? get(spec.label) : "";
      if (label) identifier.label = label;
      addOnce(acc, entity.identifiers, identifier, "identifier");
    }
    for (const [key, attribute] of Object.entries(ATTRIBUTE_COLUMNS)) {
      const value = get(key);
      if (!value) continue;
      const values = entity.attributes[attribute] ?? [];
      if (!values.includes(value)) values.push(value);
      entity.attributes[attribute] = values;
    }
    const flag = get("currentbelievedflagofship");
    if (flag)
      addOnce(
        acc,
        entity.countries,
        countryOf(flag, (message) =>
          issue("unknown-country", message, line, id, "Current believed flag of ship"),
        ),
        "country",
      );
  }

  if (!header) throw new SourceFileError("not the UK Sanctions List: no header row with 'Unique ID'", name);
  yield* issues.splice(0).map((value) => ({ type: "issue", issue: value }) as const);
  for (const acc of entities.values()) {
    const { entity } = acc;
    if (!entity.name) {
      const alternative = entity.names[0]?.full;
      if (alternative) {
        // Only aliases were published: the first stands in as the primary name.
        entity.name = alternative;
        entity.names[0] = { ...entity.names[0]!, kind: "primary" };
      } else {
        // The 2025-08-11 sheet has two people with an empty Name cell. The record is kept (it is a
        // designation); its Unique ID stands in for the name, and no name form is indexed.
        entity.name = entity.nativeId;
        yield {
          type: "issue",
          issue: {
            code: "missing-name",
            severity: "warning",
            message: "no name published; the Unique ID stands in",
            file: name,
            line: acc.line,
            record: entity.id,
            field: "Name",
          },
        };
      }
    }
    yield { type: "entity", entity };
  }
}

/** Drops empty and undefined fields, so equal records compare equal and stay small. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined && field !== ""),
  ) as T;
}

function countryOf(text: string, onUnknown: (message: string) => void): Country {
  const country = normalizeCountry(text);
  if (!country.code) onUnknown(`unknown country '${text}'`);
  return country;
}

/**
 * Reads the UK list from an .ods or a CSV file (decided by content: a zip is the .ods), merging
 * rows by Unique ID within each file. Both forms of the same sheet give equal entities.
 *
 * @example
 * for await (const event of parseUkFcdo({ format: "uk-fcdo-ods", listId: "uk-fcdo", files: [path] })) { ... }
 */
export const parseUkFcdo: ListParser = async function* (bundle) {
  for (const file of bundle.files) {
    if (await isZip(file)) {
      yield* parseSheet(file, { rows: odsSheetRows(file), strictWidth: false });
    } else {
      const issues: ParseIssue[] = [];
      const rows = csvSheetRows(file, (issue) => issues.push(issue));
      yield* parseSheet(file, { rows, strictWidth: true });
      for (const issue of issues) yield { type: "issue", issue };
    }
  }
};

/**
 * The .ods parser (format `uk-fcdo-ods`).
 *
 * @example
 * for await (const event of parseUkFcdoOds({ format: "uk-fcdo-ods", listId: "uk-fcdo", files: ["UK_Sanctions_List.ods"] })) { ... }
 */
export const parseUkFcdoOds: ListParser = parseUkFcdo;

/**
 * The CSV parser (format `uk-fcdo-csv`): the same sheet converted to CSV.
 *
 * @example
 * for await (const event of parseUkFcdoCsv({ format: "uk-fcdo-csv", listId: "uk-fcdo", files: ["uk.csv"] })) { ... }
 */
export const parseUkFcdoCsv: ListParser = parseUkFcdo;
