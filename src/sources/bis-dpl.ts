import { createHash } from "node:crypto";
import { basename } from "node:path";
import {
  type Address,
  type Country,
  type EntitySchema,
  entityId,
  type ListEntityInput,
  type NameForm,
  normalizeCountry,
  type ParseIssue,
  parseDateText,
  type Sanction,
} from "../model/index.js";
import { cleanText, slugify } from "./cells.js";
import { headedCsvRows } from "./io.js";
import type { ListParser, ParseEvent } from "./types.js";

/**
 * US Commerce BIS Denied Persons List, the tab-separated `dpl.txt`: one row per denied party and
 * address (and order), no record ids. Rows naming the same party are merged into one entity that
 * keeps every address and every denial order.
 */

const LIST_ID = "bis-dpl";
const MEASURE = "Denial of export privileges";
const AUTHORITY = "US Department of Commerce, Bureau of Industry and Security";

const REQUIRED_COLUMNS = [
  "Name",
  "Street_Address",
  "City",
  "State",
  "Country",
  "Postal_Code",
  "Effective_Date",
  "Expiration_Date",
  "FR_Citation",
] as const;

/**
 * First 8 hex digits of the SHA-256 of a text: a short suffix that depends on that text alone.
 *
 * @example
 * shortHash("AL-NASER AIRLINES") // "3b0c..." (8 characters)
 */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * Legal forms and words only a body carries. Matched as whole words on the upper-cased name.
 * Sector words ("AIRLINES", "TRADING") are included because DPL names bodies without legal form.
 */
const ORGANIZATION_WORDS = new Set([
  "INC",
  "INCORPORATED",
  "LLC",
  "LLP",
  "LP",
  "LTD",
  "LIMITED",
  "CO",
  "CORP",
  "CORPORATION",
  "COMPANY",
  "GMBH",
  "AG",
  "AB",
  "SA",
  "SL",
  "SRL",
  "SPA",
  "SARL",
  "BV",
  "NV",
  "KG",
  "PLC",
  "PTE",
  "PVT",
  "JSC",
  "PJSC",
  "OJSC",
  "CJSC",
  "OAO",
  "ZAO",
  "OOO",
  "FZC",
  "FZE",
  "FZCO",
  "ANSTALT",
  "GROUP",
  "HOLDING",
  "HOLDINGS",
  "AIRLINES",
  "AIRWAYS",
  "AIR",
  "AVIATION",
  "TRADING",
  "TRADE",
  "INDUSTRIES",
  "INDUSTRIAL",
  "INDUSTRIE",
  "TECHNOLOGY",
  "TECHNOLOGIES",
  "TECH",
  "ENGINEERING",
  "ELECTRONICS",
  "ELECTRONIC",
  "SYSTEMS",
  "INTERNATIONAL",
  "ENTERPRISE",
  "ENTERPRISES",
  "SERVICES",
  "SERVICE",
  "CONTRACTING",
  "COMPUTERS",
  "METALS",
  "MACHINERY",
  "EQUIPMENT",
  "MANUFACTURING",
  "SUPPLY",
  "LOGISTICS",
  "INSTITUTE",
  "UNIVERSITY",
  "BANK",
  "EXPORT",
  "IMPORT",
  "SOLUTIONS",
  "TECHNIK",
  "VERTRIEBS",
  "EMPRESA",
  "MANAGEMENT",
  "INVEST",
  "MARITIME",
  "SHIPPING",
  "AEROSPACE",
]);

/** Two-letter legal forms (AG, AB, SA...) are also words in names ("JOAO SA"): they count only last. */
const SHORT_FORM_LAST_ONLY = 2;

/** Titles and generational suffixes only a person carries. */
const PERSON_WORDS = new Set([
  "JR",
  "SR",
  "II",
  "III",
  "IV",
  "MR",
  "MRS",
  "MS",
  "DR",
  "PROFESSOR",
  "COLONEL",
  "CAPTAIN",
]);

/** Addresses that only a person has: a prison, an inmate or US Marshals number. */
const PERSON_ADDRESS =
  /\b(INMATE|USM NO|REGISTER NUMBER|REG\. NO|FCI|FMC|FDC|USP|FEDERAL CORRECTIONAL|CORRECTIONAL (INSTITUTION|FACILITY|CENTER)|PRISON|PENITENTIARY|INCARCERATED)\b/i;

/**
 * Decides the schema of a party that a list publishes without one. `Organization` when the name
 * carries a legal form or a word only bodies carry (INC, LLC, GMBH, AIRLINES...) or is a domain
 * name; `Person` when the name has a personal title or suffix (JR., MR., PROFESSOR) or an address
 * is a prison; otherwise `LegalEntity`, which screening compares against both: a wrong guess
 * either way ("KOSARIAN FARD", "TECHONWEB") would bias every later match.
 *
 * @example
 * guessPartySchema("ARROWTRONIC, LLC", []) // "Organization"
 * guessPartySchema("ABEL HERNANDEZ, JR.", []) // "Person"
 * guessPartySchema("AJAY AHUJA", ["INMATE NUMBER: 13991-029, FMC ROCHESTER"]) // "Person"
 * guessPartySchema("AJAY AHUJA", ["12 MAIN STREET"]) // "LegalEntity"
 */
