import { basename } from "node:path";
import { SaxesParser } from "saxes";
import type { ListEntityInput, ParseIssue } from "../model/index.js";
import { cleanText } from "./cells.js";
import { readTextChunks } from "./io.js";
import { type ParseEvent, SourceFileError } from "./types.js";

/**
 * One element of a record, with its children. Records of sanctions lists are small (a few
 * kilobytes), so each record is built as a tree while the file around it is streamed.
 *
 * @example
 * // <INDIVIDUAL><FIRST_NAME>ERIC</FIRST_NAME></INDIVIDUAL> on line 4 →
 * { name: "INDIVIDUAL", attributes: {}, text: "", line: 4,
 *   children: [{ name: "FIRST_NAME", attributes: {}, text: "ERIC", children: [], line: 4 }] }
 */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  /** Character data directly inside this element (text and CDATA), as written. */
  text: string;
  children: XmlNode[];
  /** 1-based line of the opening tag. */
  line: number;
}

export interface XmlRecordOptions {
  /**
   * True for the element path (root first) that starts one record, e.g.
   * `["CONSOLIDATED_LIST", "INDIVIDUALS", "INDIVIDUAL"]`.
   */
  isRecord: (path: readonly string[]) => boolean;
  /** Called for each opening tag outside records, e.g. to read the root's `dateGenerated`. */
  onOpen?: (name: string, attributes: Record<string, string>, path: readonly string[], line: number) => void;
}

/**
 * Streams the record elements of an XML document given as text chunks. Everything outside
 * records is only seen through `onOpen`. Malformed or truncated XML throws a `SourceFileError`
 * naming the file and the line where the parser gave up.
 *
 * @example
 * for await (const node of xmlRecordsFromChunks(["<a><r>1</r></a>"], "t.xml", { isRecord: (p) => p.length === 2 })) {
 *   node.text // "1"
 * }
 */
export async function* xmlRecordsFromChunks(
  chunks: AsyncIterable<string> | Iterable<string>,
  fileName: string,
  options: XmlRecordOptions,
): AsyncGenerator<XmlNode> {
  const parser = new SaxesParser({ position: true });
  const path: string[] = [];
  // Open elements of the current record, outermost first; empty outside records.
  const open: XmlNode[] = [];
  const done: XmlNode[] = [];
  let failure: { message: string; line: number } | undefined;

  parser.on("error", (error) => {
    // saxes prefixes "line:column: "; the line goes into SourceFileError, the column stays for the reader.
    failure ??= { message: error.message.replace(/^(\d+):(\d+): /, "column $2: "), line: parser.line };
  });
  parser.on("opentag", (tag) => {
    path.push(tag.name);
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[key] = String(value);
    if (open.length === 0 && !options.isRecord(path)) {
      options.onOpen?.(tag.name, attributes, path, parser.line);
      return;
    }
    const node: XmlNode = { name: tag.name, attributes, text: "", children: [], line: parser.line };
    open.at(-1)?.children.push(node);
    open.push(node);
  });
  const onText = (text: string) => {
    const current = open.at(-1);
    if (current) current.text += text;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    path.pop();
    const node = open.pop();
    if (node && open.length === 0) done.push(node);
  });

  const check = () => {
    if (failure) throw new SourceFileError(`malformed XML: ${failure.message}`, fileName, failure.line);
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    check();
    yield* done.splice(0);
  }
  parser.close();
  check();
  yield* done.splice(0);
}

/**
 * Streams the record elements of an XML file, decoded by `readTextChunks` (UTF-8 with a
 * Latin-1 fallback reported through `onIssue`).
 *
 * @example
 * for await (const node of xmlRecords("/lists/consolidated.xml", { isRecord: (p) => p.length === 3 })) { ... }
 */
