import { basename } from "node:path";
import type { Readable } from "node:stream";
import { inflateRawSync } from "node:zlib";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import yauzl from "yauzl";
import { SourceFileError } from "./types.js";

/**
 * Streaming reader for OpenDocument spreadsheets (.ods): a zip holding `content.xml`, read entry by
 * entry with `yauzl` and parsed with `saxes` as it inflates, so a sheet is never held whole.
 */

const ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet";
const ZIP_LOCAL_HEADER = "PK\u0003\u0004";

/** One non-empty row of a sheet. */
export interface OdsRow {
  /** Cell texts, left to right; trailing empty cells are dropped. */
  cells: string[];
  /** 1-based row number as a spreadsheet application shows it (repeated rows counted). */
  row: number;
  /** Line in `content.xml` where the row starts, for diagnostics. */
  xmlLine: number;
}

export interface OdsOptions {
  /** Sheet to read: its name or 0-based index. Default: the first sheet. */
  sheet?: string | number;
  /**
   * Cells beyond this column are dropped. Writers pad rows with `number-columns-repeated="16376"`
   * up to the format's 16,384 columns; empty padding is never materialised, but a non-empty
   * repeated cell would be, so the cap keeps a hostile file from costing memory.
   */
  maxColumns?: number;
}

/**
 * Windows-1252 code points above U+00FF and the byte each one stands for. A head decoded with
 * `TextDecoder("latin1")` (which is Windows-1252 in WHATWG terms) rather than `Buffer#toString("latin1")`
 * maps these bytes away from their code points; mapping them back keeps `detectOds` byte-exact either way.
 */
const CP1252_BYTES: Record<number, number> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

function latin1Bytes(head: string): Buffer {
  const bytes = Buffer.alloc(head.length);
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    bytes[i] = code <= 0xff ? code : (CP1252_BYTES[code] ?? 0x3f);
  }
  return bytes;
}

/**
 * Reads the `mimetype` member from the local file headers in the head of a zip, if it is there.
 * The ODF spec wants it first and stored, so its bytes read "mimetypeapplication/vnd.oasis...";
 * but Excel writes it deflated and fourth (the UK FCDO file does), so deflated members are inflated.
 */
function zipMimetype(bytes: Buffer): string | undefined {
  let offset = 0;
  while (offset + 30 <= bytes.length && bytes.readUInt32LE(offset) === 0x04034b50) {
    const flags = bytes.readUInt16LE(offset + 6);
    const method = bytes.readUInt16LE(offset + 8);
    const compressedSize = bytes.readUInt32LE(offset + 18);
    const nameLength = bytes.readUInt16LE(offset + 26);
    const extraLength = bytes.readUInt16LE(offset + 28);
    const name = bytes.toString("latin1", offset + 30, offset + 30 + nameLength);
    const dataStart = offset + 30 + nameLength + extraLength;
    // Bit 3: sizes follow the data in a descriptor, so the next header cannot be found from here.
    if (flags & 0x08) return undefined;
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (name === "mimetype") {
      if (data.length < compressedSize) return undefined;
      if (method === 0) return data.toString("latin1");
      if (method === 8) {
        try {
          return inflateRawSync(data).toString("latin1");
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
    offset = dataStart + compressedSize;
  }
  return undefined;
}

/**
 * Whether the head of a file (its first bytes decoded as Latin-1) is an OpenDocument spreadsheet:
 * a zip whose `mimetype` member says `application/vnd.oasis.opendocument.spreadsheet`.
 *
 * @example
 * detectOds(readFileSync("UK_Sanctions_List.ods").subarray(0, 65536).toString("latin1")) // true
 */
export function detectOds(head: string): boolean {
  if (!head.startsWith(ZIP_LOCAL_HEADER)) return false;
  // The spec-conforming layout: stored `mimetype` first, so the type is readable as plain text.
  if (head.includes(`mimetype${ODS_MIMETYPE}`)) return true;
  return zipMimetype(latin1Bytes(head)) === ODS_MIMETYPE;
}

async function readSmallEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** ODF collapses runs of white space in text and trims paragraph ends; `text:s` and friends are kept as written. */
interface TextPart {
  text: string;
  literal: boolean;
}

function finishParagraph(parts: TextPart[]): string {
  const merged: TextPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last && !last.literal && !part.literal) last.text += part.text;
    else merged.push({ ...part });
  }
  for (const part of merged) if (!part.literal) part.text = part.text.replace(/[ \t\r\n]+/g, " ");
  const first = merged[0];
  if (first && !first.literal) first.text = first.text.replace(/^ /, "");
  const last = merged[merged.length - 1];
  if (last && !last.literal) last.text = last.text.replace(/ $/, "");
  return merged.map((part) => part.text).join("");
}

function repeatCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const count = Number.parseInt(value, 10);
  return Number.isFinite(count) && count > 0 ? count : 1;
}

