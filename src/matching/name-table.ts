import type { EntitySchema, ListEntity, NameKind } from "../model/index.js";
import { foldName, latinVariants, phoneticKeys, stripPunctuation, tokenizeName } from "./text-adapter.js";

/**
 * Every indexed name form of every entity, flattened into typed arrays so that scoring walks
 * integers, not objects, and so that a worker can rebuild it from plain `ListEntity` data.
 *
 * Worked example: entity 0 "HUSSEIN AL-TIKRITI, Saddam" (primary) and its alias "Abu Ali" give
 *
 *   vocab      = ["hussein", "al", "tikriti", "saddam", "abu", "ali"]        (token id = position)
 *   nameTokens = [0, 1, 2, 3, 4, 5]
 *   nameStart  = [0, 4, 6]           name n uses nameTokens[nameStart[n] .. nameStart[n+1])
 *   nameEntity = [0, 0]              name → entity index
 *   postings   = vocab id → the names that contain it (CSR: postingStart / postings)
 *
 * A non-Latin form (UN and EU print Arabic and Cyrillic originals) becomes one name per Latin
 * spelling from `latinVariants`, all pointing back to the same published form.
 */
export interface NameTable {
  readonly entities: EntityShelf;
  readonly listIds: readonly string[];
  /** Entity index → index into `listIds`. */
  readonly entityList: Uint16Array;
  /** Entity index → index into ENTITY_SCHEMAS. */
  readonly entitySchema: Uint8Array;
  readonly nameCount: number;
  readonly nameEntity: Int32Array;
  readonly nameKind: Uint8Array;
  readonly nameStart: Int32Array;
  readonly nameTokens: Int32Array;
  /** Bit (c − "a") set for every first letter c of the name's tokens, so initials can be estimated. */
  readonly nameLetters: Uint32Array;
  /** Sum of the name's token weights, for coverage of the list side. */
  readonly nameWeight: Float32Array;
  /** The form as published (the analyst reads this). */
  readonly nameForm: readonly string[];
  /** The Latin spelling that was indexed, when it differs from the published form. */
  readonly nameVariant: readonly (string | undefined)[];
  /** Canonical legal-form kinds in the name ("llc", "jsc"), or undefined. */
  readonly nameLegal: readonly (readonly string[] | undefined)[];
  readonly vocab: readonly string[];
  readonly vocabId: ReadonlyMap<string, number>;
  readonly vocabPhonetic: readonly (readonly [string, string])[];
  /** Number of entities whose names use the token. */
  readonly documentFrequency: Int32Array;
  /** Token weight in (0, 1]: rare tokens near 1, tokens on thousands of entities low. */
  readonly tokenWeight: Float32Array;
  readonly postingStart: Int32Array;
  readonly postings: Int32Array;
}

/**
 * The listed entities of a table, by entity index. A table restored from a snapshot keeps each
 * entity as its JSON text and parses it on first use: a screening reads the few entities that
 * score near the threshold, and parsing all 26k bundled ones up front took ~0.2 s of every start.
 *
 * @example
 * table.entities.at(table.nameEntity[name]!).id // "ofac-sdn:7843"
 */
export interface EntityShelf {
  readonly length: number;
  at(index: number): ListEntity;
}

/** A shelf over entities already in memory (a freshly built table). */
class ArrayEntityShelf implements EntityShelf {
  constructor(private readonly entities: readonly ListEntity[]) {}
  get length(): number {
    return this.entities.length;
  }
  at(index: number): ListEntity {
    const entity = this.entities[index];
    if (!entity) throw new RangeError(`no entity ${index} in a table of ${this.entities.length}`);
    return entity;
  }
}

/**
 * Entities as UTF-8 JSON, one after another: entity e is bytes[start[e] .. start[e + 1]). Bytes,
 * not strings, so that a snapshot loads (and worker threads share it) without decoding 11 MB of
 * text that a run mostly never reads.
 */
export interface EntityRecords {
  readonly bytes: Uint8Array;
  readonly start: Int32Array;
}

const utf8Decoder = new TextDecoder();

