import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { parse as parseCsv } from "csv-parse";
import type { ParseIssue } from "../model/index.js";
import { SourceFileError } from "./types.js";

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
  let decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let latin1 = false;
  let first = true;
  for await (const raw of stream as AsyncIterable<Buffer>) {
    // Drop a UTF-8 byte order mark as bytes, so it is not misread if the file turns out to be Latin-1.
    const chunk = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    let text: string;
    if (latin1) {
      text = decoder.decode(chunk, { stream: true });
    } else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // Re-decode this chunk as Latin-1 (windows-1252 is its superset used by WHATWG "latin1").
        latin1 = true;
        decoder = new TextDecoder("windows-1252");
        text = decoder.decode(chunk, { stream: true });
        onIssue({
          code: "not-utf8",
          severity: "warning",
          message: "file is not valid UTF-8; read as Latin-1 (Windows-1252)",
          file: basename(file),
        });
      }
    }
    first = false;
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Reads a small file whole as text, with the same encoding rules as `readTextChunks`. */
export async function readText(file: string, onIssue?: (issue: ParseIssue) => void): Promise<string> {
  let text = "";
  for await (const chunk of readTextChunks(file, onIssue)) text += chunk;
  return text;
}

export interface CsvRow {
  fields: string[];
  /** 1-based line number where the record starts. */
  line: number;
}

export interface CsvOptions {
  delimiter?: string;
  /** OFAC's legacy files quote inconsistently and pad cells with spaces. */
  trim?: boolean;
  onIssue?: (issue: ParseIssue) => void;
}

/**
 * Streams CSV (or TSV) records as arrays of fields with their line numbers. Rows with the
 * wrong column count are passed through for the parser to judge; malformed quoting throws a
 * `SourceFileError` naming the file and line.
 *
 * @example
 * for await (const { fields, line } of csvRows("dpl.txt", { delimiter: "\t" })) { ... }
 */
export async function* csvRows(file: string, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  const parser = parseCsv({
    delimiter: options.delimiter ?? ",",
    relax_column_count: true,
    relax_quotes: false,
    trim: options.trim ?? false,
    skip_empty_lines: true,
    info: true,
  });
  const name = basename(file);
  const feed = (async () => {
    try {
      for await (const chunk of readTextChunks(file, options.onIssue)) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once("drain", resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { fields: item.record, line: item.info.lines };
    }
  } catch (error) {
    const csvError = error as { message?: string; lines?: number };
    throw new SourceFileError(csvError.message ?? String(error), name, csvError.lines);
  } finally {
    await feed.catch(() => {});
  }
}
