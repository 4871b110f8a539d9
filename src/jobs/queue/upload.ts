import { toPartyRow } from "../party-rows.js";
import { type JobInputRow, MAX_JOB_ROWS, type UploadFormat } from "./job-model.js";

/**
 * An upload that cannot be a job at all (no header, no id/name columns, no rows, too many rows).
 * Problems of single rows are not errors: they become `malformed-row` answers.
 *
 * @example
 * throw new UploadError("the header has no 'name' column (found: id, nom)");
 */
export class UploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UploadError";
  }
}

/**
 * A physical record can span lines only inside quotes; a name or address cell with more line breaks
 * than this is an unclosed quote, and stopping there keeps one bad row from swallowing the file.
 */
const MAX_LINES_PER_RECORD = 10;

const FIELDS = ["id", "name", "schema", "country", "dob", "address", "identifier"] as const;

/**
 * Splits one CSV record (RFC 4180: `"` quotes, `""` inside quotes) into fields, or explains why
 * it cannot.
 *
 * @example
 * splitCsvRecord('C-1,"ACME, LLC"') // { fields: ["C-1", "ACME, LLC"] }
 * splitCsvRecord('C-1,"ACME') // { error: "a quoted field is not closed" }
 */
export function splitCsvRecord(record: string): { fields: string[] } | { error: string } {
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let afterQuote = false;
  while (i < record.length) {
    const c = record[i]!;
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else field += c;
      i++;
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (c === '"') {
      if (field.length > 0 || afterQuote)
        return { error: `a quote inside an unquoted field (column ${fields.length + 1})` };
      quoted = true;
    } else if (afterQuote) {
      if (c !== "\r") return { error: `text after a closing quote (column ${fields.length + 1})` };
    } else field += c;
    i++;
  }
  if (quoted) return { error: "a quoted field is not closed" };
  fields.push(field.endsWith("\r") ? field.slice(0, -1) : field);
  return { fields };
}

function quoteCount(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 34) n++;
  return n;
}

/** Logical CSV records with their first line number; quoted line breaks kept inside a record. */
function* csvRecords(text: string): Generator<{ text: string; line: number; error?: string }> {
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let record = lines[i]!;
    let quotes = quoteCount(record);
    i++;
    while (quotes % 2 === 1 && i < lines.length && i - start < MAX_LINES_PER_RECORD) {
      record += `\n${lines[i]}`;
      quotes += quoteCount(lines[i]!);
      i++;
    }
    if (quotes % 2 === 1) {
      // Unclosed quote: report the first line alone and resume on the next one.
      i = start + 1;
      yield { text: lines[start]!, line: start + 1, error: "a quoted field is not closed" };
      continue;
    }
    if (record.trim() === "") continue;
    yield { text: record, line: start + 1 };
  }
}

function checkSize(count: number): void {
  if (count > MAX_JOB_ROWS) {
    throw new UploadError(`the upload has more than ${MAX_JOB_ROWS} rows; split it into several jobs`);
  }
}

/**
 * Reads a CSV upload (header with `id` and `name`; optional `schema`, `country`, `dob`, `address`,
 * `identifier`; others ignored) into job rows. A row with bad quoting or a different number of
 * fields than the header is kept as a broken row, so it is answered in the results.
 *
 * @example
 * parseCsvUpload("id,name\nC-1,ACME LLC\n")[0] // { index: 0, party: { line: 2, id: "C-1", name: "ACME LLC", issues: [] } }
 */
export function parseCsvUpload(text: string): JobInputRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ""));
  const header = records.next();
  if (header.done) throw new UploadError("the upload is empty; a CSV job needs a header with id and name");
  const headerFields = splitCsvRecord(header.value.text);
  if ("error" in headerFields || header.value.error) {
    throw new UploadError(
      `the header line cannot be read: ${"error" in headerFields ? headerFields.error : header.value.error}`,
    );
  }
  const columns = headerFields.fields.map((f) => f.trim().toLowerCase());
  for (const required of ["id", "name"]) {
    if (!columns.includes(required)) {
      throw new UploadError(
        `the header has no '${required}' column (found: ${columns.join(", ") || "nothing"}); a screening upload needs id and name`,
      );
    }
  }
  const rows: JobInputRow[] = [];
  for (const record of records) {
    checkSize(rows.length + 1);
    const index = rows.length;
    const fallbackId = `line-${record.line}`;
    const split = record.error ? { error: record.error } : splitCsvRecord(record.text);
    if ("error" in split) {
      rows.push({ index, broken: { id: fallbackId, line: record.line, message: split.error } });
      continue;
    }
    if (split.fields.length !== columns.length) {
      rows.push({
        index,
        broken: {
          id: split.fields[columns.indexOf("id")]?.trim() || fallbackId,
          line: record.line,
          message: `${split.fields.length} fields but the header has ${columns.length}`,
        },
      });
      continue;
    }
    const cells: Record<string, string | undefined> = {};
    columns.forEach((column, i) => {
      cells[column] = split.fields[i];
    });
    rows.push({ index, party: toPartyRow(record.line, cells) });
  }
  if (rows.length === 0) throw new UploadError("the upload has a header but no rows");
  return rows;
}

/**
 * Reads a JSON-lines upload: one object per line with `name` and optionally `id`, `schema`,
 * `country`, `dob`, `address`, `identifier` (strings; numbers are read as text). Blank lines are
 * skipped; a line that is not such an object is kept as a broken row.
 *
 * @example
 * parseJsonlUpload('{"id":"C-1","name":"ACME LLC"}\n')[0] // { index: 0, party: { line: 1, id: "C-1", ... } }
 */
export function parseJsonlUpload(text: string): JobInputRow[] {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const rows: JobInputRow[] = [];
  lines.forEach((raw, i) => {
    const lineText = raw.trim();
    if (!lineText) return;
    checkSize(rows.length + 1);
    const line = i + 1;
    const index = rows.length;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      rows.push({
        index,
        broken: { id: `line-${line}`, line, message: `not valid JSON (${(error as Error).message})` },
      });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      rows.push({
        index,
        broken: { id: `line-${line}`, line, message: "expected a JSON object with a name" },
      });
      return;
    }
    const record = value as Record<string, unknown>;
    const cells: Record<string, string | undefined> = {};
    const wrong: string[] = [];
    for (const field of FIELDS) {
      const cell = record[field];
      if (cell === undefined || cell === null) continue;
      if (typeof cell === "string") cells[field] = cell;
      else if (typeof cell === "number" && Number.isFinite(cell)) cells[field] = String(cell);
      else wrong.push(field);
    }
    if (wrong.length > 0) {
      rows.push({
        index,
        broken: {
          id: cells.id?.trim() || `line-${line}`,
          line,
          message: `${wrong.map((f) => `'${f}'`).join(", ")} must be text`,
        },
      });
      return;
    }
    rows.push({ index, party: toPartyRow(line, cells) });
  });
  if (rows.length === 0) throw new UploadError("the upload has no rows");
  return rows;
}

/**
 * Reads an upload of either format.
 *
 * @example
 * parseUpload(body, "csv").length // rows in the file
 */
export function parseUpload(text: string, format: UploadFormat): JobInputRow[] {
  return format === "csv" ? parseCsvUpload(text) : parseJsonlUpload(text);
}
