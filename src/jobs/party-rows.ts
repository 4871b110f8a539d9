import { basename } from "node:path";
import {
  countryCode,
  ENTITY_SCHEMAS,
  type EntitySchema,
  type ParseIssue,
  parseDateText,
} from "../model/index.js";
import { csvRowBatches } from "../sources/io.js";
import { SourceFileError } from "../sources/types.js";

/** Longest name screened; longer cells are cut with an issue (no real name is 1,000 characters). */
export const MAX_NAME_LENGTH = 1000;

export const ROW_ISSUE_CODES = [
  "empty-name",
  "name-too-long",
  "control-characters",
  "unknown-schema",
  "bad-date",
  "unknown-country",
  "screening-failed",
] as const;

/** A problem with one input row; the row is still answered (with no matches if it cannot be screened). */
export interface RowIssue {
  code: (typeof ROW_ISSUE_CODES)[number];
  message: string;
  field: string;
}

/**
 * One customer row as read from a screening CSV, cleaned and checked.
 *
 * @example
 * { line: 2, id: "C-001", name: "Saddam Hussein AL-TIKRITI", schema: "Person", country: "IQ", dob: "1937-04-28", issues: [] }
 */
export interface PartyRow {
  line: number;
  id: string;
  /** Empty when the row cannot be screened (see issues). */
  name: string;
  schema?: EntitySchema;
  country?: string;
  dob?: string;
  address?: string;
  identifier?: string;
  issues: RowIssue[];
}

const SCHEMA_BY_LOWER = new Map<string, EntitySchema>(ENTITY_SCHEMAS.map((s) => [s.toLowerCase(), s]));
SCHEMA_BY_LOWER.set("individual", "Person");
SCHEMA_BY_LOWER.set("entity", "Organization");
SCHEMA_BY_LOWER.set("company", "Company");
SCHEMA_BY_LOWER.set("ship", "Vessel");

// C0 and C1 controls other than tab; a name never legitimately holds them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Cleans and checks one row's cells. Pure; `readPartyRows` feeds it.
 *
 * @example
 * toPartyRow(2, { id: "C-1", name: " ACME\u0007 LLC ", schema: "company" }).name // "ACME LLC"
 */
export function toPartyRow(line: number, cells: Record<string, string | undefined>): PartyRow {
  const issues: RowIssue[] = [];
  const id = (cells.id ?? "").trim() || `line-${line}`;
  let name = cells.name ?? "";
  const cleaned = name.replace(CONTROL_CHARACTERS, " ");
  if (cleaned !== name) {
    name = cleaned;
    issues.push({
      code: "control-characters",
      message: "control characters removed from the name",
      field: "name",
    });
  }
  name = name.replace(/\s+/g, " ").trim();
  if (name.length > MAX_NAME_LENGTH) {
    issues.push({
      code: "name-too-long",
      message: `name is ${name.length} characters; screened its first ${MAX_NAME_LENGTH}`,
      field: "name",
    });
    name = name.slice(0, MAX_NAME_LENGTH);
  }
  if (!name) issues.push({ code: "empty-name", message: "no name to screen", field: "name" });
  const row: PartyRow = { line, id, name, issues };

  const schemaText = cells.schema?.trim();
  if (schemaText) {
    const schema = SCHEMA_BY_LOWER.get(schemaText.toLowerCase());
    if (schema) row.schema = schema;
    else
      issues.push({
        code: "unknown-schema",
        message: `unknown schema '${schemaText}' (expected Person, Organization, Vessel or Aircraft); screened without it`,
        field: "schema",
      });
  }
  const countryText = cells.country?.trim();
  if (countryText) {
    const code = countryCode(countryText);
    if (code) row.country = code;
    else
      issues.push({
        code: "unknown-country",
        message: `unknown country '${countryText}'; screened without it`,
        field: "country",
      });
  }
  const dobText = cells.dob?.trim();
  if (dobText) {
    const date = parseDateText(dobText);
    if (date) row.dob = dobText;
    else
      issues.push({
        code: "bad-date",
        message: `could not read date of birth '${dobText}'; screened without it`,
        field: "dob",
      });
  }
  const address = cells.address?.trim();
  if (address) row.address = address;
  const identifier = cells.identifier?.trim();
  if (identifier) row.identifier = identifier;
  return row;
}

/**
 * Streams a screening CSV (header with `id` and `name`; optional `schema`, `country`, `dob`,
 * `address`, `identifier`; other columns ignored) as checked rows, in input order.
 * A file without the required columns is refused as a whole, naming the file. `onIssue` hears of
 * the file as a whole: lines that are not UTF-8 are read as Windows-1252 (code `not-utf8`).
 *
 * @example
 * for await (const row of readPartyRows("customers.csv")) console.log(row.id, row.name);
 */
export async function* readPartyRows(
  file: string,
  onIssue?: (issue: ParseIssue) => void,
): AsyncGenerator<PartyRow> {
  for await (const batch of readPartyRowBatches(file, onIssue)) yield* batch;
}

/**
 * `readPartyRows` a read at a time (arrays never empty), for `screenRowBatches`.
 *
 * @example
 * for await (const batch of readPartyRowBatches("customers.csv")) console.log(batch.length);
 */
export async function* readPartyRowBatches(
  file: string,
  onIssue?: (issue: ParseIssue) => void,
): AsyncGenerator<PartyRow[]> {
  let columns: string[] | undefined;
  for await (const records of csvRowBatches(file, onIssue ? { onIssue } : {})) {
    const batch: PartyRow[] = [];
    for (const { fields, line } of records) {
      if (!columns) {
        columns = fields.map((f) => f.trim().toLowerCase());
        for (const required of ["id", "name"]) {
          if (!columns.includes(required)) {
            throw new SourceFileError(
              `the header has no '${required}' column (found: ${columns.join(", ") || "nothing"}); a screening file needs id and name`,
              basename(file),
              line,
            );
          }
        }
        continue;
      }
      const cells: Record<string, string | undefined> = {};
      for (let index = 0; index < columns.length; index++) cells[columns[index]!] = fields[index];
      batch.push(toPartyRow(line, cells));
    }
    if (batch.length > 0) yield batch;
  }
  if (!columns)
    throw new SourceFileError(
      "the file is empty; a screening file needs a header with id and name",
      basename(file),
    );
}