/** A shelf over entities saved as JSON records, each decoded and parsed when first asked for. */
class RecordEntityShelf implements EntityShelf {
  private readonly parsed: (ListEntity | undefined)[];
  constructor(private readonly records: EntityRecords) {
    this.parsed = new Array(records.start.length - 1);
  }
  get length(): number {
    return this.parsed.length;
  }
  at(index: number): ListEntity {
    let entity = this.parsed[index];
    if (!entity) {
      if (!(index >= 0 && index < this.parsed.length))
        throw new RangeError(`no entity ${index} in a table of ${this.parsed.length}`);
      const { bytes, start } = this.records;
      entity = JSON.parse(utf8Decoder.decode(bytes.subarray(start[index]!, start[index + 1]!))) as ListEntity;
      this.parsed[index] = entity;
    }
    return entity;
  }
}

function entityRecordsOf(entities: EntityShelf): EntityRecords {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const start = new Int32Array(entities.length + 1);
  for (let e = 0; e < entities.length; e++) {
    const part = encoder.encode(JSON.stringify(matchingPart(entities.at(e))));
    parts.push(part);
    start[e + 1] = start[e]! + part.length;
  }
  const bytes = new Uint8Array(start[entities.length]!);
  parts.forEach((part, e) => {
    bytes.set(part, start[e]!);
  });
  return { bytes, start };
}

/** Name kinds in the order a duplicate spelling is attributed (the strongest kind wins). */
export const KIND_ORDER: readonly NameKind[] = ["primary", "aka", "original-script", "fka", "weak-aka"];
const KIND_CODE = new Map(KIND_ORDER.map((kind, i) => [kind, i] as const));

export const SCHEMA_ORDER: readonly EntitySchema[] = [
  "Person",
  "Organization",
  "Company",
  "LegalEntity",
  "Vessel",
  "Aircraft",
];

/** Lower-case ASCII letters and digits only: the text layer already folded, this guards the contract. */
export function foldToken(token: string): string {
  const lower = token.toLowerCase();
  return /^[a-z0-9]+$/.test(lower) ? lower : lower.replace(/[^a-z0-9]+/g, "");
}

const ASCII = /^[\x20-\x7e]*$/;

/** Bit for the first letter of a token (a–z; digits share the last bit). */
export function letterBit(token: string): number {
  const c = token.charCodeAt(0) - 97;
  return c >= 0 && c < 26 ? 1 << c : 1 << 31;
}

/** Collapses runs of one-letter tokens of a company name: "s a de c v" → "sa de cv", "l l c" → "llc". */
function collapseLetters(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let run = "";
  for (const t of tokens) {
    if (t.length === 1) {
      run += t;
      continue;
    }
    if (run) out.push(run);
    run = "";
    out.push(t);
  }
  if (run) out.push(run);
  return out;
}

/**
 * Drops a token that is the acronym of the name's other words, as lists print them:
 * "KOREA NATIONAL INSURANCE CORPORATION (KNIC)". The acronym says nothing the words do not, and
 * left in it counts as a word the other side lacks.
 */
function dropOwnAcronym(tokens: string[]): string[] {
  if (tokens.length < 3) return tokens;
  const initials = tokens.map((t) => t[0]).join("");
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.length < 2 || t.length > tokens.length - 1) continue;
    const others = initials.slice(0, k) + initials.slice(k + 1);
    // The acronym may skip small words ("of", "the", "and"): it must be a subsequence of the initials.
    let at = 0;
    for (const c of others) if (at < t.length && c === t[at]) at++;
    if (at === t.length && others.startsWith(t[0]!)) return tokens.filter((_, i) => i !== k);
  }
  return tokens;
}

/** Tokens of one Latin spelling, folded, with the legal-form kinds found and which tokens belong to them. */
export interface NameTokensOf {
  readonly tokens: string[];
  readonly legal: string[];
  /** Tokens that are words of a legal form ("open joint stock company"): they count, but little. */
  readonly legalWords: ReadonlySet<string> | undefined;
}

const fold = (tokens: readonly string[]): string[] => {
  const out: string[] = [];
  for (const t of tokens) {
    const folded = foldToken(t);
    if (folded) out.push(folded);
  }
  return out;
};

