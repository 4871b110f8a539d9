import type { ListEntityInput, ParseIssue } from "../model/index.js";

/**
 * The formats Chokepoint reads. One parser each; the format of a file is detected from its
 * content (see `detect.ts`), never from its name.
 */
export const SOURCE_FORMATS = [
  "ofac-csv",
  "un-xml",
  "uk-fcdo-ods",
  "uk-fcdo-csv",
  "bis-dpl-tsv",
  "us-csl-csv",
  "eu-journal-csv",
  "ca-sema-xml",
  "ftm-jsonl",
] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/**
 * What a parser streams out: entities (before schema defaults are applied), parse issues,
 * and facts about the file such as the publisher's date.
 *
 * @example
 * { type: "entity", entity: { id: "un:CDi.001", ... }, line: 12 }
 * { type: "issue", issue: { code: "bad-date", severity: "warning", ... } }
 * { type: "meta", publishedAt: "2026-02-27" }
 */
export type ParseEvent =
  | { type: "entity"; entity: ListEntityInput }
  | { type: "issue"; issue: ParseIssue }
  | { type: "meta"; publishedAt?: string; listId?: string };

/**
 * A set of files that make up one list in one format: the four OFAC CSVs, the 45 EU annex
 * CSVs, or a single XML file.
 */
export interface SourceBundle {
  format: SourceFormat;
  listId: string;
  /** Absolute paths. For `ofac-csv` the roles are resolved by `OfacFiles`. */
  files: string[];
}

/**
 * A parser: reads the bundle's files and streams events. It must not throw for a bad record
 * (that is an issue event); it throws only when the whole file is unreadable (truncated XML,
 * wrong format), and the import of that list is then rejected atomically.
 */
export type ListParser = (bundle: SourceBundle) => AsyncGenerator<ParseEvent>;

/** Error for a file that cannot be read at all; carries file and line for the message. */
export class SourceFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = "SourceFileError";
  }
}
