import { open } from "node:fs/promises";
import { basename } from "node:path";
import type { Address, EntitySchema, ListEntityInput, NameForm, ParseIssue } from "../model/index.js";
import { entityId } from "../model/index.js";
import { csvRows } from "./io.js";
import { normalizeOfacCountry, parseOfacRemarks } from "./ofac-remarks.js";
import { type ListParser, type ParseEvent, type SourceBundle, SourceFileError } from "./types.js";

/**
 * OFAC's legacy CSV format, shared by the SDN list (sdn.csv, alt.csv, add.csv, sdn_comments.csv)
 * and the consolidated non-SDN list (cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv).
 *
 * The files have no header; `-0-` (often with trailing spaces) is an empty cell; a lone `\x1A`
 * (DOS end-of-file) may end a file. Worked example of one record across the four files:
 *
 * ```
 * primary  306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."
 * alt      306,220,"aka","NATIONAL BANK OF CUBA",-0-
 * add      306,199,"Zweierstrasse 35","Zurich CH-8022","Switzerland",-0-
 * comments 12300,"Z S.A.S.; Linked To: ..."   ← continues primary Remarks cut at 1,000 characters
 * ```
 */

/** The four files of an OFAC legacy CSV set, told apart by their shape. */
export const OFAC_FILE_ROLES = ["primary", "alt", "add", "comments"] as const;
export type OfacFileRole = (typeof OFAC_FILE_ROLES)[number];

/** Column count of each role: how the role is recognised and how rows are checked. */
const COLUMN_COUNTS: Record<OfacFileRole, number> = { primary: 12, alt: 5, add: 6, comments: 2 };

const PRIMARY_COLUMNS = [
  "ent_num",
  "SDN_Name",
  "SDN_Type",
  "Program",
  "Title",
  "Call_Sign",
  "Vess_type",
  "Tonnage",
  "GRT",
  "Vess_flag",
  "Vess_owner",
  "Remarks",
] as const;
const ALT_COLUMNS = ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"] as const;
const ADD_COLUMNS = ["ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks"] as const;

/** SDN_Type → schema. OFAC leaves the type empty (`-0-`) for organisations. */
const SCHEMA_OF_TYPE: Record<string, EntitySchema> = {
  "": "Organization",
  individual: "Person",
  vessel: "Vessel",
  aircraft: "Aircraft",
};

/** Own keys only: a type cell reading "constructor" must not find Object's prototype. */
const schemaOfType = (type: string): EntitySchema | undefined => {
  const key = type.toLowerCase();
  return Object.hasOwn(SCHEMA_OF_TYPE, key) ? SCHEMA_OF_TYPE[key] : undefined;
};

const ALIAS_KINDS: Record<string, NameForm["kind"]> = {
  aka: "aka",
  fka: "fka",
  // "now known as" is the party's current name: as strong as an a.k.a.
  nka: "aka",
};

const EOF_MARK = "\x1a";
const INTEGER = /^\d+$/;

/** A cell without OFAC's padding, `-0-` read as empty. */
const cell = (value: string | undefined): string => {
  const trimmed = (value ?? "").trim();
  return trimmed === "-0-" ? "" : trimmed;
};

const isEofRow = (fields: string[]) => fields.length === 1 && fields[0]!.trim() === EOF_MARK;

/** Splits the first records of CSV text; quoted fields may hold commas, quotes and newlines. */
function headRecords(text: string, limit: number): Array<{ fields: string[]; complete: boolean }> {
  const records: Array<{ fields: string[]; complete: boolean }> = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
      started = true;
    } else if (char === "\n" || char === "\r") {
      if (started || field) {
        fields.push(field);
        records.push({ fields, complete: true });
      }
      fields = [];
      field = "";
      started = false;
    } else {
      field += char;
      started = true;
    }
  }
  if ((started || field) && records.length < limit)
    records.push({ fields: [...fields, field], complete: false });
  return records;
}

function roleOfRecord(fields: string[]): OfacFileRole | undefined {
  const [first, second, third] = fields.map((value) => value.trim());
  if (!first || !INTEGER.test(first)) return undefined;
  switch (fields.length) {
    case COLUMN_COUNTS.primary:
      return schemaOfType(cell(third)) ? "primary" : undefined;
    case COLUMN_COUNTS.alt:
      return INTEGER.test(second ?? "") && ["aka", "fka", "nka", "-0-"].includes((third ?? "").toLowerCase())
        ? "alt"
        : undefined;
    case COLUMN_COUNTS.add:
      return INTEGER.test(second ?? "") ? "add" : undefined;
    case COLUMN_COUNTS.comments:
      return "comments";
    default:
      return undefined;
  }
}

