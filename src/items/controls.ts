import { z } from "zod";
import { CHPL_TIERS, type ChplTier, UAV_CATEGORIES, type UavCategory } from "../model/item.js";
import { hasCjk, normalizeDescription, stemToken, tokenize } from "./text.js";
import { CONCEPTS, type ConceptDef } from "./vocabulary.js";

/** One row of the Common High Priority List. */
export interface ChplEntry {
  hs6: string;
  tier: ChplTier;
  description: string;
  source: string;
}

/**
 * Parses `data/controls/chpl.csv` (`hs6,tier,description,source`; tiers written "Tier 1", "Tier 3.A").
 * Pure: the caller reads the file. Throws on a malformed list, because screening against half a
 * control list would be worse than not starting.
 *
 * @example
 * parseChplCsv('hs6,tier,description,source\n854231,Tier 1,"Processors",BIS').get("854231")?.tier // "1"
 */
export function parseChplCsv(text: string): Map<string, ChplEntry> {
  const rows = parseSimpleCsv(text.replace(/^\uFEFF/, ""));
  const header = rows.shift()?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const col = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`chpl.csv: no '${name}' column in the header`);
    return index;
  };
  const [hs6Col, tierCol, descCol, sourceCol] = [col("hs6"), col("tier"), col("description"), col("source")];
  const entries = new Map<string, ChplEntry>();
  rows.forEach((row, index) => {
    if (row.every((cell) => !cell.trim())) return;
    const line = index + 2;
    const hs6 = (row[hs6Col] ?? "").replace(/\D/g, "");
    if (hs6.length !== 6) throw new Error(`chpl.csv:${line}: '${row[hs6Col]}' is not a 6-digit HS code`);
    const tier = (row[tierCol] ?? "").replace(/^\s*tier\s*/i, "").trim();
    if (!(CHPL_TIERS as readonly string[]).includes(tier)) {
      throw new Error(`chpl.csv:${line}: unknown tier '${row[tierCol]}'`);
    }
    if (entries.has(hs6)) throw new Error(`chpl.csv:${line}: ${hs6} is listed twice`);
    entries.set(hs6, {
      hs6,
      tier: tier as ChplTier,
      description: row[descCol] ?? "",
      source: row[sourceCol] ?? "",
    });
  });
  return entries;
}

/** RFC 4180 CSV for small, trusted files (quoted cells, doubled quotes, CRLF). */
function parseSimpleCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const hs6Schema = z.string().regex(/^\d{6}$/);
const termGroupSchema = z.object({
  hs6: z.array(hs6Schema),
  generic: z.boolean().optional(),
  en: z.array(z.string()).default([]),
  ru: z.array(z.string()).default([]),
  zh: z.array(z.string()).default([]),
});

/**
 * Shape of `data/controls/uav-key-items.json`: the advisory's categories, each with the HS6 codes
 * that alone place a line in it (`hs6`), codes it shares with other goods (`sharedHs6`), and its
 * identifying words in English, Russian and Chinese.
 */
export const uavKeyItemsSchema = z.object({
  id: z.literal("uav-key-items"),
  version: z.string(),
  title: z.string(),
  source: z.object({ publisher: z.string(), document: z.string(), url: z.string() }).loose(),
  categories: z.array(
    z.object({
      id: z.enum(UAV_CATEGORIES),
      group: z.string(),
      title: z.string(),
      hs6: z.array(hs6Schema),
      sharedHs6: z.array(hs6Schema),
      sharedHs6Cues: z.array(z.string()).default([]),
      termGroups: z.array(termGroupSchema),
    }),
  ),
});
export type UavKeyItems = z.infer<typeof uavKeyItemsSchema>;
export type UavCategoryDef = UavKeyItems["categories"][number];

/** Shape of `data/controls/part-families.json`. */
export const partFamiliesSchema = z.object({
  id: z.literal("part-families"),
  version: z.string(),
  /** Canonical manufacturers with every name a line may give them (former names, owners, Chinese, Russian). */
  makers: z
    .array(z.object({ id: z.string(), name: z.string(), aliases: z.array(z.string()).min(1) }))
    .default([]),
  families: z.array(
    z.object({
      id: z.string(),
      maker: z.string(),
      makerAliases: z.array(z.string()),
      pattern: z.string(),
      category: z.union([z.enum(UAV_CATEGORIES), z.literal("")]),
      hs6: z.array(z.string().regex(/^\d{4}(\d{2})?$/)),
      what: z.string(),
      source: z.string(),
      makerRequired: z.boolean().optional(),
      standard: z.boolean().optional(),
      uncontrolled: z.boolean().optional(),
    }),
  ),
});