/**
 * Tokens of one Latin spelling. People keep every token as written, initials included. Other
 * parties keep their legal-form words as ordinary tokens (so "LIMIED" can still meet "LIMITED"),
 * flagged so that they weigh little, and report the canonical kinds for the legal-form evidence.
 *
 * @example
 * tokensOf("MABROOKA TRADING CO L.L.C.") // { tokens: ["mabrooka", "trading", "co", "llc"], legal: ["company", "llc"], ... }
 */
export function tokensOf(text: string, person = false): NameTokensOf {
  if (person)
    return {
      tokens: fold(tokenizeName(text, { legalForms: false }).tokens),
      legal: [],
      legalWords: undefined,
    };
  const withLegal = tokenizeName(text);
  const { legalForms } = withLegal;
  // Without a legal form both tokenizations agree: tokenize once.
  const raw = legalForms.length === 0 ? withLegal.tokens : tokenizeName(text, { legalForms: false }).tokens;
  const tokens = dropOwnAcronym(collapseLetters(fold(raw)));
  if (legalForms.length === 0) return { tokens, legal: [], legalWords: undefined };
  const legalWords = new Set<string>();
  for (const hit of legalForms)
    for (const w of collapseLetters(fold(hit.text.split(/\s+/)))) legalWords.add(w);
  return { tokens, legal: legalForms.map((l) => l.kind), legalWords };
}

/**
 * The words as written, without the tokenizer's Arabic-particle rewriting ("abdul" → "abd",
 * "abdallah" → "abdullah"). That rewriting aligns spellings of intact names but turns a typo
 * ("Abdallaa", "bAdul") into other words, so every name is also indexed and queried as written.
 *
 * @example
 * writtenTokens("AL-ASHQAR, 'Abdallaa") // ["al", "ashqar", "abdallaa"]
 */
export function writtenTokens(text: string, person = false): string[] {
  const tokens = fold(stripPunctuation(foldName(text)).split(" "));
  return person ? tokens : dropOwnAcronym(collapseLetters(tokens));
}

/** Weight cap for words of a legal form: they confirm, they do not identify. */
export const LEGAL_WORD_WEIGHT = 0.1;

/**
 * Token weight from inverse document frequency, scaled to (0, 1] by the largest possible IDF.
 * The floor keeps very common tokens ("mohammad", "trading") from counting for nothing.
 *
 * @example
 * tokenWeightFor(1, 26000)    // ≈ 0.93
 * tokenWeightFor(3000, 26000) // ≈ 0.23
 */
export function tokenWeightFor(df: number, entityCount: number): number {
  // With one record there is no rarity to learn: every word weighs the same.
  if (entityCount < 2) return 1;
  const max = Math.log(entityCount + 1);
  const idf = Math.log((entityCount + 1) / (df + 1));
  return Math.min(1, Math.max(0.12, idf / max));
}

/**
 * Builds the name table for a set of entities.
 *
 * @example
 * const table = buildNameTable(entities);
 * table.nameCount // ≈ 3 × entities.length for the bundled lists
 */
