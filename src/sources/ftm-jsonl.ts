import { basename } from "node:path";
import {
  type Address,
  type Country,
  type DateValue,
  type EntitySchema,
  type Identifier,
  type IdentifierType,
  type ListEntity,
  type ListEntityInput,
  listEntitySchema,
  type NameForm,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
} from "../model/index.js";
import { readTextChunks } from "./io.js";
import { type ListParser, type ParseEvent, type SourceBundle, SourceFileError } from "./types.js";

/*
 * FollowTheMoney (FtM) JSON lines, OpenSanctions' interchange format: one entity per line,
 * `{"id", "schema", "properties": {"name": [...], ...}, "datasets": [...]}`, every property a list of
 * strings. FtM has no room for some of our structure (alias quality beyond weakAlias, date kinds and
 * ranges, the publisher's country text, sanction details), so `entityToFtm` also writes the whole
 * entity under a `chokepoint` key: our own export imports back exactly, and foreign FtM files (without
 * the key) import through the FtM properties.
 *
 * Worked example of one exported line (shortened):
 * {"id": "eu:32023R1529:III.A:1", "schema": "Person", "caption": "Hadi ZAHOURIAN",
 *  "properties": {"name": ["Hadi ZAHOURIAN"], "alias": ["هادى ظهوریان"], "nationality": ["ir"],
 *                 "idNumber": ["0055312047"], "program": ["EU-IRN"], "topics": ["sanction"]},
 *  "datasets": ["eu"], "chokepoint": {"version": 1, "entity": {"id": "eu:32023R1529:III.A:1", ...}}}
 */

/** Version of the `chokepoint` extension; bump when its shape changes. */
export const FTM_EXTENSION_VERSION = 1;

/**
 * One FtM entity as a JSON line. `chokepoint` is our lossless extension; other top-level keys that
 * OpenSanctions writes (`first_seen`, `last_seen`, `target`, `referents`...) are read and ignored.
 *
 * @example
 * const line: FtmEntity = { id: "un:QDi.001", schema: "Person", properties: { name: ["..."] }, datasets: ["un"] };
 */
