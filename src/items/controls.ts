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
  uncontrolled: boolean;
  order: number;
}

/** Families indexed by the first character their pattern can match; `anyStart` when it cannot be told. */
export interface PartFamilies {
  version: string;
  byFirst: Map<string, PartFamily[]>;
  anyStart: PartFamily[];
  count: number;
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
  const vocabulary = compileVocabulary(uav, CONCEPTS);
  const families = partFamiliesJson === undefined ? null : compilePartFamilies(partFamiliesJson);
  return {
    chpl,
    uav,
    uavByCode,
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
  data.families.forEach((raw, order) => {
    if (ids.has(raw.id)) throw new Error(`part-families: duplicate id ${raw.id}`);
    ids.add(raw.id);
    let pattern: RegExp;
    try {
      pattern = new RegExp(raw.pattern);
    } catch (error) {
      throw new Error(`part-families: ${raw.id}: bad pattern: ${(error as Error).message}`);
    }
    const family: PartFamily = {
      id: raw.id,
      maker: raw.maker,
      makerAliases: raw.makerAliases.map((alias) => alias.toLowerCase()),
      pattern,
      category: raw.category === "" ? undefined : raw.category,
      hs: raw.hs6,
      what: raw.what,
      source: raw.source,
      makerRequired: raw.makerRequired ?? false,
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
  return { version: data.version, byFirst, anyStart, count: data.families.length };
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