export function buildNameTable(entities: readonly ListEntity[]): NameTable {
  const listIds: string[] = [];
  const listIndex = new Map<string, number>();
  const entityList = new Uint16Array(entities.length);
  const entitySchema = new Uint8Array(entities.length);
  const vocab: string[] = [];
  const vocabId = new Map<string, number>();
  const vocabPhonetic: (readonly [string, string])[] = [];
  const df: number[] = [];
  const dfStamp: number[] = [];

  const nameEntity: number[] = [];
  const nameKind: number[] = [];
  const nameStart: number[] = [0];
  const nameTokens: number[] = [];
  const nameForm: string[] = [];
  const nameVariant: (string | undefined)[] = [];
  const nameLegal: (string[] | undefined)[] = [];

  const legalVocab = new Set<number>();
  const idOf = (token: string, entity: number): number => {
    let id = vocabId.get(token);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(token);
      vocabId.set(token, id);
      vocabPhonetic.push(phoneticKeys(token));
      df.push(0);
      dfStamp.push(-1);
    }
    if (dfStamp[id] !== entity) {
      dfStamp[id] = entity;
      df[id]!++;
    }
    return id;
  };

  entities.forEach((entity, e) => {
    let list = listIndex.get(entity.listId);
    if (list === undefined) {
      list = listIds.length;
      listIds.push(entity.listId);
      listIndex.set(entity.listId, list);
    }
    entityList[e] = list;
    entitySchema[e] = Math.max(0, SCHEMA_ORDER.indexOf(entity.schema));
    const forms =
      entity.names.length > 0 ? [...entity.names] : [{ full: entity.name, kind: "primary" as const }];
    forms.sort((a, b) => (KIND_CODE.get(a.kind) ?? 9) - (KIND_CODE.get(b.kind) ?? 9));
    const seen = new Set<string>();
    for (const form of forms) {
      // Plain ASCII is Latin already: skip script detection for the bulk of list names.
      const variants = ASCII.test(form.full) ? [form.full] : latinVariants(form.full);
      for (const variant of variants) {
        const canonical = tokensOf(variant, entity.schema === "Person");
        const written = writtenTokens(variant, entity.schema === "Person");
        for (const { tokens, legal, legalWords } of [canonical, { ...canonical, tokens: written }]) {
          if (tokens.length === 0) continue;
          const key = [...tokens].sort().join(" ");
          if (seen.has(key)) continue;
          seen.add(key);
          for (const t of tokens) {
            const id = idOf(t, e);
            nameTokens.push(id);
            if (legalWords?.has(t)) legalVocab.add(id);
          }
          nameStart.push(nameTokens.length);
          nameEntity.push(e);
          nameKind.push(KIND_CODE.get(form.kind) ?? 0);
          nameForm.push(form.full);
          nameVariant.push(variant === form.full ? undefined : variant);
          nameLegal.push(legal.length > 0 ? legal : undefined);
        }
      }
    }
  });

  const entityCount = Math.max(1, entities.length);
  const documentFrequency = Int32Array.from(df);
  const tokenWeight = new Float32Array(vocab.length);
  for (let v = 0; v < vocab.length; v++) {
    const w = tokenWeightFor(df[v]!, entityCount);
    tokenWeight[v] = legalVocab.has(v) ? Math.min(w, LEGAL_WORD_WEIGHT) : w;
  }

  const nameCount = nameEntity.length;
  const starts = Int32Array.from(nameStart);
  const tokensArr = Int32Array.from(nameTokens);
  const nameWeight = new Float32Array(nameCount);
  const nameLetters = new Uint32Array(nameCount);
  const postingCount = new Int32Array(vocab.length + 1);
  for (let n = 0; n < nameCount; n++) {
    let w = 0;
    for (let k = starts[n]!; k < starts[n + 1]!; k++) {
      const v = tokensArr[k]!;
      w += tokenWeight[v]!;
      nameLetters[n]! |= letterBit(vocab[v]!);
      postingCount[v + 1]!++;
    }
    nameWeight[n] = w;
  }
  for (let v = 0; v < vocab.length; v++) postingCount[v + 1]! += postingCount[v]!;
  const postingStart = Int32Array.from(postingCount);
  const fill = Int32Array.from(postingCount);
  const postings = new Int32Array(tokensArr.length);
  for (let n = 0; n < nameCount; n++) {
    for (let k = starts[n]!; k < starts[n + 1]!; k++) {
      const v = tokensArr[k]!;
      // A token repeated inside one name ("abd al abd") is posted once.
      const at = fill[v]!;
      if (at > postingStart[v]! && postings[at - 1] === n) continue;
      postings[at] = n;
      fill[v] = at + 1;
    }
  }
  // Close the gaps left by skipped repeats by marking them -1; readers skip negatives.
  for (let v = 0; v < vocab.length; v++)
    for (let k = fill[v]!; k < postingStart[v + 1]!; k++) postings[k] = -1;

  return {
    entities: new ArrayEntityShelf(entities),
    listIds,
    entityList,
    entitySchema,
    nameCount,
    nameEntity: Int32Array.from(nameEntity),
    nameKind: Uint8Array.from(nameKind),
    nameStart: starts,
    nameTokens: tokensArr,
    nameWeight,
    nameLetters,
    nameForm,
    nameVariant,
    nameLegal,
    vocab,
    vocabId,
    vocabPhonetic,
    documentFrequency,
    tokenWeight,
    postingStart,
    postings,
  };
}