export interface FtmEntity {
  id: string;
  schema: string;
  caption?: string;
  properties: Record<string, string[]>;
  datasets: string[];
  chokepoint?: { version: number; entity: ListEntity };
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------
// The FtM model, as far as we read and write it

const THING = [
  "name",
  "alias",
  "weakAlias",
  "previousName",
  "country",
  "address",
  "program",
  "notes",
  "topics",
  "sourceUrl",
];
const LEGAL_ENTITY = [
  ...THING,
  "email",
  "phone",
  "website",
  "legalForm",
  "incorporationDate",
  "dissolutionDate",
  "status",
  "sector",
  "classification",
  "registrationNumber",
  "idNumber",
  "taxNumber",
  "vatCode",
  "jurisdiction",
  "mainCountry",
  "innCode",
  "ogrnCode",
  "okpoCode",
  "leiCode",
  "swiftBic",
  "dunsCode",
];
const PERSON = [
  ...LEGAL_ENTITY,
  "title",
  "firstName",
  "secondName",
  "middleName",
  "fatherName",
  "motherName",
  "lastName",
  "nameSuffix",
  "birthDate",
  "birthPlace",
  "birthCountry",
  "deathDate",
  "position",
  "nationality",
  "citizenship",
  "passportNumber",
  "gender",
  "ethnicity",
  "appearance",
  "religion",
  "political",
  "education",
];
const ORGANIZATION = [...LEGAL_ENTITY, "imoNumber"];
const COMPANY = [...ORGANIZATION, "kppCode", "ticker", "isinCode", "capital"];
const VEHICLE = [...THING, "registrationNumber", "type", "model", "buildDate", "registrationDate"];
const VESSEL = [
  ...VEHICLE,
  "imoNumber",
  "crsNumber",
  "flag",
  "registrationPort",
  "navigationArea",
  "tonnage",
  "grossRegisteredTonnage",
  "callSign",
  "pastFlags",
  "mmsi",
];
const AIRPLANE = [...VEHICLE, "serialNumber", "icaoCode", "manufacturer"];

/** FtM schema name for each of ours (FtM calls an aircraft `Airplane`) and the properties it allows. */
const FTM_SCHEMAS: Record<EntitySchema, { name: string; properties: ReadonlySet<string> }> = {
  Person: { name: "Person", properties: new Set(PERSON) },
  Organization: { name: "Organization", properties: new Set(ORGANIZATION) },
  Company: { name: "Company", properties: new Set(COMPANY) },
  LegalEntity: { name: "LegalEntity", properties: new Set(LEGAL_ENTITY) },
  Vessel: { name: "Vessel", properties: new Set(VESSEL) },
  Aircraft: { name: "Airplane", properties: new Set(AIRPLANE) },
};

/** FtM schemas read as parties on import. Others (Sanction, Address, Ownership...) are skipped. */
const PARTY_SCHEMAS_FROM_FTM: Record<string, EntitySchema> = {
  Person: "Person",
  Organization: "Organization",
  Company: "Company",
  LegalEntity: "LegalEntity",
  PublicBody: "Organization",
  Vessel: "Vessel",
  Airplane: "Aircraft",
  Aircraft: "Aircraft",
};
const KNOWN_NON_PARTY_SCHEMAS = new Set([
  "Sanction",
  "Address",
  "Identification",
  "Passport",
  "Ownership",
  "Directorship",
  "Family",
  "Associate",
  "Membership",
  "Employment",
  "Occupancy",
  "Position",
  "Representation",
  "UnknownLink",
  "Succession",
  "Note",
  "Asset",
  "Security",
  "CryptoWallet",
  "BankAccount",
  "Vehicle",
  "Thing",
  "Article",
  "Document",
]);

/** Our identifier types and the FtM property each goes to (and comes back from). */
const IDENTIFIER_PROPERTIES: Record<IdentifierType, string> = {
  passport: "passportNumber",
  "national-id": "idNumber",
  "tax-id": "taxNumber",
  inn: "innCode",
  ogrn: "ogrnCode",
  kpp: "kppCode",
  okpo: "okpoCode",
  "registration-number": "registrationNumber",
  imo: "imoNumber",
  mmsi: "mmsi",
  "swift-bic": "swiftBic",
  lei: "leiCode",
  "aircraft-registration": "registrationNumber",
  "aircraft-serial": "serialNumber",
  email: "email",
  website: "website",
  phone: "phone",
  other: "idNumber",
};
/** FtM identifier properties and the identifier type each becomes (also used for yente queries). */
export const IDENTIFIER_FROM_PROPERTY: Record<string, IdentifierType> = {
  passportNumber: "passport",
  idNumber: "national-id",
  taxNumber: "tax-id",
  vatCode: "tax-id",
  innCode: "inn",
  ogrnCode: "ogrn",
  kppCode: "kpp",
  okpoCode: "okpo",
  registrationNumber: "registration-number",
  imoNumber: "imo",
  mmsi: "mmsi",
  swiftBic: "swift-bic",
  leiCode: "lei",
  serialNumber: "aircraft-serial",
  email: "email",
  website: "website",
  phone: "phone",
};

// ---------------------------------------------------------------------------------------------------
// Export

/** FtM dates are ISO prefixes; a range or "circa" becomes the years it covers (at most 11). */
function ftmDates(date: DateValue): string[] {
  if (date.from === date.to) return [date.from];
  if (date.from.length === 4 && date.to.length === 4) {
    const [from, to] = [Number(date.from), Number(date.to)];
    if (to - from <= 10) return Array.from({ length: to - from + 1 }, (_, index) => String(from + index));
  }
  return [date.from, date.to];
}

const countryCodes = (countries: Country[]) =>
  countries.flatMap((country) => (country.code ? [country.code.toLowerCase()] : []));

function addressText(address: Address): string | undefined {
  if (address.full) return address.full;
  const parts = [address.street, address.city, address.region, address.postalCode, address.country?.text];
  const text = parts.filter(Boolean).join(", ");
  return text || undefined;
}

/**
 * Converts an entity to an FtM line: the FtM properties its schema allows, plus the whole entity
 * under `chokepoint` so that `parseFtmJsonl` restores it exactly. Pure.
 *
 * @example
 * JSON.stringify(entityToFtm(entity)) // {"id":"eu:32023R1529:III.A:1","schema":"Person","properties":{"name":[...]},...}
 */
export function entityToFtm(entity: ListEntity): FtmEntity {
  const target = FTM_SCHEMAS[entity.schema];
  const properties: Record<string, string[]> = {};
  const add = (property: string, values: Array<string | undefined>) => {
    if (!target.properties.has(property)) return;
    for (const value of values) {
      if (!value) continue;
      const list = properties[property] ?? [];
      if (!list.includes(value)) list.push(value);
      properties[property] = list;
    }
  };
  const kindProperty = {
    primary: "name",
    aka: "alias",
    "original-script": "alias",
    "weak-aka": "weakAlias",
    fka: "previousName",
  };
  add("name", [entity.name]);
  for (const name of entity.names) add(kindProperty[name.kind], [name.full]);
  const parts = entity.names.find((name) => name.kind === "primary" && name.parts)?.parts;
  if (parts) {
    add("firstName", [parts.first]);
    add("middleName", [parts.middle]);
    add("lastName", [parts.last]);
    add("fatherName", [parts.patronymic]);
    add("title", [parts.title]);
  }
  add("birthDate", entity.birthDates.flatMap(ftmDates));
  add("birthPlace", entity.birthPlaces);
  add("nationality", countryCodes(entity.nationalities));
  add("citizenship", countryCodes(entity.citizenships));
  add("country", countryCodes(entity.countries));
  add("gender", [entity.gender]);
  add("address", entity.addresses.map(addressText));
  for (const identifier of entity.identifiers)
    add(IDENTIFIER_PROPERTIES[identifier.type], [identifier.value]);
  add(
    "program",
    entity.sanctions.map((sanction) => sanction.program),
  );
  add("notes", entity.remarks);
  add("topics", ["sanction"]);
  // Attributes are keyed by FtM property name where one exists (position, legalForm, callSign...).
  for (const [key, values] of Object.entries(entity.attributes)) {
    if (key !== "name" && key !== "topics") add(key, values);
  }
  return {
    id: entity.id,
    schema: target.name,
    caption: entity.name,
    properties,
    datasets: [entity.listId],
    chokepoint: { version: FTM_EXTENSION_VERSION, entity },
  };
}

// ---------------------------------------------------------------------------------------------------
// Import

/**
 * True when the start of a file is FtM JSON lines: its first non-empty line is an object with
 * `schema` and `properties` keys (checked on the text, as the head may cut the line short).
 *
 * @example
 * detectFtmJsonl('{"id": "NK-1", "schema": "Person", "properties": {"name": ["X"]}}\n') // true
 * detectFtmJsonl("celex,recordId,programKey") // false
 */
export function detectFtmJsonl(head: string): boolean {
  const firstLine =
    head
      .replace(/^\uFEFF/, "")
      .trimStart()
      .split(/\r?\n/, 1)[0] ?? "";
  return (
    /^\{/.test(firstLine) && /"schema"\s*:\s*"/.test(firstLine) && /"properties"\s*:\s*\{/.test(firstLine)
  );
}

/** Streams the lines of a file with 1-based line numbers. */
async function* readLines(
  file: string,
  onIssue: (issue: ParseIssue) => void,
): AsyncGenerator<{ text: string; line: number }> {
  let buffer = "";
  let line = 0;
  for await (const chunk of readTextChunks(file, onIssue)) {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      line++;
      yield { text: buffer.slice(0, newline).replace(/\r$/, ""), line };
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  }
  if (buffer) yield { text: buffer.replace(/\r$/, ""), line: line + 1 };
}

const LIST_ID_PATTERN = /^[a-z0-9-]+$/;

/** The list id carried by an id ("eu:32023R1529:III.A:1" → "eu"), if any. */
function idPrefix(id: string): string | undefined {
  const colon = id.indexOf(":");
  if (colon <= 0) return undefined;
  const prefix = id.slice(0, colon);
  return LIST_ID_PATTERN.test(prefix) ? prefix : undefined;
}

/** A dataset name as a list id: "eu_fsf" → "eu-fsf". */
const asListId = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

const stringValues = (value: unknown): string[] =>
  Array.isArray(value)
    ? value
        .filter((item): item is string => typeof item === "string" && item.trim() !== "")
        .map((item) => item.trim())
    : [];

/** Builds an entity from the FtM properties of a foreign line. */
function ftmToEntity(
  line: FtmEntity,
  listId: string,
  schema: EntitySchema,
  report: (code: string, message: string, field?: string) => void,
): ListEntityInput | undefined {
  const properties: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(line.properties ?? {})) {
    const values = stringValues(value);
    if (values.length > 0) properties[key] = values;
  }
  const take = (key: string): string[] => {
    const values = properties[key] ?? [];
    delete properties[key];
    return values;
  };
  const primary = take("name");
  const name =
    primary[0] ?? (typeof line.caption === "string" && line.caption.trim() ? line.caption.trim() : undefined);
  const nativeId = idPrefix(line.id) === listId ? line.id.slice(listId.length + 1) : line.id;
  const id = `${listId}:${nativeId}`;
  if (!name) {
    report("missing-name", "entity has no name; skipped", "name");
    return undefined;
  }
  const names: NameForm[] = [];
  const addName = (full: string, kind: NameForm["kind"]) => {
    if (names.some((known) => known.full === full)) return;
    const script = nonLatinScript(full);
    const finalKind = kind === "aka" && script ? "original-script" : kind;
    names.push(script ? { full, kind: finalKind, script } : { full, kind: finalKind });
  };
  for (const full of primary.length > 0 ? primary : [name]) addName(full, "primary");
  const parts = {
    first: take("firstName")[0],
    middle: take("middleName")[0] ?? take("secondName")[0],
    last: take("lastName")[0],
    patronymic: take("fatherName")[0],
    title: take("title")[0],
  };
  if (Object.values(parts).some(Boolean) && names[0]) {
    names[0].parts = Object.fromEntries(
      Object.entries(parts).filter(([, value]) => value),
    ) as NameForm["parts"];
  }
  for (const full of take("alias")) addName(full, "aka");
  for (const full of take("weakAlias")) addName(full, "weak-aka");
  for (const full of take("previousName")) addName(full, "fka");

  const birthDates: DateValue[] = [];
  for (const text of take("birthDate")) {
    const date = parseDateText(text, "dmy");
    if (date) birthDates.push(date);
    else report("bad-date", `could not read date '${text}'`, "birthDate");
  }
  const countries = (key: string): Country[] =>
    take(key).map((text) => {
      const country = normalizeCountry(text);
      if (!country.code) report("unknown-country", `unknown country '${text}'`, key);
      return country;
    });
  const nationalities = countries("nationality");
  const citizenships = countries("citizenship");
  const otherCountries = [...countries("country"), ...countries("jurisdiction"), ...countries("mainCountry")];
  const flags = properties.flag ? countries("flag") : [];
  if (flags.length > 0) properties.flag = flags.map((flag) => flag.text);
  otherCountries.push(...flags);

  const identifiers: Identifier[] = [];
  for (const [property, type] of Object.entries(IDENTIFIER_FROM_PROPERTY)) {
    for (const value of take(property)) identifiers.push({ type, value });
  }
  const genderText = take("gender")[0]?.toLowerCase();
  const gender =
    genderText === "male" || genderText === "female" || genderText === "other" ? genderText : undefined;
  if (genderText && !gender) report("bad-gender", `unknown gender '${genderText}'`, "gender");

  const entity: ListEntityInput = {
    id,
    listId,
    nativeId,
    schema,
    name,
    names,
    birthDates,
    birthPlaces: take("birthPlace"),
    nationalities,
    citizenships,
    countries: otherCountries,
    addresses: take("address").map((full) => ({ full })),
    identifiers,
    sanctions: take("program").map((program) => ({ program })),
    remarks: take("notes"),
    // Everything else keeps its FtM name: position, legalForm, topics, sourceUrl, callSign...
    attributes: properties,
    raw: line,
  };
  if (gender) entity.gender = gender;
  return entity;
}

/** ISO 15924 code of a name's dominant non-Latin script (enough for import; see eu-journal for the full table). */
function nonLatinScript(text: string): string | undefined {
  const scripts: Array<[RegExp, string]> = [
    [/\p{Script=Cyrillic}/gu, "Cyrl"],
    [/\p{Script=Arabic}/gu, "Arab"],
    [/\p{Script=Hebrew}/gu, "Hebr"],
    [/\p{Script=Hangul}/gu, "Hang"],
    [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, "Jpan"],
    [/\p{Script=Han}/gu, "Hani"],
    [/\p{Script=Greek}/gu, "Grek"],
    [/\p{Script=Georgian}/gu, "Geor"],
    [/\p{Script=Armenian}/gu, "Armn"],
    [/\p{Script=Thai}/gu, "Thai"],
  ];
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  let best: string | undefined;
  let bestCount = latin;
  for (const [pattern, code] of scripts) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > bestCount) [best, bestCount] = [code, count];
  }
  return best;
}

