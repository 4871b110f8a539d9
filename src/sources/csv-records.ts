/**
 * CSV records from text that arrives in chunks (RFC 4180: fields separated by a delimiter, `"`
 * quotes a field, `""` inside quotes is one quote, quoted fields may hold delimiters and line
 * breaks). Pure: the caller reads the file (io.ts `csvRows`).
 *
 * Written for the screening input and the list files, which csv-parse read at ~4 MB/s: a third of
 * a second of every 50,000-name run went to it. This reader keeps csv-parse's strictness (a quote
 * inside an unquoted field or text after a closing quote is an error naming the line; a quoted
 * field still open at the end is an error naming the line it opened on), with two deliberate
 * differences:
 * - every line break ends a record, whichever of CRLF, LF or CR it is: csv-parse takes the first
 *   one it meets as the only record delimiter, so one stray LF in a CRLF file glued two customer
 *   rows into one field, and a file ending its lines in CRLF after an LF header kept a "\r" at the
 *   end of each row's last field;
 * - line numbers count each line break once (CRLF is one), the numbers an editor shows.
 * Empty lines are skipped; a line with only a delimiter is a record of empty fields.
 */

/** Longest field read (characters): a name, an address or a list's remarks are far shorter. */
export const MAX_FIELD_LENGTH = 8 * 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** One record: its fields, and the 1-based line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Malformed quoting, with the line to look at.
 *
 * @example
 * new CsvSyntaxError("text after a closing quote (field 2)", 14)
 */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

// Where the reader is inside a record.
/** At the start of a field (also of a record: see `recordOpen`). */
const FIELD_START = 0;
/** Inside an unquoted field. */
const UNQUOTED = 1;
/** Inside a quoted field. */
const QUOTED = 2;
/** Just after a quote inside a quoted field: `""` (an escaped quote) or the closing quote. */
const QUOTE_IN_QUOTED = 3;
/** After a field's closing quote: only a delimiter or a line break may follow. */
const CLOSED = 4;

/**
 * An incremental CSV reader: `push` each chunk of text, then `end`. Records are returned as soon
 * as their line break is read; a field split across chunks is joined.
 *
 * @example
 * const reader = new CsvRecordReader(",");
 * reader.push('id,name\n1,"ACME, LLC"\n2,Jo'); // [{ fields: ["id", "name"], line: 1 }, { fields: ["1", "ACME, LLC"], line: 2 }]
 * reader.end(); // [{ fields: ["2", "Jo"], line: 3 }]
 */
export class CsvRecordReader {
  private readonly delimiter: number;
  private at: number = FIELD_START;
  /** Fields of the record being read. */
  private fields: string[] = [];
  /** The current field's text from earlier chunks (a field is sliced from its chunk when it ends). */
  private carried = "";
  /** True once the current record has a character (an empty line is not a record). */
  private recordOpen = false;
  /** Line of the next character. */
  private line = 1;
  private recordLine = 1;
  /** Line the open quote of the current quoted field is on. */
  private quoteLine = 0;
  /** The previous chunk ended a record (or an empty line) on a CR: an LF starting this one is its pair. */
  private skipLF = false;
  /** Malformed quoting met after some records of a chunk: thrown by the next call. */
  private failure: CsvSyntaxError | undefined;
  /** The previous chunk ended on a CR inside a quoted field: an LF starting this one is its pair. */
  private quotedCR = false;

  constructor(delimiter = ",") {
    if (delimiter.length !== 1) throw new RangeError(`a CSV delimiter is one character, not '${delimiter}'`);
    this.delimiter = delimiter.charCodeAt(0);
    if (this.delimiter === QUOTE || this.delimiter === LF || this.delimiter === CR)
      throw new RangeError("a CSV delimiter cannot be a quote or a line break");
  }

  /**
   * Reads the next chunk of text; returns the records it completes, in order. Malformed quoting
   * throws a `CsvSyntaxError`, after the records the chunk completed before it: those come back
   * first and the error is thrown by the next `push` or `end`, so no row before it is lost.
   */
  push(text: string): CsvRecord[] {
    if (this.failure) throw this.failure;
    const out: CsvRecord[] = [];
    try {
      this.read(text, out);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      // The reader stops at malformed text for good: every later call throws the same error.
      this.failure = error;
      if (out.length === 0) throw error;
    }
    return out;
  }

