import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { ParseIssue } from "../model/index.js";
import { type CsvRecord, CsvRecordReader, CsvSyntaxError } from "./csv-records.js";
import { SourceFileError } from "./types.js";

// Windows-1252 characters at 0x80-0x9F (Node's TextDecoder treats "windows-1252" as plain
// Latin-1 and would leave C1 controls where publishers meant ’ “ ” € – —). Undefined bytes stay.
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/**
 * Decodes bytes as Windows-1252.
 *
 * @example
 * decodeWindows1252(Buffer.from([0x92, 0xe9])) // "’é"
 */
export function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString("latin1").replace(/[\u0080-\u009F]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

/** What a reader says of a file (or an upload) that is not UTF-8. */
export const NOT_UTF8_WARNING = "file is not valid UTF-8; read as Latin-1 (Windows-1252)";

/**
 * Streams a file as decoded text. Lists are meant to be UTF-8, but some publishers' files arrive in
 * Latin-1 (Windows-1252). The first invalid UTF-8 sequence switches the rest of the file to
 * Latin-1 and reports one warning, so a name with "é" is read as "é" and not dropped.
 * A UTF-8 byte order mark is removed.
 *
 * @example
 * for await (const chunk of readTextChunks("sdn.csv", (issue) => issues.push(issue))) { ... }
 */
export async function* readTextChunks(
  file: string,
  onIssue: (issue: ParseIssue) => void = () => {},
): AsyncGenerator<string> {
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let latin1 = false;
  let first = true;
  for await (const raw of stream as AsyncIterable<Buffer>) {
    // Drop a UTF-8 byte order mark as bytes, so it is not misread if the file turns out to be Latin-1.
    const chunk = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    let text: string;
    if (latin1) {
      text = decodeWindows1252(chunk);
    } else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // Re-decode this chunk, and the rest of the file, as Windows-1252 (the superset of Latin-1).
        latin1 = true;
        text = decodeWindows1252(chunk);
        onIssue({
          code: "not-utf8",
          severity: "warning",
          message: NOT_UTF8_WARNING,
          file: basename(file),
        });
      }
    }
    first = false;
    if (text) yield text;
  }
  if (!latin1) {
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

/**
 * Decodes bytes received whole (an HTTP upload) with the same rules as `readTextChunks`: UTF-8,
 * its byte order mark dropped, or Windows-1252 when the bytes are not UTF-8 (`latin1` says so).
 *
 * @example
 * decodeText(Buffer.from([0x4a, 0x6f, 0x73, 0xe9])) // { text: "José", latin1: true }
 */
export function decodeText(bytes: Buffer): { text: string; latin1: boolean } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body), latin1: false };
  } catch {
    return { text: decodeWindows1252(body), latin1: true };
  }
}

/** Reads a small file whole as text, with the same encoding rules as `readTextChunks`. */
export async function readText(file: string, onIssue?: (issue: ParseIssue) => void): Promise<string> {
  let text = "";
  for await (const chunk of readTextChunks(file, onIssue)) text += chunk;
  return text;
}

/** A record's fields and the 1-based line it starts on. */
export type CsvRow = CsvRecord;

export interface CsvOptions {
  delimiter?: string;
  onIssue?: (issue: ParseIssue) => void;
}

/**
 * Streams CSV (or TSV) records as arrays of fields with the line each starts on (csv-records.ts:
 * quoted fields may span lines, empty lines are skipped). Rows with the wrong column count are
 * passed through for the parser to judge; malformed quoting throws a `SourceFileError` naming the
 * file and line.
 *
 * @example
 * for await (const { fields, line } of csvRows("dpl.txt", { delimiter: "\t" })) { ... }
 */
export async function* csvRows(file: string, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  const reader = new CsvRecordReader(options.delimiter ?? ",");
  const name = basename(file);
  const records = (read: () => CsvRow[]) => {
    try {
      return read();
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new SourceFileError(error.message, name, error.line);
      throw error;
    }
  };
  for await (const chunk of readTextChunks(file, options.onIssue)) yield* records(() => reader.push(chunk));
  yield* records(() => reader.end());
}

export interface HeadedCsvOptions extends CsvOptions {
  /** Columns the header must have; a header without them means the file is not this format. */
  required: readonly string[];
  /** The format's name, for the error ("not the BIS Denied Persons List"). */
  what: string;
  /** How header cells are normalised before matching `required` (default: trimmed). */
  normalizeHeader?: (cell: string) => string;
}

/**
 * Streams the records of a CSV/TSV with a header row as `{ header, fields, line }`. An empty
 * file, or a header without the required columns, throws `SourceFileError` naming the file; a record with another
 * field count than the header is reported through `onIssue` (code `column-count`) and skipped.
 *
 * @example
 * for await (const { fields, header, line } of headedCsvRows("dpl.txt", { delimiter: "\t", required: ["Name"], what: "the BIS DPL" })) { ... }
 */
export async function* headedCsvRows(
  file: string,
  options: HeadedCsvOptions,
): AsyncGenerator<{ header: string[]; fields: string[]; line: number }> {
  const name = basename(file);
  const normalize = options.normalizeHeader ?? ((cell: string) => cell.trim());
  let header: string[] | undefined;
  for await (const { fields, line } of csvRows(file, options)) {
    if (!header) {
      header = fields.map(normalize);
      const missing = options.required.filter((column) => !header!.includes(column));
      if (missing.length > 0) {
        throw new SourceFileError(`not ${options.what}: no column ${missing.join(", ")}`, name, line);
      }
      continue;
    }
    if (fields.length !== header.length) {
      options.onIssue?.({
        code: "column-count",
        severity: "warning",
        message: `row has ${fields.length} fields, the header has ${header.length}; row skipped`,
        file: name,
        line,
      });
      continue;
    }
    yield { header, fields, line };
  }
  if (!header) throw new SourceFileError("empty file: no header row", name);
}