/** A description concept ready for matching (from the UAV file's words or the built-in vocabulary). */
export interface Concept {
  id: string;
  hs: string[];
  category?: UavCategory;
  uncontrolled: boolean;
  suppresses: string[];
  /** Only says "an integrated circuit": gives way to a more specific word of the same heading. */
  generic: boolean;
}

export interface TokenWord {
  stem: string;
  prefix: boolean;
  cyrillic: boolean;
}
export interface TokenTerm {
  concept: Concept;
  words: TokenWord[];
  text: string;
}
export interface CjkTerm {
  concept: Concept;
  needle: string;
}

/** The compiled vocabulary: token terms indexed by the first three letters of their first word. */
export interface Vocabulary {
  byKey: Map<string, TokenTerm[]>;
  cjk: CjkTerm[];
  concepts: Concept[];
}

export interface PartFamily {
  id: string;
  maker: string;
  makerAliases: string[];
  pattern: RegExp;
  category?: UavCategory;
  hs: string[];
  what: string;
  source: string;
  makerRequired: boolean;
  /** Standard (JEDEC, Pro Electron, ISO) numbering made by many: any maker, or none, agrees. */
  standard: boolean;
  /** Canonical maker ids of the family (from the makers table; an alias the table lacks stands for itself). */
  makerIds: Set<string>;
  /**
   * Without a manufacturer on the line, the part number must match this: the family's pattern
   * minus its loose alternatives (a prefix of three characters or less with little structure
   * after it, like "DS1"). Null when every alternative is loose (the maker is then required);
   * the family's own pattern when none is.
   */
  strict: RegExp | null;
  uncontrolled: boolean;
  order: number;
}

/** One spelling of a manufacturer and the canonical maker it stands for. */
export interface MakerAlias {
  alias: string;
  id: string;
  /** Short Latin aliases ("ti", "st", "adi") must stand as a word; longer ones and CJK may be part of one. */
  word: RegExp | null;
}

/** Families indexed by the first character their pattern can match; `anyStart` when it cannot be told. */
export interface PartFamilies {
  version: string;
  byFirst: Map<string, PartFamily[]>;
  anyStart: PartFamily[];
  count: number;
  makers: MakerAlias[];
  /** Memo of manufacturer text → canonical ids (ERP exports repeat the same few spellings). */
  makerCache: Map<string, Set<string>>;
}

/** Cue words of a category for a shared code: stems of Latin/Cyrillic words, and CJK substrings. */
export interface UavCue {
  category: UavCategory;
  stems: Set<string>;
  cjk: string[];
}

/**
 * Everything item classification needs, compiled once. Build it with `loadControls`; it is
 * immutable and safe to share between calls (and to rebuild in each worker thread).
 */
export interface ItemControls {
  chpl: Map<string, ChplEntry>;
  uav: UavKeyItems;
  /** HS6 → the category a declared code alone places a line in. */
  uavByCode: Map<string, UavCategory>;
  /** HS6 → categories a declared (shared) code places a line in when the description has one of the cue words. */
  uavCues: Map<string, UavCue[]>;
  vocabulary: Vocabulary;
  families: PartFamilies | null;
  versions: { chpl: string; uav: string; partFamilies: string | null };
}

/**
 * Builds the classifier's controls from the list data. Pure: pass the texts/JSON values the
 * caller has read (see `readItemControls` in `cli/items-command.ts` for the files).
 * Without `partFamiliesJson` part numbers are not read, and each line that has one says so.
 *
 * @example
 * const controls = loadControls(chplText, JSON.parse(uavText), JSON.parse(familiesText));
 */