/**
 * Reads FtM JSON lines. The list id is taken from the entities' ids when they carry one
 * ("eu:..." from our own export), else from `bundle.listId`, else from the first dataset name;
 * it is announced once as `{type: "meta", listId}` before the first entity. Lines with our
 * `chokepoint` extension are restored from it exactly; other lines are mapped from FtM properties.
 * Non-party schemas (Sanction, Address, Ownership...) are skipped. A bad line is a warning; a file
 * whose first line is not JSON is not FtM and throws `SourceFileError`.
 *
 * @example
 * for await (const event of parseFtmJsonl({ format: "ftm-jsonl", listId: "", files: ["eu.ftm.jsonl"] })) {
 *   if (event.type === "meta") console.log(event.listId); // "eu"
 * }
 */
export const parseFtmJsonl: ListParser = async function* (bundle: SourceBundle): AsyncGenerator<ParseEvent> {
  let listId: string | undefined;
  for (const path of bundle.files) {
    const file = basename(path);
    const pending: ParseIssue[] = [];
    const onIssue = (found: ParseIssue) => pending.push(found);
    let sawJson = false;
    for await (const { text, line } of readLines(path, onIssue)) {
      const report = (code: string, message: string, field?: string, record?: string) =>
        pending.push({ code, severity: "warning", message, file, line, record, field });
      const trimmed = text.trim();
      if (trimmed) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(trimmed);
        } catch (error) {
          if (!sawJson)
            throw new SourceFileError(
              `not FollowTheMoney JSON lines: ${(error as Error).message}`,
              file,
              line,
            );
          report("bad-json", `line is not JSON: ${(error as Error).message}`);
        }
        if (parsed !== undefined) {
          sawJson = true;
          const event = readEntityLine(parsed, bundle, listId, report);
          if (event) {
            if (listId === undefined) {
              listId = event.listId;
              yield { type: "meta", listId };
            }
            while (pending.length > 0) yield { type: "issue", issue: pending.shift()! };
            yield { type: "entity", entity: event.entity };
          }
        }
      }
      while (pending.length > 0) yield { type: "issue", issue: pending.shift()! };
    }
    if (!sawJson) throw new SourceFileError("empty file: no FollowTheMoney entities", file);
  }
};