/** Builds rows from `content.xml` events: one instance per sheet read. */
class SheetBuilder {
  readonly rows: OdsRow[] = [];
  /** Set when the wanted sheet has been read to its end: the rest of the file can be skipped. */
  done = false;
  foundSheet = false;
  private tableIndex = -1;
  private tableDepth = 0;
  private inSheet = false;
  private rowNumber = 0;
  private row: { cells: string[]; pendingEmpty: number; repeat: number; xmlLine: number } | undefined;
  private cell: { repeat: number; fallback: string | undefined; paragraphs: string[] } | undefined;
  private paragraph: TextPart[] | undefined;
  /** Depth inside elements whose text is not cell content (comments, drawings). */
  private ignored = 0;

  constructor(
    private readonly sheet: string | number,
    private readonly maxColumns: number,
  ) {}

  open(tag: SaxesTagPlain, line: number): void {
    const { name, attributes } = tag;
    if (name === "table:table") {
      this.tableDepth++;
      // A table nested inside a cell is not a sheet.
      if (this.tableDepth > 1) return;
      this.tableIndex++;
      const wanted =
        typeof this.sheet === "number"
          ? this.tableIndex === this.sheet
          : attributes["table:name"] === this.sheet;
      if (wanted) {
        this.inSheet = true;
        this.foundSheet = true;
      }
      return;
    }
    if (!this.inSheet || this.tableDepth > 1) return;
    if (this.ignored > 0 || name === "office:annotation" || name.startsWith("draw:")) {
      this.ignored++;
      return;
    }
    switch (name) {
      case "table:table-row":
        this.row = {
          cells: [],
          pendingEmpty: 0,
          repeat: repeatCount(attributes["table:number-rows-repeated"]),
          xmlLine: line,
        };
        break;
      case "table:table-cell":
      case "table:covered-table-cell":
        this.cell = {
          repeat: repeatCount(attributes["table:number-columns-repeated"]),
          // A cell without paragraphs may still carry a typed value (a formula result, a number).
          fallback:
            attributes["office:string-value"] ??
            attributes["office:value"] ??
            attributes["office:date-value"] ??
            attributes["office:time-value"] ??
            attributes["office:boolean-value"],
          paragraphs: [],
        };
        break;
      case "text:p":
      case "text:h":
        if (this.cell) this.paragraph = [];
        break;
      case "text:s":
        this.paragraph?.push({
          text: " ".repeat(Math.min(repeatCount(attributes["text:c"]), 10_000)),
          literal: true,
        });
        break;
      case "text:tab":
        this.paragraph?.push({ text: "\t", literal: true });
        break;
      case "text:line-break":
        this.paragraph?.push({ text: "\n", literal: true });
        break;
    }
  }

  text(text: string): void {
    if (this.ignored === 0) this.paragraph?.push({ text, literal: false });
  }

  close(tag: SaxesTagPlain): void {
    const { name } = tag;
    if (name === "table:table") {
      this.tableDepth--;
      if (this.tableDepth === 0 && this.inSheet) {
        this.inSheet = false;
        this.done = true;
      }
      return;
    }
    if (!this.inSheet || this.tableDepth > 1) return;
    if (this.ignored > 0) {
      this.ignored--;
      return;
    }
    switch (name) {
      case "text:p":
      case "text:h":
        if (this.cell && this.paragraph) this.cell.paragraphs.push(finishParagraph(this.paragraph));
        this.paragraph = undefined;
        break;
      case "table:table-cell":
      case "table:covered-table-cell":
        this.closeCell();
        break;
      case "table:table-row":
        this.closeRow();
        break;
    }
  }