export function guessPartySchema(name: string, addresses: string[]): EntitySchema {
  const words = name
    .toUpperCase()
    .replace(/\b([A-Z])\.(?=[A-Z]\.)/g, "$1")
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const isForm = (word: string, index: number) =>
    ORGANIZATION_WORDS.has(word) && (word.length > SHORT_FORM_LAST_ONLY || index === words.length - 1);
  if (words.some(isForm) || /\.(NET|COM|ORG)\b/i.test(name)) return "Organization";
  if (words.some((word) => PERSON_WORDS.has(word))) return "Person";
  if (addresses.some((address) => PERSON_ADDRESS.test(address))) return "Person";
  return "LegalEntity";
}

/**
 * Alias forms written inside a name: "FUYI SUN A/K/A FRANK SUN", "PEARL (A.K.A. NEI-CHIEN CHU) LI",
 * "SIBERIAN AIRLINES D/B/A S7 AIRLINES". Returns the name without the alias and the aliases.
 *
 * @example
 * splitInlineAliases("FUYI SUN A/K/A FRANK SUN") // { base: "FUYI SUN", aliases: ["FRANK SUN"] }
 */
export function splitInlineAliases(name: string): { base: string; aliases: string[] } {
  const aliases: string[] = [];
  let base = name.replace(
    /\(\s*(?:A\.?K\.?A\.?|A\/K\/A|F\.?K\.?A\.?|D\/B\/A)\s+([^)]+)\)/gi,
    (_, alias: string) => {
      aliases.push(cleanText(alias));
      return " ";
    },
  );
  const trailing = base.match(/^(.+?)\s+(?:A\/K\/A|D\/B\/A|F\/K\/A|A\.K\.A\.)\s+(.+)$/i);
  if (trailing) {
    base = trailing[1]!;
    aliases.push(...trailing[2]!.split(/\s+(?:A\/K\/A|D\/B\/A|F\/K\/A|A\.K\.A\.)\s+/i).map(cleanText));
  }
  return { base: cleanText(base), aliases: aliases.filter(Boolean) };
}

/** US state and territory codes, to recognise a state written in the Country column. */
const US_STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split(
    " ",
  ),
);

/**
 * The grouping key of a DPL row: the name upper-cased with white space collapsed. The publisher
 * repeats a party's name verbatim on each of its rows, save stray spaces (" I. ASH" / "I. ASH").
 */
export const dplNameKey = (name: string): string => cleanText(name).normalize("NFC").toUpperCase();

/**
 * Stable native ids for DPL parties, which have none of their own.
 *
 * Rule: the id is `slugify(key)` of the grouping key ("ABEL HERNANDEZ, JR." → "abel-hernandez-jr").
 * Two different keys can share a slug when they differ only in punctuation ("AL NASER AIRLINES" and
 * "AL-NASER  AIRLINES"). Within such a group the key that is already its own slug form (only letters,
 * digits and single spaces) keeps the bare slug, and every other key gets `-<shortHash(key)>`
 * ("al-naser-airlines-1a2b3c4d"). The suffix depends only on the key itself, never on file order
 * or on other rows, so an id survives reordering and newer versions of the list as long as the
 * name is spelled the same; a renamed party is a new id, as it is on the list itself.
 *
 * @example
 * dplNativeIds(["AL NASER AIRLINES", "AL-NASER AIRLINES"]).get("AL NASER AIRLINES") // "al-naser-airlines"
 */
export function dplNativeIds(keys: Iterable<string>): Map<string, string> {
  const bySlug = new Map<string, string[]>();
  for (const key of keys) {
    const slug = slugify(key) || "unnamed";
    const group = bySlug.get(slug) ?? [];
    if (!group.includes(key)) group.push(key);
    bySlug.set(slug, group);
  }
  const ids = new Map<string, string>();
  for (const [slug, group] of bySlug) {
    for (const key of group) {
      const canonical = group.length === 1 || /^[A-Z0-9]+( [A-Z0-9]+)*$/.test(key);
      ids.set(key, canonical ? slug : `${slug}-${shortHash(key)}`);
    }
  }
  return ids;
}

/**
 * Whether a file head is the DPL's tab-separated file: its first line names the DPL's columns.
 *
 * @example
 * detectBisDpl('"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t...') // true
 */
export function detectBisDpl(head: string): boolean {
  const first = head.split(/\r?\n/, 1)[0] ?? "";
  if (!first.includes("\t")) return false;
  const cells = first.split("\t").map((cell) => cell.replace(/^"|"$/g, "").trim());
  return ["Name", "Street_Address", "Effective_Date", "FR_Citation"].every((column) =>
    cells.includes(column),
  );
}

interface DplRow {
  line: number;
  values: Record<string, string>;
}