function readEntityLine(
  parsed: unknown,
  bundle: SourceBundle,
  knownListId: string | undefined,
  report: (code: string, message: string, field?: string, record?: string) => void,
): { entity: ListEntityInput; listId: string } | undefined {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    report("bad-entity", "line is not a JSON object");
    return undefined;
  }
  const line = parsed as FtmEntity;
  if (typeof line.id !== "string" || !line.id || typeof line.schema !== "string") {
    report("bad-entity", "entity without id or schema");
    return undefined;
  }
  const schema = PARTY_SCHEMAS_FROM_FTM[line.schema];
  if (!schema) {
    if (!KNOWN_NON_PARTY_SCHEMAS.has(line.schema)) {
      report("unknown-schema", `unknown FtM schema '${line.schema}'; line skipped`, "schema", line.id);
    }
    return undefined;
  }
  const datasets = stringValues(line.datasets);
  const extension = line.chokepoint as { version?: unknown; entity?: unknown } | undefined;
  const restored = extension === undefined ? undefined : listEntitySchema.safeParse(extension.entity);
  const listId =
    knownListId ||
    bundle.listId ||
    (restored?.success ? restored.data.listId : undefined) ||
    idPrefix(line.id) ||
    (datasets[0] ? asListId(datasets[0]) : "") ||
    "ftm";
  // Our own export: restore the entity exactly (moved to the bundle's list if that differs).
  if (extension !== undefined) {
    if (extension.version === FTM_EXTENSION_VERSION && restored?.success) {
      const entity = restored.data;
      if (entity.listId !== listId) {
        report(
          "list-id-mismatch",
          `entity of list '${entity.listId}' read into list '${listId}'`,
          "id",
          entity.id,
        );
        entity.listId = listId;
        entity.id = `${listId}:${entity.nativeId}`;
      }
      return { entity, listId };
    }
    report(
      "bad-extension",
      "unreadable chokepoint extension; read from the FtM properties",
      "chokepoint",
      line.id,
    );
  }
  if (typeof line.properties !== "object" || line.properties === null) {
    report("bad-entity", "entity without properties", "properties", line.id);
    return undefined;
  }
  const entity = ftmToEntity(line, listId, schema, (code, message, field) =>
    report(code, message, field, line.id),
  );
  return entity ? { entity, listId } : undefined;
}