/**
 * Tells which file of an OFAC legacy CSV set `headText` (the first kilobytes of a file) comes from,
 * by the shape of its first records: 12 columns with a known SDN_Type is the primary file, 5 with
 * aka/fka/nka the aliases, 6 with two numeric ids the addresses, 2 the Remarks continuations.
 * The first record decides and most of the first five must agree, so a stray 6-column CSV is
 * not taken for add.csv while one bad row does not hide a real OFAC file.
 *
 * @example
 * detectOfacFileRole('36,12,"aka","AERO-CARIBBEAN",-0- \r\n') // "alt"
 * detectOfacFileRole("id,name\n1,x\n") // undefined
 */
export function detectOfacFileRole(headText: string): OfacFileRole | undefined {
  const records = headRecords(headText.replace(/^\uFEFF/, ""), 6).filter(
    (record) => !isEofRow(record.fields),
  );
  // A record cut by the end of the head is judged only if it is the only one (a short comments file).
  const judged = records.filter((record, index) => record.complete || index === 0).slice(0, 5);
  if (judged.length === 0) return undefined;
  const role = roleOfRecord(judged[0]!.fields);
  // One malformed row near the top is the parser's to report, not a reason to reject the file.
  const agreeing = judged.filter((record) => roleOfRecord(record.fields) === role).length;
  return role && agreeing * 2 > judged.length ? role : undefined;
}

async function readHeadText(file: string, bytes = 16 * 1024): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    // Latin-1 never fails to decode; only the ASCII structure matters for the role.
    return buffer.subarray(0, bytesRead).toString("latin1");
  } finally {
    await handle.close();
  }
}

/** Assigns each bundle file its role; a file that is no OFAC CSV, or a second file of a role, rejects the set. */
async function resolveRoles(bundle: SourceBundle): Promise<Partial<Record<OfacFileRole, string>>> {
  const roles: Partial<Record<OfacFileRole, string>> = {};
  for (const file of bundle.files) {
    const head = await readHeadText(file);
    if (!head.trim()) continue; // OFAC publishes an empty comments file when no Remarks overflow.
    const role = detectOfacFileRole(head);
    if (!role)
      throw new SourceFileError(
        "not an OFAC legacy CSV file (no recognisable record shape)",
        basename(file),
        1,
      );
    const taken = roles[role];
    if (taken) {
      throw new SourceFileError(
        `a second OFAC ${role} file (already have ${basename(taken)})`,
        basename(file),
      );
    }
    roles[role] = file;
  }
  if (!roles.primary) {
    throw new SourceFileError(
      "no OFAC primary file (sdn.csv / cons_prim.csv) in the set",
      bundle.files.map((file) => basename(file)).join(", ") || "(no files)",
    );
  }
  return roles;
}

interface SideRow<T> {
  line: number;
  values: T;
}
type AltRow = Record<(typeof ALT_COLUMNS)[number], string>;
type AddRow = Record<(typeof ADD_COLUMNS)[number], string>;

const named = <T extends readonly string[]>(columns: T, fields: string[]) =>
  Object.fromEntries(columns.map((column, index) => [column, fields[index] ?? ""])) as Record<
    T[number],
    string
  >;

/** Reads a side file into a map by ent_num; rows of the wrong shape become warnings. */
async function loadSideFile<T extends readonly string[]>(
  file: string,
  role: OfacFileRole,
  columns: T,
  issues: ParseIssue[],
): Promise<Map<string, Array<SideRow<Record<T[number], string>>>>> {
  const rows = new Map<string, Array<SideRow<Record<T[number], string>>>>();
  const name = basename(file);
  for await (const { fields, line } of csvRows(file, { onIssue: (issue) => issues.push(issue) })) {
    if (isEofRow(fields)) continue;
    if (fields.length !== COLUMN_COUNTS[role]) {
      issues.push({
        code: "wrong-column-count",
        severity: "warning",
        message: `expected ${COLUMN_COUNTS[role]} columns, found ${fields.length}; row skipped`,
        file: name,
        line,
      });
      continue;
    }
    const entNum = fields[0]!.trim();
    if (!INTEGER.test(entNum)) {
      issues.push({
        code: "bad-id",
        severity: "warning",
        message: `ent_num '${entNum}' is not a number; row skipped`,
        file: name,
        line,
      });
      continue;
    }
    const list = rows.get(entNum) ?? [];
    list.push({ line, values: named(columns, fields) });
    rows.set(entNum, list);
  }
  return rows;
}