/**
 * Reads the DPL. The file is small (hundreds of rows) and a party's rows need not be adjacent,
 * so rows are gathered first and entities emitted at the end, in order of first appearance.
 *
 * @example
 * for await (const event of parseBisDpl({ format: "bis-dpl-tsv", listId: "bis-dpl", files: ["dpl.txt"] })) { ... }
 */
export const parseBisDpl: ListParser = async function* (bundle) {
  for (const file of bundle.files) yield* parseDplFile(file);
};

async function* parseDplFile(file: string): AsyncGenerator<ParseEvent> {
  const name = basename(file);
  const issues: ParseIssue[] = [];
  const warn = (code: string, message: string, line: number, record?: string, field?: string) =>
    issues.push({ code, severity: "warning", message, file: name, line, record, field });

  const groups = new Map<string, DplRow[]>();
  for await (const { header, fields, line } of headedCsvRows(file, {
    delimiter: "\t",
    required: REQUIRED_COLUMNS,
    what: "the BIS Denied Persons List",
    onIssue: (issue) => issues.push(issue),
  })) {
    const values = Object.fromEntries(header.map((column, index) => [column, fields[index] ?? ""]));
    const key = dplNameKey(values.Name ?? "");
    if (!key) {
      warn("missing-name", "row has no name; row skipped", line, undefined, "Name");
      continue;
    }
    const group = groups.get(key) ?? [];
    group.push({ line, values });
    groups.set(key, group);
  }

  const ids = dplNativeIds(groups.keys());
  const entities: ListEntityInput[] = [];
  for (const [key, rows] of groups) {
    const nativeId = ids.get(key)!;
    entities.push(buildEntity(nativeId, rows, warn));
  }
  for (const issue of issues) yield { type: "issue", issue };
  for (const entity of entities) yield { type: "entity", entity };
}

function buildEntity(
  nativeId: string,
  rows: DplRow[],
  warn: (code: string, message: string, line: number, record?: string, field?: string) => void,
): ListEntityInput {
  const id = entityId(LIST_ID, nativeId);
  const first = rows[0]!;
  const name = cleanText(first.values.Name);
  const names: NameForm[] = [{ full: name, kind: "primary" }];
  const { base, aliases } = splitInlineAliases(name);
  for (const alias of base !== name ? [base, ...aliases] : aliases) {
    if (!names.some((form) => form.full === alias)) names.push({ full: alias, kind: "aka" });
  }

  const addresses: Address[] = [];
  const countries: Country[] = [];
  const sanctions: Sanction[] = [];
  const seen = new Set<string>();
  const once = <T>(list: T[], value: T) => {
    const json = JSON.stringify(value);
    if (!seen.has(json)) {
      seen.add(json);
      list.push(value);
    }
  };
  let listedOn: string | undefined;
  for (const { line, values } of rows) {
    const get = (column: string) => cleanText(values[column]);
    const street = get("Street_Address");
    const city = get("City");
    let region = get("State");
    let countryText = get("Country");
    // A US state in the Country column with no State given ("ANTHONY", "", "NM"): it is the state.
    if (
      countryText &&
      !region &&
      US_STATES.has(countryText.toUpperCase()) &&
      !normalizeCountry(countryText).code
    ) {
      warn(
        "state-in-country",
        `'${countryText}' in the Country column is a US state; read as the state`,
        line,
        id,
        "Country",
      );
      region = countryText;
      countryText = "";
    }
    const postalCode = get("Postal_Code");
    const address: Address = {};
    const full = [street, city, region, postalCode, countryText].filter(Boolean).join(", ");
    if (full) address.full = full;
    if (street) address.street = street;
    if (city) address.city = city;
    if (region) address.region = region;
    if (postalCode) address.postalCode = postalCode;
    if (countryText) {
      const country = normalizeCountry(countryText);
      if (!country.code) warn("unknown-country", `unknown country '${countryText}'`, line, id, "Country");
      address.country = country;
      if (country.code && !countries.some((known) => known.code === country.code)) countries.push(country);
    }
    if (full) once(addresses, address);

    const sanction: Sanction = { measure: MEASURE, authority: AUTHORITY };
    const act = get("FR_Citation");
    if (act) sanction.act = act;
    for (const [column, field] of [
      ["Effective_Date", "startDate"],
      ["Expiration_Date", "endDate"],
    ] as const) {
      const text = get(column);
      if (!text) continue;
      const date = parseDateText(text, "mdy");
      if (date?.kind === "exact") sanction[field] = date.from;
      else warn("bad-date", `could not read date '${text}'`, line, id, column);
    }
    if (sanction.startDate && (!listedOn || sanction.startDate < listedOn)) listedOn = sanction.startDate;
    once(sanctions, sanction);
  }

  const entity: ListEntityInput = {
    id,
    listId: LIST_ID,
    nativeId,
    schema: guessPartySchema(
      name,
      addresses.map((address) => address.full ?? ""),
    ),
    name,
    names,
    addresses,
    countries,
    sanctions,
    raw: rows.map((row) => row.values),
  };
  if (listedOn) entity.listedOn = listedOn;
  return entity;
}