export function loadControls(
  chplCsvText: string,
  uavJson: unknown,
  partFamiliesJson?: unknown,
): ItemControls {
  const chpl = parseChplCsv(chplCsvText);
  const uav = uavKeyItemsSchema.parse(uavJson);
  const uavByCode = new Map<string, UavCategory>();
  for (const category of uav.categories) {
    for (const code of category.hs6) {
      const other = uavByCode.get(code);
      if (other)
        throw new Error(
          `uav-key-items: ${code} identifies both ${other} and ${category.id}; put it in sharedHs6`,
        );
      uavByCode.set(code, category.id);
    }
  }
  const uavCues = new Map<string, UavCue[]>();
  for (const category of uav.categories) {
    if (category.sharedHs6Cues.length === 0) continue;
    const cue: UavCue = { category: category.id, stems: new Set(), cjk: [] };
    for (const word of category.sharedHs6Cues) {
      const text = normalizeDescription(word).text.trim();
      if (hasCjk(text)) cue.cjk.push(text);
      else for (const token of tokenize(text)) cue.stems.add(stemToken(token));
    }
    for (const code of category.sharedHs6) uavCues.set(code, [...(uavCues.get(code) ?? []), cue]);
  }
  const vocabulary = compileVocabulary(uav, CONCEPTS);
  const families = partFamiliesJson === undefined ? null : compilePartFamilies(partFamiliesJson);
  return {
    chpl,
    uav,
    uavByCode,
    uavCues,
    vocabulary,
    families,
    versions: { chpl: "2024-02-23", uav: uav.version, partFamilies: families?.version ?? null },
  };
}

function compileVocabulary(uav: UavKeyItems, builtIn: readonly ConceptDef[]): Vocabulary {
  const byKey = new Map<string, TokenTerm[]>();
  const cjk: CjkTerm[] = [];
  const concepts: Concept[] = [];
  const seen = new Set<string>();
  const add = (concept: Concept, terms: readonly string[]): void => {
    concepts.push(concept);
    for (const term of terms) {
      const norm = normalizeDescription(term).text.trim();
      const dedupeKey = `${concept.id}|${norm}`;
      if (!norm || seen.has(dedupeKey)) continue;
      seen.add(dedupeKey);
      if (hasCjk(norm)) {
        cjk.push({ concept, needle: norm });
        continue;
      }
      const words: TokenWord[] = [];
      for (const piece of norm.split(/\s+/)) {
        const star = piece.endsWith("*");
        const tokens = tokenize(piece);
        tokens.forEach((token, i) => {
          const prefix = star && i === tokens.length - 1;
          words.push({
            stem: prefix ? token : stemToken(token),
            prefix,
            cyrillic: /[\u0400-\u04ff]/.test(token),
          });
        });
      }
      if (words.length === 0) continue;
      // Russian terms match in any word order, so they are indexed under each of their words.
      const keyed = words.length > 1 && words.some((word) => word.cyrillic) ? words : words.slice(0, 1);
      const compiled: TokenTerm = { concept, words, text: norm };
      for (const key of new Set(keyed.map((word) => word.stem.slice(0, 3)))) {
        const list = byKey.get(key) ?? [];
        list.push(compiled);
        byKey.set(key, list);
      }
    }
  };
  for (const category of uav.categories) {
    category.termGroups.forEach((group, index) => {
      const concept: Concept = {
        id: index === 0 ? category.id : `${category.id}#${index + 1}`,
        hs: group.hs6,
        category: category.id,
        uncontrolled: false,
        suppresses: [],
        generic: group.generic ?? false,
      };
      add(concept, [...group.en, ...group.ru, ...group.zh]);
    });
  }
  for (const def of builtIn) {
    const concept: Concept = {
      id: def.id,
      hs: def.hs,
      category: def.category,
      uncontrolled: def.uncontrolled ?? false,
      suppresses: def.suppresses ?? [],
      generic: false,
    };
    add(concept, [...(def.en ?? []), ...(def.ru ?? []), ...(def.zh ?? [])]);
  }
  return { byKey, cjk, concepts };
}

/**
 * Compiles the part-family table. Each family is indexed by the first character its pattern can
 * match, read from the pattern's top-level alternatives, so a part number is tested against a
 * handful of patterns rather than all of them.
 *
 * @example
 * compilePartFamilies(JSON.parse(text)).count // 107
 */