/** Remarks continuations, concatenated as is: OFAC cuts Remarks mid-word at 1,000 characters. */
async function loadComments(file: string, issues: ParseIssue[]): Promise<Map<string, string>> {
  const rows = await loadSideFile(file, "comments", ["ent_num", "remarks"] as const, issues);
  return new Map([...rows].map(([entNum, list]) => [entNum, list.map((row) => row.values.remarks).join("")]));
}

const foldName = (name: string) => name.replace(/\s+/g, " ").trim().toUpperCase();

/**
 * Pre-pass over the primary file: names → ent_num, so that "Linked To: BANK MELLI IRAN" can name its
 * target's entity id even when the target comes later in the file. Primary names win over alt.csv
 * names (OFAC links by primary name; an alias only fills in, as for "ROSTEC"). A name two records
 * share resolves to neither.
 */
async function indexNames(
  file: string,
  aliases: Map<string, Array<SideRow<AltRow>>>,
): Promise<Map<string, string | null>> {
  const index = new Map<string, string | null>();
  const add = (target: Map<string, string | null>, name: string, entNum: string) => {
    if (name) target.set(name, target.has(name) && target.get(name) !== entNum ? null : entNum);
  };
  for await (const { fields } of csvRows(file)) {
    const entNum = fields[0]!.trim();
    if (fields.length === COLUMN_COUNTS.primary && INTEGER.test(entNum))
      add(index, foldName(cell(fields[1])), entNum);
  }
  const aliasIndex = new Map<string, string | null>();
  for (const [entNum, rows] of aliases)
    for (const row of rows) add(aliasIndex, foldName(cell(row.values.alt_name)), entNum);
  for (const [name, entNum] of aliasIndex) if (!index.has(name)) index.set(name, entNum);
  return index;
}

/** "KISELYOV, Dmitry Konstantinovich" → last/first/middle; OFAC writes persons SURNAME, Given Names. */
function personParts(name: string): NameForm["parts"] | undefined {
  const commas = name.split(",");
  if (commas.length !== 2) return undefined;
  const last = commas[0]!.trim();
  const [first, ...middle] = commas[1]!.trim().split(/\s+/);
  if (!last || !first) return undefined;
  return middle.length ? { last, first, middle: middle.join(" ") } : { last, first };
}

/** Programs cell: `SDGT] [IRGC` (OFAC strips the outer brackets of `[SDGT] [IRGC]`). */
function splitPrograms(programs: string): string[] {
  return programs
    .split(/\]\s*\[/)
    .map((program) => program.replace(/^[\s[]+|[\s\]]+$/g, ""))
    .filter(Boolean);
}

/** Placeholders OFAC writes where the country (or flag) is not known. */
const NO_COUNTRY = /^(?:undetermined|unknown|none identified)$/i;

function buildAddress(row: AddRow): Address | undefined {
  const street = cell(row.address);
  const locality = cell(row.city_state_postal);
  const countryText = cell(row.country);
  const full = [street, locality, countryText].filter(Boolean).join(", ");
  if (!full) return undefined;
  const address: Address = { full };
  if (street) address.street = street;
  // OFAC merges city, state/province and postal code in one column ("London EC3N 1DY"); it is kept
  // whole as the locality so a search by city still finds it.
  if (locality) address.city = locality;
  if (countryText) {
    // OFAC puts disputed areas in the country column as "Region: Gaza"; that is a region, not a country.
    const region = countryText.match(/^Region:\s*(.+)$/i);
    if (region) address.region = region[1]!;
    else if (!NO_COUNTRY.test(countryText)) address.country = normalizeOfacCountry(countryText);
  }
  return address;
}

/**
 * Parses an OFAC legacy CSV set (SDN or consolidated; the list id comes from the bundle) into
 * entities. Side files are loaded first; the primary file is streamed. A row of the wrong shape
 * is a warning and is skipped; a file that is no OFAC CSV throws `SourceFileError`.
 *
 * @example
 * for await (const event of parseOfacCsv({ format: "ofac-csv", listId: "ofac-sdn", files })) {
 *   if (event.type === "entity") store(event.entity);
 * }
 */