  private read(text: string, out: CsvRecord[]): void {
    const n = text.length;
    // An empty chunk changes nothing (and must not spend the pending CR's pairing below).
    if (n === 0) return;
    const delimiter = this.delimiter;
    let i = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    const quotedCR = this.quotedCR;
    this.quotedCR = false;
    // Start of the current field's text within this chunk (for Unquoted and Quoted).
    let from = i;
    while (i < n) {
      switch (this.at) {
        case FIELD_START: {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            this.open();
            this.at = QUOTED;
            this.quoteLine = this.line;
            from = ++i;
          } else if (c === delimiter) {
            this.open();
            this.fields.push("");
            i++;
          } else if (c === LF || c === CR) {
            // A line break at a field start ends the record (after a delimiter: with an empty last
            // field) or, on an empty line, nothing.
            if (this.recordOpen) {
              this.fields.push("");
              this.finish(out);
            }
            i = this.lineBreak(text, i);
          } else {
            this.open();
            this.at = UNQUOTED;
            from = i;
          }
          break;
        }
        case UNQUOTED: {
          let c = 0;
          while (i < n) {
            c = text.charCodeAt(i);
            if (c === delimiter || c === LF || c === CR || c === QUOTE) break;
            i++;
          }
          if (i === n) {
            this.carry(text, from, n, "a field runs", this.line);
            break;
          }
          if (c === QUOTE)
            throw new CsvSyntaxError(
              `a quote inside an unquoted field (field ${this.fields.length + 1}); quote the whole field and double the quotes inside it`,
              this.line,
            );
          this.fields.push(this.take(text, from, i));
          if (c === delimiter) {
            this.at = FIELD_START;
            i++;
          } else {
            this.finish(out);
            i = this.lineBreak(text, i);
          }
          break;
        }
        case QUOTED: {
          // Line breaks inside the field are kept as they are and counted once each (CRLF is one).
          while (i < n) {
            const c = text.charCodeAt(i);
            if (c === QUOTE) break;
            if (c === CR) this.line++;
            else if (c === LF && !(i === 0 ? quotedCR : text.charCodeAt(i - 1) === CR)) this.line++;
            i++;
          }
          if (i === n) {
            this.quotedCR = text.charCodeAt(n - 1) === CR;
            this.carry(text, from, n, "a quoted field runs", this.quoteLine);
            break;
          }
          this.carry(text, from, i, "a quoted field runs", this.quoteLine);
          this.at = QUOTE_IN_QUOTED;
          i++;
          break;
        }
        case QUOTE_IN_QUOTED: {
          if (text.charCodeAt(i) === QUOTE) {
            this.carried += '"';
            this.at = QUOTED;
            from = ++i;
          } else {
            this.fields.push(this.carried);
            this.carried = "";
            this.at = CLOSED;
          }
          break;
        }
        case CLOSED: {
          const c = text.charCodeAt(i);
          if (c === delimiter) {
            this.at = FIELD_START;
            i++;
          } else if (c === LF || c === CR) {
            this.finish(out);
            i = this.lineBreak(text, i);
          } else {
            throw new CsvSyntaxError(
              `text after a closing quote (field ${this.fields.length}); a quote inside a quoted field is written twice`,
              this.line,
            );
          }
          break;
        }
      }
    }
  }

  /** Ends the input: returns the last record when the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.failure) throw this.failure;
    const out: CsvRecord[] = [];
    switch (this.at) {
      case QUOTED:
        this.failure = new CsvSyntaxError(
          `a quoted field is not closed (its quote opens on line ${this.quoteLine})`,
          this.quoteLine,
        );
        throw this.failure;
      case QUOTE_IN_QUOTED: // the closing quote was the last character
      case UNQUOTED:
        this.fields.push(this.carried);
        this.carried = "";
        this.finish(out);
        break;
      case CLOSED:
        this.finish(out);
        break;
      case FIELD_START:
        if (this.recordOpen) {
          this.fields.push("");
          this.finish(out);
        }
        break;
    }
    return out;
  }

  /**
   * Keeps a field's text that goes on in the next chunk. A field longer than any real cell is a
   * closing quote gone missing (or not CSV at all): it is refused before it grows into a string
   * too long for the engine, which would fail with no line to look at.
   */
  private carry(text: string, from: number, to: number, what: string, line: number): void {
    this.carried += text.slice(from, to);
    if (this.carried.length > MAX_FIELD_LENGTH)
      throw new CsvSyntaxError(
        `${what} past ${MAX_FIELD_LENGTH / (1024 * 1024)} M characters from line ${line}: a closing quote or a line break is probably missing`,
        line,
      );
  }

  /** Marks the record as started (at its first character). */
  private open(): void {
    if (!this.recordOpen) {
      this.recordOpen = true;
      this.recordLine = this.line;
    }
  }

  /** The field that ends at `to`: the text carried from earlier chunks plus this chunk's part. */
  private take(text: string, from: number, to: number): string {
    if (this.carried === "") return text.slice(from, to);
    const field = this.carried + text.slice(from, to);
    this.carried = "";
    return field;
  }

  private finish(out: CsvRecord[]): void {
    out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.recordOpen = false;
    this.at = FIELD_START;
  }

  /** Steps over the line break at `i` (CRLF is one), counting it; returns the index after it. */
  private lineBreak(text: string, i: number): number {
    this.line++;
    if (text.charCodeAt(i) !== CR) return i + 1;
    if (i + 1 === text.length) {
      this.skipLF = true;
      return i + 1;
    }
    return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }
}