/**
 * A name table as plain data (typed arrays, string arrays and trimmed entities as JSON texts) that
 * `structuredClone`, `postMessage` and `v8.serialize` carry: build once, then restore in another
 * thread or a later process without the text processing or a store read. Entities keep only what
 * scoring and results read (ids, name, schema, dates, countries, identifiers).
 */
export type NameTableSnapshot = Omit<
  NameTable,
  "vocabId" | "entities" | "vocabPhonetic" | "nameVariant" | "nameLegal"
> & {
  /** The trimmed entities as JSON records (see `EntityShelf`). */
  readonly entityRecords: EntityRecords;
  /**
   * The per-name and per-token columns below in flat form: an array of 78k small arrays or
   * `undefined`s costs a structured read element by element, flat strings and codes do not.
   */
  /** Primary and secondary key of token v at 2v and 2v + 1. */
  readonly vocabPhoneticFlat: readonly string[];
  /** "" where the indexed spelling is the published form. */
  readonly nameVariantFlat: readonly string[];
  /** Name → 1 + index into `legalSets` (0: no legal form). */
  readonly nameLegalCode: Uint16Array;
  readonly legalSets: readonly (readonly string[])[];
};

/** The parts of an entity that matching reads after the name table is built. */
function matchingPart(entity: ListEntity): ListEntity {
  return {
    id: entity.id,
    listId: entity.listId,
    nativeId: entity.nativeId,
    schema: entity.schema,
    name: entity.name,
    names: [],
    birthDates: entity.birthDates,
    birthPlaces: [],
    nationalities: entity.nationalities,
    citizenships: entity.citizenships,
    countries: entity.countries,
    addresses: (entity.addresses ?? []).flatMap((a) => (a.country ? [{ country: a.country }] : [])),
    identifiers: entity.identifiers,
    sanctions: [],
    remarks: [],
    links: [],
    attributes: {},
    raw: undefined,
  };
}

/**
 * The plain-data form of a name table.
 *
 * @example
 * worker.postMessage({ snapshot: snapshotNameTable(table) });
 */
export function snapshotNameTable(table: NameTable): NameTableSnapshot {
  const { vocabId: _vocabId, entities, vocabPhonetic, nameVariant, nameLegal, ...rest } = table;
  const legalSets: (readonly string[])[] = [];
  const legalSetCode = new Map<string, number>();
  const nameLegalCode = new Uint16Array(table.nameCount);
  nameLegal.forEach((legal, name) => {
    if (!legal) return;
    const key = legal.join(" ");
    let code = legalSetCode.get(key);
    if (code === undefined) {
      legalSets.push(legal);
      code = legalSets.length;
      legalSetCode.set(key, code);
    }
    nameLegalCode[name] = code;
  });
  return {
    ...rest,
    entityRecords: entityRecordsOf(entities),
    vocabPhoneticFlat: vocabPhonetic.flat(),
    nameVariantFlat: nameVariant.map((variant) => variant ?? ""),
    nameLegalCode,
    legalSets,
  };
}

/**
 * Rebuilds a name table from its snapshot.
 *
 * @example
 * const table = restoreNameTable(message.snapshot);
 */
export function restoreNameTable(snapshot: NameTableSnapshot): NameTable {
  const { entityRecords, vocabPhoneticFlat, nameVariantFlat, nameLegalCode, legalSets, ...rest } = snapshot;
  const carried = entityRecords.start.length - 1;
  if (snapshot.entityList.length !== carried || entityRecords.start[carried] !== entityRecords.bytes.length) {
    throw new Error(
      `name table snapshot covers ${snapshot.entityList.length} entities but carries ${carried}`,
    );
  }
  return {
    ...rest,
    entities: new RecordEntityShelf(entityRecords),
    vocabPhonetic: Array.from(
      { length: snapshot.vocab.length },
      (_, v) => [vocabPhoneticFlat[2 * v] ?? "", vocabPhoneticFlat[2 * v + 1] ?? ""] as const,
    ),
    nameVariant: nameVariantFlat.map((variant) => variant || undefined),
    nameLegal: Array.from(nameLegalCode, (code) => (code === 0 ? undefined : legalSets[code - 1])),
    vocabId: new Map(snapshot.vocab.map((token, id) => [token, id])),
  };
}