export const parseOfacCsv: ListParser = async function* parseOfacCsv(
  bundle: SourceBundle,
): AsyncGenerator<ParseEvent> {
  const listId = bundle.listId;
  const roles = await resolveRoles(bundle);
  const primaryFile = roles.primary!;
  const primaryName = basename(primaryFile);
  const pending: ParseIssue[] = [];

  const aliases: Map<string, Array<SideRow<AltRow>>> = roles.alt
    ? await loadSideFile(roles.alt, "alt", ALT_COLUMNS, pending)
    : new Map();
  const addresses: Map<string, Array<SideRow<AddRow>>> = roles.add
    ? await loadSideFile(roles.add, "add", ADD_COLUMNS, pending)
    : new Map();
  const comments = roles.comments ? await loadComments(roles.comments, pending) : new Map<string, string>();
  for (const issue of pending.splice(0)) yield { type: "issue", issue };

  const names = await indexNames(primaryFile, aliases);
  const seen = new Set<string>();

  for await (const { fields, line } of csvRows(primaryFile, { onIssue: (issue) => pending.push(issue) })) {
    for (const issue of pending.splice(0)) yield { type: "issue", issue };
    if (isEofRow(fields)) continue;
    const warn = (code: string, message: string, extra: Partial<ParseIssue> = {}): ParseEvent => ({
      type: "issue",
      issue: { code, severity: "warning", message, file: primaryName, line, ...extra },
    });
    if (fields.length !== COLUMN_COUNTS.primary) {
      yield warn(
        "wrong-column-count",
        `expected ${COLUMN_COUNTS.primary} columns, found ${fields.length}; row skipped`,
      );
      continue;
    }
    const values = fields.map(cell);
    const [entNum, name, type, program, title, callSign, vesselType, tonnage, grt, flag, vesselOwner] =
      values as [string, ...string[]];
    if (!INTEGER.test(entNum)) {
      yield warn("bad-id", `ent_num '${entNum}' is not a number; row skipped`, { field: "ent_num" });
      continue;
    }
    const id = entityId(listId, entNum);
    if (seen.has(entNum)) {
      yield warn("duplicate-id", `ent_num ${entNum} appears twice; later row skipped`, { record: id });
      continue;
    }
    seen.add(entNum);
    if (!name) {
      yield warn("missing-name", "SDN_Name is empty; row skipped", { record: id, field: "SDN_Name" });
      continue;
    }
    let schema = schemaOfType(type ?? "");
    if (!schema) {
      yield warn("unknown-type", `unknown SDN_Type '${type}'; read as LegalEntity`, {
        record: id,
        field: "SDN_Type",
      });
      schema = "LegalEntity";
    }

    const comment = comments.get(entNum);
    const remarks = `${cell(fields[11])}${comment ?? ""}`.trim();
    const facts = parseOfacRemarks(remarks);
    for (const issue of facts.issues) {
      yield warn(issue.code, `${issue.message} in '${issue.clause}'`, { record: id, field: "Remarks" });
    }

    const nameForms: NameForm[] = [];
    const addName = (form: NameForm) => {
      if (!nameForms.some((known) => known.full === form.full && known.kind === form.kind))
        nameForms.push(form);
    };
    const parts = schema === "Person" ? personParts(name) : undefined;
    addName(parts ? { full: name, kind: "primary", parts } : { full: name, kind: "primary" });
    const altRows = aliases.get(entNum) ?? [];
    for (const { values: alt, line: altLine } of altRows) {
      const altName = cell(alt.alt_name);
      const altType = cell(alt.alt_type).toLowerCase();
      const kind = Object.hasOwn(ALIAS_KINDS, altType) ? ALIAS_KINDS[altType] : undefined;
      if (!altName) continue;
      if (!kind) {
        yield warn("unknown-alias-type", `unknown alt_type '${alt.alt_type}'; read as aka`, {
          file: basename(roles.alt!),
          line: altLine,
          record: id,
          field: "alt_type",
        });
      }
      const altParts = schema === "Person" ? personParts(altName) : undefined;
      addName(
        altParts
          ? { full: altName, kind: kind ?? "aka", parts: altParts }
          : { full: altName, kind: kind ?? "aka" },
      );
    }
    for (const weak of facts.names) addName(weak);

    const addRows = addresses.get(entNum) ?? [];
    const entityAddresses = addRows.flatMap(({ values: row }) => {
      const address = buildAddress(row);
      return address ? [address] : [];
    });
    for (const { values: row, line: addLine } of addRows) {
      const country = buildAddress(row)?.country;
      if (country && !country.code) {
        yield warn("unknown-country", `unknown country '${country.text}'`, {
          file: basename(roles.add!),
          line: addLine,
          record: id,
          field: "country",
        });
      }
    }

    const attributes: Record<string, string[]> = {};
    const setAttribute = (key: string, value: string | undefined) => {
      if (!value) return;
      const list = attributes[key] ?? [];
      if (!list.includes(value)) list.push(value);
      attributes[key] = list;
    };
    setAttribute("title", title);
    setAttribute("callSign", callSign);
    setAttribute("vesselType", vesselType);
    setAttribute("tonnage", tonnage);
    setAttribute("grossRegisteredTonnage", grt);
    setAttribute("flag", flag);
    setAttribute("vesselOwner", vesselOwner);
    for (const [key, list] of Object.entries(facts.attributes))
      for (const value of list) setAttribute(key, value);

    const countries = [...facts.countries];
    if (flag && !NO_COUNTRY.test(flag)) {
      const country = normalizeOfacCountry(flag);
      if (!country.code)
        yield warn("unknown-country", `unknown flag '${flag}'`, { record: id, field: "Vess_flag" });
      countries.unshift(country);
    }

    const links = facts.links.map((link) => {
      const target = names.get(foldName(link.text));
      if (target) return target === entNum ? link : { ...link, entityId: entityId(listId, target) };
      // The last clause may have lost the name's own final dot with the Remarks terminator ("... S.A").
      const dotted = names.get(foldName(`${link.text}.`));
      return dotted && dotted !== entNum
        ? { ...link, text: `${link.text}.`, entityId: entityId(listId, dotted) }
        : link;
    });

    const entity: ListEntityInput = {
      id,
      listId,
      nativeId: entNum,
      schema,
      name,
      names: nameForms,
      birthDates: facts.birthDates,
      birthPlaces: facts.birthPlaces,
      nationalities: facts.nationalities,
      citizenships: facts.citizenships,
      countries,
      addresses: entityAddresses,
      identifiers: facts.identifiers,
      sanctions: splitPrograms(program ?? "").map((code) => ({ program: code, authority: "OFAC" })),
      remarks: remarks ? [remarks] : [],
      links,
      attributes,
      raw: {
        [primaryName]: named(PRIMARY_COLUMNS, fields),
        ...(altRows.length ? { [basename(roles.alt!)]: altRows.map((row) => row.values) } : {}),
        ...(addRows.length ? { [basename(roles.add!)]: addRows.map((row) => row.values) } : {}),
        ...(comment !== undefined ? { [basename(roles.comments!)]: comment } : {}),
      },
    };
    if (facts.gender) entity.gender = facts.gender;
    yield { type: "entity", entity };
  }
  for (const issue of pending.splice(0)) yield { type: "issue", issue };

  // Side rows whose ent_num has no primary record would otherwise vanish silently.
  const orphans: Array<[string, Map<string, Array<SideRow<unknown>>>, string | undefined]> = [
    ["alt", aliases, roles.alt],
    ["add", addresses, roles.add],
  ];
  for (const [kind, rows, file] of orphans) {
    for (const [entNum, list] of rows) {
      if (seen.has(entNum)) continue;
      yield {
        type: "issue",
        issue: {
          code: "orphan-row",
          severity: "warning",
          message: `${kind} row for ent_num ${entNum}, which is not in ${primaryName}`,
          file: file ? basename(file) : undefined,
          line: list[0]?.line,
          record: entityId(listId, entNum),
        },
      };
    }
  }
  for (const entNum of comments.keys()) {
    if (seen.has(entNum)) continue;
    yield {
      type: "issue",
      issue: {
        code: "orphan-row",
        severity: "warning",
        message: `comments row for ent_num ${entNum}, which is not in ${primaryName}`,
        file: roles.comments ? basename(roles.comments) : undefined,
        record: entityId(listId, entNum),
      },
    };
  }
};