  private closeCell(): void {
    const { cell, row } = this;
    this.cell = undefined;
    if (!cell || !row) return;
    const value = cell.paragraphs.length > 0 ? cell.paragraphs.join("\n") : (cell.fallback ?? "");
    if (value === "") {
      row.pendingEmpty += cell.repeat;
      return;
    }
    const room = this.maxColumns - row.cells.length;
    const empties = Math.min(row.pendingEmpty, room);
    for (let i = 0; i < empties; i++) row.cells.push("");
    row.pendingEmpty = 0;
    const copies = Math.min(cell.repeat, this.maxColumns - row.cells.length);
    for (let i = 0; i < copies; i++) row.cells.push(value);
  }

  private closeRow(): void {
    const { row } = this;
    this.row = undefined;
    if (!row) return;
    if (row.cells.length > 0) {
      for (let i = 0; i < row.repeat; i++) {
        this.rows.push({ cells: [...row.cells], row: this.rowNumber + i + 1, xmlLine: row.xmlLine });
      }
    }
    this.rowNumber += row.repeat;
  }
}

/**
 * Streams the non-empty rows of one sheet of an .ods file, in order. Cell text follows the ODF
 * rules (white space collapsed, `text:s`/`text:tab`/`text:line-break` honoured, paragraphs joined
 * by "\n", comments skipped); repeated cells and rows are expanded, empty padding is not.
 * Throws `SourceFileError` for a file that is not a readable .ods (not a zip, truncated, no
 * `content.xml`, another OpenDocument type, malformed XML, missing sheet).
 *
 * @example
 * for await (const { cells, row } of odsRows("UK_Sanctions_List.ods")) console.log(row, cells[0]);
 */
export async function* odsRows(file: string, options: OdsOptions = {}): AsyncGenerator<OdsRow> {
  const name = basename(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new SourceFileError(`not a readable .ods (zip) file: ${(error as Error).message}`, name);
  }
  try {
    let content: yauzl.Entry | undefined;
    let mimetype: string | undefined;
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName === "content.xml") content = entry;
        else if (entry.fileName === "mimetype") mimetype = (await readSmallEntry(zip, entry)).trim();
      }
    } catch (error) {
      throw new SourceFileError(`damaged zip: ${(error as Error).message}`, name);
    }
    if (mimetype !== undefined && mimetype !== ODS_MIMETYPE) {
      throw new SourceFileError(`not a spreadsheet: the zip says its type is '${mimetype}'`, name);
    }
    if (!content) throw new SourceFileError("not an OpenDocument file: the zip has no content.xml", name);

    const builder = new SheetBuilder(options.sheet ?? 0, options.maxColumns ?? 16_384);
    const parser = new SaxesParser({ xmlns: false, position: true });
    parser.on("opentag", (tag) => builder.open(tag, parser.line));
    parser.on("closetag", (tag) => builder.close(tag));
    parser.on("text", (text) => builder.text(text));

    let stream: Readable;
    try {
      stream = await zip.openReadStreamPromise(content);
    } catch (error) {
      throw new SourceFileError(`cannot read content.xml: ${(error as Error).message}`, name);
    }
    const decoder = new TextDecoder("utf-8");
    const feed = (text: string) => {
      try {
        parser.write(text);
      } catch (error) {
        throw new SourceFileError(`malformed content.xml: ${(error as Error).message}`, name, parser.line);
      }
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        feed(decoder.decode(chunk, { stream: true }));
        yield* builder.rows.splice(0);
        if (builder.done) break;
      }
      if (!builder.done) {
        feed(decoder.decode());
        try {
          parser.close();
        } catch (error) {
          throw new SourceFileError(`content.xml ends early: ${(error as Error).message}`, name, parser.line);
        }
      }
    } catch (error) {
      if (error instanceof SourceFileError) throw error;
      // Inflate errors, CRC or size mismatches: the zip is truncated or corrupt.
      throw new SourceFileError(`damaged content.xml in the zip: ${(error as Error).message}`, name);
    } finally {
      stream.destroy();
    }
    yield* builder.rows.splice(0);
    if (!builder.foundSheet) {
      throw new SourceFileError(`no sheet ${JSON.stringify(options.sheet ?? 0)} in the spreadsheet`, name);
    }
  } finally {
    zip.close();
  }
}
