import { parseBisDpl } from "./bis-dpl.js";
import { parseCaSemaXml } from "./ca-sema-xml.js";
import { parseEuJournalCsv } from "./eu-journal.js";
import { parseFtmJsonl } from "./ftm-jsonl.js";
import { parseOfacCsv } from "./ofac-csv.js";
import type { ListParser, SourceFormat } from "./types.js";
import { parseUkFcdoCsv, parseUkFcdoOds } from "./uk-fcdo.js";
import { parseUnXml } from "./un-xml.js";
import { parseUsCsl } from "./us-csl.js";

/**
 * One parser per format.
 *
 * @example
 * for await (const event of PARSERS["un-xml"]({ format: "un-xml", listId: "un", files: [path] })) { ... }
 */
export const PARSERS: Record<SourceFormat, ListParser> = {
  "ofac-csv": parseOfacCsv,
  "un-xml": parseUnXml,
  "uk-fcdo-ods": parseUkFcdoOds,
  "uk-fcdo-csv": parseUkFcdoCsv,
  "bis-dpl-tsv": parseBisDpl,
  "us-csl-csv": parseUsCsl,
  "eu-journal-csv": parseEuJournalCsv,
  "ca-sema-xml": parseCaSemaXml,
  "ftm-jsonl": parseFtmJsonl,
};
