import { isUtf8 } from "node:buffer";
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

/** `bytes` without a leading UTF-8 byte order mark (dropped as bytes, before any decoding). */
function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** What a reader says of a file (or an upload) that is not UTF-8. */
export const NOT_UTF8_WARNING = "some lines are not valid UTF-8; they were read as Latin-1 (Windows-1252)";

/** Longest partial line held back for the next chunk; past it a chunk is cut at a character boundary. */
const MAX_HELD_LINE = 1024 * 1024;

/**
 * Decodes bytes that end at a line break (or the end of the text): as UTF-8 when they all are,
 * else line by line, each line that is UTF-8 as UTF-8 and each other line as Windows-1252 (the
 * superset of Latin-1). A file that is Latin-1 throughout reads the same either way; one that is
 * mixed (two exports joined, a Latin-1 row pasted into a UTF-8 file) keeps every line right, where
 * switching the whole file, or the rest of it, turned the UTF-8 lines' "é" into "Ã©". CR and LF
 * bytes are never part of a UTF-8 character nor a Windows-1252 letter, so splitting at them is safe.
 * Lines are checked with `isUtf8` (which does not throw: a decoder's exception per line made a
 * Latin-1 file of short lines 350 times slower to read) and neighbouring lines of one kind are
 * decoded together. `latin1` says whether any line was not UTF-8.
 */
function decodeByLine(bytes: Buffer, decoder: TextDecoder): { text: string; latin1: boolean } {
  if (isUtf8(bytes)) return { text: decoder.decode(bytes), latin1: false };
  const parts: string[] = [];
  // The run of lines of one kind being gathered: [runStart, from), UTF-8 or not.
  let runStart = 0;
  let runUtf8 = true;
  let latin1 = false;
  const flush = (end: number) => {
    if (end === runStart) return;
    const run = bytes.subarray(runStart, end);
    parts.push(runUtf8 ? decoder.decode(run) : decodeWindows1252(run));
    runStart = end;
  };
  for (let from = 0; from < bytes.length; ) {
    let to = from;
    while (to < bytes.length && bytes[to] !== 0x0a && bytes[to] !== 0x0d) to++;
    if (to < bytes.length) to++;
    const utf8 = isUtf8(bytes.subarray(from, to));
    if (!utf8) latin1 = true;
    if (utf8 !== runUtf8) {
      flush(from);
      runUtf8 = utf8;
    }
    from = to;
  }
  flush(bytes.length);
  return { text: parts.join(""), latin1 };
}

/** Where `bytes` can be cut so that the first part ends after a line break (0 when none). */
function afterLastLineBreak(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] === 0x0a || bytes[i] === 0x0d) return i + 1;
  return 0;
}

/**
 * Streams a file as decoded text. Lists are meant to be UTF-8, but some publishers' files arrive in
 * Latin-1 (Windows-1252): a line that is not UTF-8 is read as Windows-1252 (see `decodeByLine`),
 * with one warning for the file, so a name with "é" is read as "é" and not dropped. A UTF-8 byte
 * order mark is removed. Chunks are decoded up to their last line break; the partial line waits
 * for the next chunk (a line over 1 MB is cut at a character boundary instead).
 *
 * @example
 * for await (const chunk of readTextChunks("sdn.csv", (issue) => issues.push(issue))) { ... }
 */
export async function* readTextChunks(
  file: string,
  onIssue: (issue: ParseIssue) => void = () => {},
): AsyncGenerator<string> {
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let warned = false;
  let first = true;
  // The bytes after the previous chunk's last line break, decoded with the next one.
  let held: Buffer | undefined;
  const decode = (bytes: Buffer): string => {
    const { text, latin1 } = decodeByLine(bytes, decoder);
    if (latin1 && !warned) {
      warned = true;
      onIssue({ code: "not-utf8", severity: "warning", message: NOT_UTF8_WARNING, file: basename(file) });
    }
    return text;
  };
  for await (const raw of stream as AsyncIterable<Buffer>) {
    // Drop a UTF-8 byte order mark as bytes, so it is not misread if the file turns out to be Latin-1.
    const chunk = first ? withoutBom(raw) : raw;
    first = false;
    const bytes = held ? Buffer.concat([held, chunk]) : chunk;
    let cut = afterLastLineBreak(bytes);
    if (cut === 0) {
      if (bytes.length < MAX_HELD_LINE) {
        held = Buffer.from(bytes);
        continue;
      }
      cut = completeUtf8Length(bytes);
    }
    held = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
    const text = decode(bytes.subarray(0, cut));
    if (text) yield text;
  }
  if (held) {
    const text = decode(held);
    if (text) yield text;
  }
}

/**
 * How many leading bytes of `bytes` end on a character boundary: all of them, unless the last
 * character's lead byte announces more bytes than are left (the rest comes with the next chunk).
 * Bytes that are not UTF-8 at all are counted in, for the decoder to refuse.
 */
function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? n - back : n;
  }
  return n;
}

/**
 * Decodes bytes received whole (an HTTP upload) as a file is read: UTF-8, its byte order mark
 * dropped, and each line that is not UTF-8 as Windows-1252 (`latin1` says whether any was).
 *
 * @example
 * decodeText(Buffer.from([0x4a, 0x6f, 0x73, 0xe9])) // { text: "José", latin1: true }
 */
export function decodeText(bytes: Buffer): { text: string; latin1: boolean } {
  return decodeByLine(withoutBom(bytes), new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }));
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
  for await (const batch of csvRowBatches(file, options)) yield* batch;
}

/**
 * `csvRows` a read at a time: the records completed by each chunk of text, as one array (never
 * empty). For loops over many rows, where handing them on one by one through async generators
 * costs more than the work on each (see `screenRowBatches`).
 *
 * @example
 * for await (const batch of csvRowBatches("customers.csv")) for (const { fields, line } of batch) { ... }
 */
export async function* csvRowBatches(file: string, options: CsvOptions = {}): AsyncGenerator<CsvRow[]> {
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
  for await (const chunk of readTextChunks(file, options.onIssue)) {
    const batch = records(() => reader.push(chunk));
    if (batch.length > 0) yield batch;
  }
  const rest = records(() => reader.end());
  if (rest.length > 0) yield rest;
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