export function compilePartFamilies(json: unknown): PartFamilies {
  const data = partFamiliesSchema.parse(json);
  const byFirst = new Map<string, PartFamily[]>();
  const anyStart: PartFamily[] = [];
  const ids = new Set<string>();
  const makers: MakerAlias[] = [];
  const aliasToId = new Map<string, string>();
  for (const maker of data.makers) {
    for (const raw of [maker.name, ...maker.aliases]) {
      const alias = normalizeMakerText(raw);
      const other = aliasToId.get(alias);
      if (other && other !== maker.id) {
        throw new Error(`part-families: maker alias '${raw}' names both ${other} and ${maker.id}`);
      }
      if (other) continue;
      aliasToId.set(alias, maker.id);
      makers.push({ alias, id: maker.id, word: makerWordPattern(alias) });
    }
  }
  // Longest first, so that "st micro" is tried before "st" (both name the same maker anyway).
  makers.sort((a, b) => b.alias.length - a.alias.length);
  data.families.forEach((raw, order) => {
    if (ids.has(raw.id)) throw new Error(`part-families: duplicate id ${raw.id}`);
    ids.add(raw.id);
    let pattern: RegExp;
    try {
      pattern = new RegExp(raw.pattern);
    } catch (error) {
      throw new Error(`part-families: ${raw.id}: bad pattern: ${(error as Error).message}`);
    }
    const aliases = raw.makerAliases.map(normalizeMakerText);
    const alternatives = expandAlternatives(raw.pattern);
    const strictAlternatives = alternatives.filter((alternative) => !isLoose(alternative));
    const strict =
      strictAlternatives.length === alternatives.length
        ? pattern
        : strictAlternatives.length === 0
          ? null
          : new RegExp(`^(?:${strictAlternatives.join("|")})`);
    const family: PartFamily = {
      id: raw.id,
      maker: raw.maker,
      makerAliases: aliases,
      pattern,
      category: raw.category === "" ? undefined : raw.category,
      hs: raw.hs6,
      what: raw.what,
      source: raw.source,
      makerRequired: raw.makerRequired ?? false,
      standard: raw.standard ?? false,
      makerIds: new Set(aliases.map((alias) => aliasToId.get(alias) ?? `=${alias}`)),
      strict,
      uncontrolled: raw.uncontrolled ?? false,
      order,
    };
    const starts = firstCharacters(raw.pattern);
    if (!starts) anyStart.push(family);
    else
      for (const ch of starts) {
        const list = byFirst.get(ch) ?? [];
        list.push(family);
        byFirst.set(ch, list);
      }
  });
  return {
    version: data.version,
    byFirst,
    anyStart,
    count: data.families.length,
    makers,
    makerCache: new Map(),
  };
}

/**
 * Lower-case NFKC text of a manufacturer name with punctuation turned to spaces
 * ("Maxim (Analog Devices)" → "maxim analog devices"; "BRP-Rotax" → "brp rotax").
 *
 * @example
 * normalizeMakerText(" ST意法半导体 ") // "st意法半导体"
 */
export function normalizeMakerText(raw: string): string {
  return raw
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ü/g, "u")
    .replace(/[^\p{L}\p{N}&]+/gu, " ")
    .trim();
}

function makerWordPattern(alias: string): RegExp | null {
  // A short Latin alias ("ti", "st", "adi", "amd") would be found inside other names
  // ("sTIck", "mosTek"), so it must stand alone; Latin letters on either side break it, CJK does not.
  if (alias.length > 3 || !/^[a-z0-9&]+$/.test(alias)) return null;
  return new RegExp(`(^|[^a-z0-9])${alias}([^a-z0-9]|$)`);
}

/**
 * The alternatives of a family pattern that are loose: too short a fixed prefix, with too little
 * after it, to name one maker's part (see `isLoose`). Without the line's manufacturer, a part
 * number that only such alternatives match is not read.
 *
 * @example
 * looseAlternatives("^(DS1\\d{3}|GRM\\d)") // ["GRM\\d"]
 */
export function looseAlternatives(expression: string): string[] {
  return expandAlternatives(expression).filter(isLoose);
}