export function xmlRecords(
  file: string,
  options: XmlRecordOptions,
  onIssue?: (issue: ParseIssue) => void,
): AsyncGenerator<XmlNode> {
  return xmlRecordsFromChunks(readTextChunks(file, onIssue), basename(file), options);
}

/**
 * How one XML list format is read: its root element, which elements are records, what the
 * root's attributes say, and how a record becomes an entity.
 */
export interface XmlListFormat {
  /** The list's name in error messages: "a UN consolidated list". */
  readonly title: string;
  readonly root: string;
  readonly isRecord: (path: readonly string[]) => boolean;
  /** Events from the root element's attributes (the publication date, or an issue saying it is missing). */
  readonly onRoot?: (attributes: Record<string, string>, line: number) => ParseEvent[];
  /** The entity of one record, or undefined (with issues) when it cannot be built. */
  readonly buildEntity: (node: XmlNode, issues: ParseIssue[]) => ListEntityInput | undefined;
}

/**
 * Parses one XML list file: checks the root element (a file whose root is another element, or
 * that has none, is refused with a `SourceFileError`), then yields each record's issues and entity,
 * with decoding issues and root events in file order.
 *
 * @example
 * yield* parseXmlListFile(file, { title: "a Canada SEMA list", root: "data-set", isRecord, buildEntity });
 */
export async function* parseXmlListFile(file: string, format: XmlListFormat): AsyncGenerator<ParseEvent> {
  const fileName = basename(file);
  const pending: ParseEvent[] = [];
  let rootSeen = false;
  const records = xmlRecords(
    file,
    {
      isRecord: format.isRecord,
      onOpen: (name, attributes, path, line) => {
        if (path.length !== 1) return;
        if (name !== format.root)
          throw new SourceFileError(`not ${format.title}: root element is <${name}>`, fileName, line);
        rootSeen = true;
        if (format.onRoot) pending.push(...format.onRoot(attributes, line));
      },
    },
    (issue) => pending.push({ type: "issue", issue }),
  );
  for await (const node of records) {
    yield* pending.splice(0);
    const issues: ParseIssue[] = [];
    const entity = format.buildEntity(node, issues);
    for (const issue of issues) yield { type: "issue", issue };
    if (entity) yield { type: "entity", entity };
  }
  yield* pending.splice(0);
  if (!rootSeen) throw new SourceFileError(`not ${format.title}: no root element`, fileName);
}

/**
 * The child elements of `node` with a given name, in document order.
 *
 * @example
 * childNodes(individual, "INDIVIDUAL_ALIAS").length // 3
 */
export function childNodes(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

/**
 * The cleaned text of the first child element with a given name, or "" when absent or empty.
 *
 * @example
 * childText(individual, "REFERENCE_NUMBER") // "CDi.001"
 */
export function childText(node: XmlNode, name: string): string {
  return cleanText(node.children.find((child) => child.name === name)?.text);
}

/** A record as plain data for `raw`: leaves are strings, repeated elements become arrays. */
export type PlainXml = string | { [name: string]: PlainXml | PlainXml[] };

/**
 * Converts a record to plain data for the `raw` field: a leaf element becomes its trimmed text,
 * an element with children becomes an object, a repeated child becomes an array; attributes
 * are kept under `@name` keys.
 *
 * @example
 * toPlainXml(individual) // { DATAID: "6907993", FIRST_NAME: "ERIC", NATIONALITY: { VALUE: "..." }, INDIVIDUAL_ALIAS: [...] }
 */
export function toPlainXml(node: XmlNode): PlainXml {
  const attributes = Object.entries(node.attributes);
  if (node.children.length === 0 && attributes.length === 0) return node.text.trim();
  const out: { [name: string]: PlainXml | PlainXml[] } = {};
  for (const [key, value] of attributes) out[`@${key}`] = value;
  for (const child of node.children) {
    const value = toPlainXml(child);
    const existing = out[child.name];
    if (existing === undefined) out[child.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[child.name] = [existing, value];
  }
  return out;
}