/**
 * The top-level alternatives of a family pattern, with a leading group expanded
 * ("^(OPA\\d|INA\\d)" → ["OPA\\d", "INA\\d"]), so that each can be judged on its own.
 */
function expandAlternatives(expression: string, depth = 0): string[] {
  const out: string[] = [];
  for (const raw of splitTopLevel(expression)) {
    const alternative = raw.startsWith("^") ? raw.slice(1) : raw;
    if (depth < 3 && alternative.startsWith("(") && !alternative.startsWith("(?")) {
      const close = matchingParen(alternative, 0);
      const after = alternative[close + 1] ?? "";
      if (close > 0 && !"?*+{".includes(after || "x")) {
        const rest = alternative.slice(close + 1);
        for (const inner of expandAlternatives(alternative.slice(1, close), depth + 1))
          out.push(inner + rest);
        continue;
      }
    }
    out.push(alternative);
  }
  return out;
}

/**
 * A loose alternative fixes three characters or fewer before anything variable and matches
 * fewer than six characters in all: "DS1\\d{3}" is not loose, "GRM\\d" and "BAT\\d" are. Such
 * prefixes are shared between makers (Maxim's DS1307 and Rigol's DS1054Z), so a loose match
 * needs the line's manufacturer to agree.
 */
function isLoose(alternative: string): boolean {
  return literalPrefix(alternative) <= 3 && minLength(alternative) < 6;
}

const QUANTIFIER = /^(\?|\*|\+|\{(\d+)(,\d*)?\})/;

/** Characters fixed at the start of a pattern (a group of plain literal branches counts its shortest). */
function literalPrefix(source: string): number {
  let count = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "^") {
      i++;
      continue;
    }
    let width: number;
    let end: number;
    if (ch === "(") {
      end = matchingParen(source, i) + 1;
      if (end <= 0) return count;
      const branches = splitTopLevel(source.slice(i + 1, end - 1));
      if (!branches.every((branch) => /^[A-Z0-9]+$/.test(branch))) return count;
      width = Math.min(...branches.map((branch) => branch.length));
    } else if (/[A-Z0-9]/.test(ch)) {
      end = i + 1;
      width = 1;
    } else return count;
    if (QUANTIFIER.test(source.slice(end))) return count;
    count += width;
    i = end;
  }
  return count;
}

/** The fewest characters a pattern (of the simple kind the family table uses) can match. */
function minLength(source: string): number {
  return Math.min(...splitTopLevel(source).map(sequenceMinLength));
}

function sequenceMinLength(source: string): number {
  let total = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    let atom: number;
    let end: number;
    if (ch === "^" || ch === "$") {
      i++;
      continue;
    }
    if (ch === "(") {
      end = matchingParen(source, i) + 1;
      const inner = source.slice(i + 1, end - 1).replace(/^\?:/, "");
      atom = minLength(inner);
    } else if (ch === "[") {
      end = source.indexOf("]", i + 1) + 1;
      atom = 1;
    } else if (ch === "\\") {
      end = i + 2;
      atom = 1;
    } else {
      end = i + 1;
      atom = 1;
    }
    const quantifier = QUANTIFIER.exec(source.slice(end));
    let times = 1;
    if (quantifier) {
      const q = quantifier[1]!;
      times = q === "?" || q === "*" ? 0 : q === "+" ? 1 : Number(quantifier[2]);
      end += q.length;
    }
    total += atom * times;
    i = end;
  }
  return total;
}

/** First characters a pattern can match, read from its alternatives; null when that cannot be told simply. */
function firstCharacters(expression: string): Set<string> | null {
  const starts = new Set<string>();
  for (const raw of splitTopLevel(expression)) {
    const alternative = raw.startsWith("^") ? raw.slice(1) : raw;
    if (alternative.startsWith("(")) {
      const close = matchingParen(alternative, 0);
      const after = alternative[close + 1];
      if (close < 0 || after === "?" || after === "*") return null;
      const inner = firstCharacters(alternative.slice(1, close));
      if (!inner) return null;
      for (const ch of inner) starts.add(ch);
      continue;
    }
    const ch = alternative[0];
    const next = alternative[1];
    if (!ch || !/[A-Z0-9]/.test(ch) || next === "?" || next === "*") return null;
    starts.add(ch);
  }
  return starts;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}
