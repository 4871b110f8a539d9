import type { EntitySchema, ListEntity, NameKind } from "../model/index.js";
import {
  compareFacts,
  type EntityFacts,
  EVIDENCE_WEIGHTS,
  type Evidence,
  entityFacts,
  IDENTIFIER_MATCH_SCORE,
  type QueryFacts,
  queryFacts,
  schemasCompatible,
} from "./evidence.js";
import {
  CandidateGenerator,
  DeletionIndex,
  type DeletionIndexSnapshot,
  mergeSpellings,
  type NameIndex,
  NgramIndex,
  type NgramIndexSnapshot,
  PhoneticIndex,
  type PhoneticIndexSnapshot,
  TokenIndex,
  TokenMatcher,
  type TokenMatches,
  type WordMemoSnapshot,
} from "./name-index.js";
import {
  buildNameTable,
  KIND_ORDER,
  LEGAL_WORD_WEIGHT,
  type NameTable,
  type NameTableSnapshot,
  restoreNameTable,
  SCHEMA_ORDER,
  snapshotNameTable,
  tokensOf,
  writtenTokens,
} from "./name-table.js";
import type { PartyQuery, ScreenOptions } from "./query.js";
import { alignName, type NameAlignment, type PairSimilarity, type TokenPair } from "./score-name.js";
import { isInitial, latinVariants, mistypedLegalForm } from "./text-adapter.js";
import { phoneticsAgree, tokenScore } from "./token-similarity.js";

/**
 * Default match threshold. Chosen from the threshold sweep printed by `scripts/eval-parties.ts`
 * on the labelled eval data (docs/evaluation.md, bundled lists): the lowest threshold that keeps
 * the false-positive rate near half the 1% target — headroom for unseen data — on both negative
 * sets. Chosen on 2026-11-25 (US Congress members 0.5%, 3 of 644; 50,000 synthetic US-style people
 * 0.56%; 0.74 lost cross-list, perturbed and cross-script recall). Still the lowest such step on
 * 2026-12-06: 0.31% (2) and 0.49% (244), against 0.7% on the synthetic set at 0.70; at 0.74 the
 * list and perturbed recall falls from 99.8% to 99.3%. Configure per screener
 * (`createScreener(entities, { threshold })`) or per call (`screen(query, { threshold })`).
 */
export const DEFAULT_MATCH_THRESHOLD = 0.72;

/** Candidates scoring at least this, but under the threshold, come back with `match: false` for context. */
export const DEFAULT_LOWER_CUTOFF = 0.6;

/**
 * Names per query form handed from candidate generation to the full scorer. 12 (16 until
 * 2026-12-06): on the eval data no positive changed, and ten weak false positives whose list names
 * ranked 13th–16th went (278 → 268); the property test against a brute-force scan misses 5 of
 * 1,476 true best matches instead of 4 (target under 0.5%); the scan of scripts/check-candidates.ts
 * misses 9 of 621 instead of 7 (the two new ones context candidates under the threshold);
 * screening is ~8% faster. 10 loses a `perturbed (drop)` positive (docs/evaluation.md).
 */
export const DEFAULT_CANDIDATE_LIMIT = 12;

/**
 * Why a record matched (or nearly did), for the analyst: which spelling of the query met which
 * published name, token by token, and what every other piece of evidence did to the score.
 *
 * @example
 * {
 *   queryForm: "Saddam Hussein al-Tikriti", listName: "HUSSEIN AL-TIKRITI, Saddam", listNameKind: "primary",
 *   tokens: [{ query: "saddam", list: "saddam", similarity: 1, kind: "exact" }, ...],
 *   unmatchedQuery: [], unmatchedList: [], nameScore: 1,
 *   evidence: [{ kind: "birth-date", effect: 0.08, detail: "date of birth 1937-04-28 equals listed 28 Apr 1937" }],
 *   summary: "\"صدام حسين التكريتي\" (read as ...) ~ primary name ...: name similarity 1.00; ...; score 1.00 ≥ threshold 0.72: match."
 * }
 */
export interface MatchExplanation {
  /**
   * The query spelling that matched best. For a query in another script, one of its Latin
   * readings: readings that line up word for word are scored together, each word at its best
   * spelling, so `tokens` show which spelling met each list word.
   */
  readonly queryForm: string;
  /** The list name as published. */
  readonly listName: string;
  readonly listNameKind: NameKind;
  /** The Latin reading of a non-Latin list name that was compared, when different from `listName`. */
  readonly listNameReading?: string;
  readonly tokens: readonly TokenPair[];
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedList: readonly string[];
  /** Name similarity before other evidence, in [0, 1]. */
  readonly nameScore: number;
  readonly evidence: readonly Evidence[];
  readonly summary: string;
  /**
   * Present when the hit was found through a record on a list outside the selection: the query
   * is that record (`score`), and one of that record's other names (`alias`) is what met this hit.
   */
  readonly linkedThrough?: LinkedRecord;
}

/**
 * The record on another loaded list that links a query to a hit (see `MatchExplanation.linkedThrough`).
 *
 * @example
 * { entityId: "un:YEe.001", list: "un", name: "THE HOUTHIS", score: 1, alias: "ANSAR ALLAH" }
 */
export interface LinkedRecord {
  readonly entityId: string;
  readonly list: string;
  readonly name: string;
  /** How well the query matched that record. */
  readonly score: number;
  /** The record's other name that was screened against the selected lists. */
  readonly alias: string;
}

/**
 * One screening hit. `match` is the product's decision at the threshold in force; hits between
 * the lower cut-off and the threshold come back with `match: false` for context.
 *
 * @example
 * { entityId: "ofac-sdn:7843", list: "ofac-sdn", name: "HUSSEIN AL-TIKRITI, Saddam", score: 1, match: true, explanation }
 */
export interface MatchResult {
  readonly entityId: string;
  readonly list: string;
  /** The entity's primary name. */
  readonly name: string;
  readonly score: number;
  readonly match: boolean;
  readonly explanation: MatchExplanation;
}

/**
 * How a screener is built and its defaults.
 *
 * @example
 * createScreener(entities, { threshold: 0.8, lowerCutoff: 0.5, limit: 5 })
 */
export interface ScreenerOptions {
  readonly threshold?: number;
  readonly lowerCutoff?: number;
  readonly candidateLimit?: number;
  readonly limit?: number;
}

/**
 * The screening engine over one set of entities. Not safe to share between threads (it reuses
 * scratch buffers); build one per worker.
 *
 * @example
 * const results = screener.screen({ name: "Kiselyov D.K.", schema: "Person" }, { lists: ["eu", "uk-fcdo"] });
 */
export interface Screener {
  readonly threshold: number;
  readonly lowerCutoff: number;
  readonly entityCount: number;
  readonly nameCount: number;
  readonly listIds: readonly string[];
  screen(query: PartyQuery, options?: ScreenOptions): MatchResult[];
  /** The name table and indexes as plain data, for worker threads and caches (`restoreScreener`). */
  snapshot(): ScreenerSnapshot;
  /** Every entity scored by the same scorer without candidate generation (tests and benchmarks). */
  screenBruteForce(query: PartyQuery, options?: ScreenOptions): MatchResult[];
  /**
   * The words this screener has looked up in its index (the `limit` most recent; default, all it
   * remembers), with what each is close to: what a later screener over the same index can
   * `rememberWords` instead of looking them up again. A third of screening a batch of new names
   * goes to first-sight word lookups (scripts/profile-parties.ts). Scope "all" also includes
   * remembered words not met since (first, so they are the first dropped by a limit); "met" only
   * the words met since this screener started.
   */
  lookedUpWords(limit?: number, scope?: "all" | "met"): WordMemoSnapshot;
  /** How many words this screener looked up itself, rather than taking them from remembered ones. */
  readonly freshLookups: number;
  /**
   * Takes word lookups saved from a screener over the same index. Returns how many were new; throws,
   * adding none, on a snapshot of another index or a malformed one.
   */
  rememberWords(words: WordMemoSnapshot): number;
  /**
   * The words this screener looked up itself since the last call, or undefined if none. They are
   * kept only once this has been called: the first call starts collecting (and returns undefined).
   * Worker threads of one batch hand them to each other (`rememberWords`), so that a word new to
   * the batch is looked up by one thread, not by each: two threads each looked up ~80% of the
   * 16,062 distinct words of the 50,000 synthetic names.
   */
  takeNewLookups(): WordMemoSnapshot | undefined;
}

/**
 * A built screener as plain data (typed arrays, strings, trimmed entities): `v8.serialize` or
 * `postMessage` carry it, and `restoreScreener` brings it back without reading the lists or
 * building anything — ~0.2 s instead of ~1.5 s for the bundled lists.
 */
export interface ScreenerSnapshot {
  readonly table: NameTableSnapshot;
  readonly phonetic: PhoneticIndexSnapshot;
  readonly ngram: NgramIndexSnapshot;
  readonly deletion: DeletionIndexSnapshot;
}

interface QueryForm {
  readonly text: string;
  readonly tokens: readonly TokenMatches[];
  readonly legal: readonly string[];
  /** A legal form read from a mistyped abbreviation, for the explanation ('"L.LL.C." read as llc'). */
  readonly legalSlip: string | undefined;
  /** How many readings of the name (transliterations) were merged into this form (see `mergeForms`). */
  readonly spellingCount: number;
}

interface Best {
  name: number;
  form: number;
  score: number;
}

const KIND_EFFECT: Partial<Record<NameKind, number>> = {
  "weak-aka": EVIDENCE_WEIGHTS.weakAlias,
  fka: EVIDENCE_WEIGHTS.formerName,
};
/** KIND_EFFECT by the name table's kind code, for the per-candidate loop. */
const KIND_EFFECT_BY_CODE = Float64Array.from(KIND_ORDER, (kind) => KIND_EFFECT[kind] ?? 0);
/**
 * Order of equal scores: a record matched on its own name (as published, or in its script) before
 * one matched on an alias, then a former name, then a weak alias. OFAC lists GROUP GRAND LIMITED
 * GENERAL TRADING as a record and as an alias of GROUP GRAND LIMITED: the query's exact name should
 * rank the record first, not whichever was entered first.
 */
const TIE_RANK: Readonly<Record<NameKind, number>> = {
  primary: 0,
  "original-script": 0,
  aka: 1,
  fka: 2,
  "weak-aka": 3,
};
const TIE_RANK_BY_CODE = Int8Array.from(KIND_ORDER, (kind) => TIE_RANK[kind]);

const ASCII = /^[\x20-\x7e]*$/;
/**
 * A comma swapped with the letter next to it: between letters, with a lone letter on one side
 * ("MINA',I Mohammad", "L,I Fangwei"). "DOE,JOHN" (a separator without its space) is not one.
 */
const COMMA_BETWEEN_LETTERS = /(?<=\p{L}['’]?),(?=\p{L}(?:\s|$))|(?<=(?:^|\s)\p{L}),(?=\p{L})/u;
const COMMAS_BETWEEN_LETTERS = new RegExp(COMMA_BETWEEN_LETTERS.source, "gu");

/**
 * Linking through other lists. A party screened against some lists can be a record of another
 * loaded list whose other names are on the selected ones: the UN lists "AL MOUAKAOUNE BIDDAM"
 * a.k.a. "Those Who Sign in Blood", which is an OFAC alias of AL-MULATHAMUN BATTALION. Only a
 * near-certain match makes a record a link (LINK_MIN_SCORE), and only a near-certain match of one
 * of its other names makes a hit; its weak aliases are not followed; a linked hit scores the product
 * of the two matches. Links are looked for only when the selected lists hold no near-certain match.
 */
const LINK_MIN_SCORE = 0.9;
/** Records of other lists followed per query, and names followed per record. */
const MAX_LINK_RECORDS = 2;
const MAX_LINK_NAMES = 16;
/**
 * Candidates per query form when looking for a record to link through: a near-certain match shares
 * the query's words and ranks among the first few candidates.
 */
const LINK_CANDIDATE_LIMIT = 4;

/** Merged query positions remembered (see `mergedSpellings`); cleared when full. */
const MERGED_MEMO_LIMIT = 20_000;

/** Most respaced readings of one query form searched for candidates (see `respacedReadings`). */
const MAX_RESPACED_READINGS = 2;
/**
 * Most a merged form's candidate limit is multiplied by. Its words already carry every spelling's
 * matches, so it needs little more depth than one spelling: on the eval data (docs/evaluation.md)
 * two and four found the same names at the threshold, and two is 3.5% faster over all names.
 */
const MAX_SPELLINGS_BREADTH = 2;

/** Cap on query tokens: a 10 KB "name" is bad input, not a reason to spend a second on it. */
const MAX_QUERY_TOKENS = 16;

/** Most that birth date and country can add (dobExact + countrySame), for skipping hopeless names. */
const MAX_EVIDENCE_GAIN = EVIDENCE_WEIGHTS.dobExact + EVIDENCE_WEIGHTS.countrySame + 0.001;
/** Most a name's kind and legal form can add to its alignment score (scoreNames), with a margin. */
const MAX_NAME_GAIN =
  Math.max(0, ...KIND_EFFECT_BY_CODE) +
  Math.max(0, EVIDENCE_WEIGHTS.legalFormSame, EVIDENCE_WEIGHTS.legalFormDifferent) +
  0.001;

const round = (x: number) => Math.round(x * 1000) / 1000;

/** For each query schema (or none), which list schemas (in SCHEMA_ORDER) it may match: computed once. */
const SCHEMA_OK = new Map<EntitySchema | undefined, readonly boolean[]>(
  [undefined, ...SCHEMA_ORDER].map((query) => [
    query,
    SCHEMA_ORDER.map((listed) => schemasCompatible(query, listed)),
  ]),
);

/**
 * Builds a screener from plain entities. Everything is derived from the entity array in one pass
 * (≈1.2–1.5 s for the 26k bundled entities); `screener.snapshot()` saves the result, which
 * `restoreScreener` brings back in a fraction of that.
 *
 * @example
 * const screener = createScreener(entities);
 * screener.screen({ name: "Saddam Hussein AL-TIKRITI", dob: "1937-04-28" }, { lists: ["ofac-sdn"] })[0]
 * // { entityId: "ofac-sdn:7843", score: 1, match: true, explanation: { summary: "..." } }
 */
export function createScreener(entities: readonly ListEntity[], options: ScreenerOptions = {}): Screener {
  return new IndexedScreener(buildNameTable(entities), options);
}

/**
 * A screener from a snapshot taken with `screener.snapshot()` (possibly in another thread or
 * process, through `v8.serialize`).
 *
 * @example
 * const screener = restoreScreener(structuredClone(built.snapshot()), { threshold: 0.8 });
 */
export function restoreScreener(snapshot: ScreenerSnapshot, options: ScreenerOptions = {}): Screener {
  return new IndexedScreener(restoreNameTable(snapshot.table), options, snapshot);
}

class IndexedScreener implements Screener {
  readonly threshold: number;
  readonly lowerCutoff: number;
  private readonly candidateLimit: number;
  private readonly defaultLimit: number;
  private readonly matcher: TokenMatcher;
  private readonly generator: CandidateGenerator;
  private readonly facts: (EntityFacts | undefined)[];
  private readonly nameStamp: Int32Array;
  /** Best score and form per candidate in `scoreNames`, reused across queries (grown on demand). */
  private scoreScratch = new Float64Array(256);
  private formScratch = new Uint16Array(256);
  /** Dense query-token × vocabulary similarity table for the form being scored (zeroed after use). */
  private readonly sims: Float32Array;
  private stamp = 0;
  private readonly mergedMemo = new Map<string, TokenMatches>();
  /**
   * Per name, its entity's list and schema as one code (list index × schemas + schema): the
   * acceptor reads one small array instead of the entity, then its list and its schema, three
   * dependent reads far apart for each of the ~70 names a query's candidate generation weighs.
   */
  private readonly nameClass: Uint16Array;

  private readonly phonetic: PhoneticIndex;
  private readonly ngram: NgramIndex;
  private readonly deletion: DeletionIndex;

  constructor(
    private readonly table: NameTable,
    options: ScreenerOptions,
    saved?: ScreenerSnapshot,
  ) {
    this.threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
    this.lowerCutoff = Math.min(options.lowerCutoff ?? DEFAULT_LOWER_CUTOFF, this.threshold);
    this.candidateLimit = options.candidateLimit ?? DEFAULT_CANDIDATE_LIMIT;
    this.defaultLimit = options.limit ?? 10;
    this.phonetic = new PhoneticIndex(table, saved?.phonetic);
    this.ngram = new NgramIndex(table, saved?.ngram);
    this.deletion = new DeletionIndex(table, saved?.deletion);
    const indexes: NameIndex[] = [new TokenIndex(table), this.phonetic, this.ngram, this.deletion];
    this.matcher = new TokenMatcher(table, indexes);
    this.generator = new CandidateGenerator(table);
    this.facts = new Array(table.entities.length);
    this.nameStamp = new Int32Array(table.nameCount);
    this.sims = new Float32Array(table.vocab.length * MAX_QUERY_TOKENS);
    if (table.listIds.length * SCHEMA_ORDER.length > 0xffff)
      throw new RangeError(
        `${table.listIds.length} lists × ${SCHEMA_ORDER.length} schemas overflow the 16-bit name class`,
      );
    this.nameClass = new Uint16Array(table.nameCount);
    for (let n = 0; n < table.nameCount; n++) {
      const e = table.nameEntity[n]!;
      this.nameClass[n] = table.entityList[e]! * SCHEMA_ORDER.length + table.entitySchema[e]!;
    }
  }

  snapshot(): ScreenerSnapshot {
    return {
      table: snapshotNameTable(this.table),
      phonetic: this.phonetic.save(),
      ngram: this.ngram.save(),
      deletion: this.deletion.save(),
    };
  }

  get entityCount(): number {
    return this.table.entities.length;
  }
  get nameCount(): number {
    return this.table.nameCount;
  }
  get listIds(): readonly string[] {
    return this.table.listIds;
  }

  private factsOf(entity: number): EntityFacts {
    let f = this.facts[entity];
    if (!f) {
      f = entityFacts(this.table.entities.at(entity));
      this.facts[entity] = f;
    }
    return f;
  }

  /**
   * The query's forms: each name of the cell ("A ; B") in each Latin reading (transliterations of
   * other scripts), each way of reading it (person, company), tokenized as the lists are (canonical)
   * and as written. Readings of one name that line up word for word (`wordsLineUp`) are merged
   * into one form whose every word is at its best spelling (`mergeSpellings`); only readings of the
   * same name, tokenized the same way, with the same number of words, are lined up.
   */
  private forms(name: string, schema: EntitySchema | undefined): QueryForm[] {
    const seen = new Set<string>();
    // Forms that line up word for word, merged (see mergeForms): one name's readings of one kind.
    const groups = new Map<string, QueryForm[][]>();
    const ordered: QueryForm[][] = [];
    // "A ; B" in one cell is two names of one party (lists and ERP exports both write aliases so).
    const names = name.includes(";") ? name.split(";").filter((n) => n.trim()) : [name];
    // Without a schema the query may be a person (keep initials apart) or a company (read legal forms).
    const readings = schema === undefined ? [true, false] : [schema === "Person"];
    for (let nameIndex = 0; nameIndex < names.length; nameIndex++) {
      const trimmed = names[nameIndex]!.trim();
      // Plain ASCII is Latin already: skip the script detection on the hot path.
      for (const variant of ASCII.test(trimmed) ? [trimmed] : latinVariants(trimmed)) {
        for (const person of readings) {
          // A company's closing abbreviation one slip from a legal form ("L.LL.C.") is read as one;
          // only when the query says it is a company: a person's "LL.M." or "Ph.D." has that shape
          // too, and a legal form read into a query without a schema would make it a company.
          const mistyped = person || schema === undefined ? undefined : mistypedLegalForm(variant);
          const text = mistyped?.text ?? variant;
          const canonical = tokensOf(text, person);
          const legal =
            mistyped && !canonical.legal.includes(mistyped.kind)
              ? [...canonical.legal, mistyped.kind]
              : canonical.legal;
          const isLegalWord = (t: string) => canonical.legalWords?.has(t) || t === mistyped?.word;
          const tokenizations = [canonical.tokens, writtenTokens(text, person)];
          // A comma swapped into a word ("MINA',I" for "MINA'I,"): also read the word whole.
          if (text.includes(",") && COMMA_BETWEEN_LETTERS.test(text))
            tokenizations.push(writtenTokens(text.replace(COMMAS_BETWEEN_LETTERS, ""), person));
          for (let kind = 0; kind < tokenizations.length; kind++) {
            const tokens = tokenizations[kind]!.slice(0, MAX_QUERY_TOKENS);
            if (tokens.length === 0) continue;
            const key = `${tokens.join(" ")}|${legal.join(" ")}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const form: QueryForm = {
              text: variant,
              tokens: packedMap(tokens, (t) => {
                const matches = this.matcher.match(t, isInitial(t) || t.length === 1);
                // A legal-form word the lists never spell this way ("OOO") still weighs like one.
                return isLegalWord(t) && matches.weight > LEGAL_WORD_WEIGHT
                  ? withWeight(matches, LEGAL_WORD_WEIGHT)
                  : matches;
              }),
              legal,
              legalSlip: mistyped ? `"${mistyped.written}" read as ${mistyped.kind}` : undefined,
              spellingCount: 1,
            };
            const shape = form.tokens.map((t) => (t.initial ? "i" : "w")).join("");
            const group = `${nameIndex}|${person}|${kind}|${shape}|${legal.join(" ")}`;
            const candidates = groups.get(group) ?? [];
            const joined = candidates.find((members) => wordsLineUp(members[0]!, form));
            if (joined) joined.push(form);
            else {
              const members = [form];
              candidates.push(members);
              groups.set(group, candidates);
              ordered.push(members);
            }
          }
        }
      }
    }
    return packedMap(ordered, (members) => (members.length === 1 ? members[0]! : this.mergeForms(members)));
  }

  /** Query forms of one name that line up word for word, as one form (see `forms`). */
  private mergeForms(members: readonly QueryForm[]): QueryForm {
    const first = members[0]!;
    return {
      text: first.text,
      tokens: packedMap(first.tokens, (_, i) =>
        this.mergedSpellings(packedMap(members, (m) => m.tokens[i]!)),
      ),
      legal: first.legal,
      legalSlip: first.legalSlip,
      spellingCount: members.length,
    };
  }

  /**
   * `mergeSpellings`, remembered: names in other scripts share their common words ("محمد" is read
   * muhammad / mohammed / mohamed in every name that has it), and merging the matches of its
   * spellings was a tenth of screening an Arabic name. The key holds what the merge reads besides
   * the spellings' matches, which follow from their text.
   */
  private mergedSpellings(spellings: readonly TokenMatches[]): TokenMatches {
    let key = "";
    for (const s of spellings) key += `${s.text}\u0001${s.weight}\u0001${s.initial ? 1 : 0}\u0002`;
    let merged = this.mergedMemo.get(key);
    if (!merged) {
      if (this.mergedMemo.size >= MERGED_MEMO_LIMIT) this.mergedMemo.clear();
      merged = mergeSpellings(spellings);
      this.mergedMemo.set(key, merged);
    }
    return merged;
  }

  private acceptor(facts: QueryFacts, lists: readonly string[] | undefined): (name: number) => boolean {
    const schemas = SCHEMA_ORDER.length;
    const schemaOk = SCHEMA_OK.get(facts.schema)!;
    const selected = lists && lists.length > 0 && !lists.includes("all") ? lists : undefined;
    // Which name classes (list × schema) the query may match.
    const ok = new Uint8Array(this.table.listIds.length * schemas);
    this.table.listIds.forEach((id, list) => {
      if (selected && !selected.includes(id)) return;
      for (let schema = 0; schema < schemas; schema++) ok[list * schemas + schema] = schemaOk[schema] ? 1 : 0;
    });
    const nameClass = this.nameClass;
    return (name) => ok[nameClass[name]!] === 1;
  }

  /**
   * Best alignment of every candidate name over every query form, then the name-level adjustments
   * (name kind, legal form), kept per entity. `similarityFor(f)` gives the pair similarity for form f.
   * Names aligning below `floor` are left out (see `scoreFloor`).
   */
  private scoreNames(
    forms: readonly QueryForm[],
    names: Int32Array | readonly number[],
    similarityFor: (form: number) => { similarity: PairSimilarity; done?: () => void },
    floor: number,
  ): Map<number, Best> {
    if (this.scoreScratch.length < names.length) {
      this.scoreScratch = new Float64Array(2 * names.length);
      this.formScratch = new Uint16Array(2 * names.length);
    }
    const scores = this.scoreScratch.fill(0, 0, names.length);
    const bestForm = this.formScratch;
    for (let f = 0; f < forms.length; f++) {
      const { similarity, done } = similarityFor(f);
      const tokens = forms[f]!.tokens;
      for (let k = 0; k < names.length; k++) {
        const score = alignName(this.table, tokens, names[k]!, similarity, false).score;
        if (score > scores[k]!) {
          scores[k] = score;
          bestForm[k] = f;
        }
      }
      done?.();
    }
    const bestByEntity = new Map<number, Best>();
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      const form = bestForm[k]!;
      let score = scores[k]!;
      if (score <= 0 || score < floor) continue;
      score += KIND_EFFECT_BY_CODE[this.table.nameKind[name]!]!;
      const legal = forms[form]!.legal;
      if (legal.length > 0) score += legalEffect(legal, this.table.nameLegal[name])?.effect ?? 0;
      const e = this.table.nameEntity[name]!;
      const prev = bestByEntity.get(e);
      if (!prev || score > prev.score || (score === prev.score && name < prev.name))
        bestByEntity.set(e, { name, form, score });
    }
    return bestByEntity;
  }

  /** Adds the candidates of one reading of a form to `names`, each name once per query (`stamp`). */
  private addCandidates(
    tokens: readonly TokenMatches[],
    accept: (name: number) => boolean,
    limit: number,
    stamp: number,
    names: number[],
  ): void {
    for (const n of this.generator.candidates(tokens, accept, limit)) {
      if (this.nameStamp[n] === stamp) continue;
      this.nameStamp[n] = stamp;
      names.push(n);
    }
  }

  /**
   * Other spacings of a form's words, for candidate generation only: two adjacent words that are
   * one list word written apart ("VA BO" for "VABO"), or one word that is two list words written
   * together ("VABO" for "VA BO", see `TokenMatcher.respacings`). A name that differs from the
   * query only in its spaces shares no word with it and would never be a candidate; once it is one,
   * the scorer pairs the words itself (the respacing pass of `alignName`).
   */
  private respacedReadings(tokens: readonly TokenMatches[]): readonly TokenMatches[][] {
    const readings: TokenMatches[][] = [];
    const { vocabId } = this.table;
    for (let i = 0; i < tokens.length && readings.length < MAX_RESPACED_READINGS; i++) {
      const token = tokens[i]!;
      if (token.initial) continue;
      const next = tokens[i + 1];
      if (next && !next.initial && this.matcher.filter.mightHave(token.text, next.text)) {
        const joined = token.text + next.text;
        if (vocabId.has(joined))
          readings.push([...tokens.slice(0, i), this.matcher.match(joined, false), ...tokens.slice(i + 2)]);
      }
      for (const [left, right] of token.respacings) {
        if (readings.length >= MAX_RESPACED_READINGS) break;
        readings.push([
          ...tokens.slice(0, i),
          this.matcher.match(left, false),
          this.matcher.match(right, false),
          ...tokens.slice(i + 1),
        ]);
      }
    }
    return readings;
  }

  /** Loads form f's token matches into the dense similarity table (vocab id × token slot). */
  private indexedSimilarity(form: QueryForm): { similarity: PairSimilarity; done: () => void } {
    const sims = this.sims;
    const tokens = form.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const { ids, scores } = tokens[i]!;
      for (let m = 0; m < ids.length; m++) sims[ids[m]! * MAX_QUERY_TOKENS + i] = scores[m]!;
    }
    return {
      similarity: (i, v) => sims[v * MAX_QUERY_TOKENS + i]!,
      done: () => {
        for (let i = 0; i < tokens.length; i++) {
          const { ids } = tokens[i]!;
          for (let m = 0; m < ids.length; m++) sims[ids[m]! * MAX_QUERY_TOKENS + i] = 0;
        }
      },
    };
  }

  /**
   * Query facts and forms. A query without a schema whose name carries a legal form ("ООО …",
   * "… GmbH") is a body, not a person: its person reading is dropped and persons are not searched.
   */
  private prepare(query: PartyQuery): { facts: QueryFacts; forms: QueryForm[] } {
    const facts = queryFacts(query);
    const forms = this.forms(query.name, query.schema);
    if (query.schema === undefined && forms.some((f) => f.legal.length > 0)) {
      return { facts: { ...facts, schema: "Organization" }, forms: forms.filter((f) => f.legal.length > 0) };
    }
    return { facts, forms };
  }

  screen(query: PartyQuery, options: ScreenOptions = {}): MatchResult[] {
    const { facts, forms } = this.prepare(query);
    if (forms.length === 0) return [];
    const direct = this.screenForms(query, facts, forms, options);
    const others =
      options.viaOtherLists === false
        ? []
        : this.listsOutside(options.lists).filter(
            (id) => !options.linkThrough || options.linkThrough.includes(id),
          );
    // A near-certain hit on the selected lists is the party itself: links would mostly find it
    // again, at the cost of screening each of its other records' names (dozens for a group).
    if (others.length === 0 || direct.some((hit) => hit.result.score >= LINK_MIN_SCORE))
      return direct.map((hit) => hit.result);
    return this.withLinkedHits(query, facts, forms, options, others, direct);
  }

  /** Loaded lists a selection leaves out (none for "all" or no selection). */
  private listsOutside(lists: readonly string[] | undefined): string[] {
    if (!lists || lists.length === 0 || lists.includes("all")) return [];
    return this.table.listIds.filter((id) => !lists.includes(id));
  }

  /**
   * Adds the hits found through records of the lists outside the selection (see LINK_MIN_SCORE):
   * each near-certain record's other names are screened against the selection, each name once.
   * An entity found both ways keeps its better score; a direct hit wins a tie.
   */
  private withLinkedHits(
    query: PartyQuery,
    facts: QueryFacts,
    forms: readonly QueryForm[],
    options: ScreenOptions,
    others: string[],
    direct: readonly ScoredHit[],
  ): MatchResult[] {
    const records = this.screenForms(
      query,
      facts,
      forms,
      { lists: others, threshold: LINK_MIN_SCORE, limit: MAX_LINK_RECORDS },
      { candidateLimit: LINK_CANDIDATE_LIMIT, cutoff: LINK_MIN_SCORE },
    );
    if (records.length === 0) return direct.map((hit) => hit.result);
    const best = new Map(direct.map((hit) => [hit.entity, hit]));
    // Records of one party on several lists share most names: each is screened once.
    const followed = new Set(records.map((record) => record.result.explanation.listName.toLowerCase()));
    for (const record of records) {
      // The record says what the party is: a query without a schema takes the record's, so that
      // an organisation's aliases are not matched against people.
      const schema = query.schema ?? this.table.entities.at(record.entity).schema;
      let taken = 0;
      for (const alias of this.publishedNames(record.entity)) {
        const key = alias.full.toLowerCase();
        if (alias.kind === "weak-aka" || followed.has(key)) continue;
        if (taken++ >= MAX_LINK_NAMES) break;
        followed.add(key);
        const aliasQuery = { ...query, name: alias.full, schema };
        const prepared = this.prepare(aliasQuery);
        if (prepared.forms.length === 0) continue;
        const link = { record: record.result, alias: alias.full, queryName: query.name };
        for (const hit of this.screenForms(aliasQuery, prepared.facts, prepared.forms, options, { link })) {
          const known = best.get(hit.entity);
          if (!known || hit.score > known.score) best.set(hit.entity, hit);
        }
      }
    }
    const limit = options.limit ?? this.defaultLimit;
    return [...best.values()]
      .sort(
        (a, b) =>
          b.score - a.score ||
          TIE_RANK[a.result.explanation.listNameKind] - TIE_RANK[b.result.explanation.listNameKind] ||
          a.entity - b.entity,
      )
      .slice(0, limit)
      .map((hit) => hit.result);
  }

  /**
   * An entity's names as published, strongest kind first, from the name table: a table restored
   * from a snapshot keeps only the facts matching reads of each entity, not its names. The names of
   * one entity are consecutive in the table; one published name is indexed once per spelling.
   */
  private publishedNames(entity: number): { full: string; kind: NameKind }[] {
    const { nameEntity, nameForm, nameKind } = this.table;
    let lo = 0;
    let hi = this.table.nameCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nameEntity[mid]! < entity) lo = mid + 1;
      else hi = mid;
    }
    const names: { full: string; kind: NameKind }[] = [];
    for (let n = lo; n < this.table.nameCount && nameEntity[n] === entity; n++) {
      const full = nameForm[n]!;
      if (!names.some((name) => name.full === full)) names.push({ full, kind: KIND_ORDER[nameKind[n]!]! });
    }
    return names;
  }

  /** The query's forms screened against the selected lists, without links through other lists. */
  private screenForms(
    query: PartyQuery,
    facts: QueryFacts,
    forms: readonly QueryForm[],
    options: ScreenOptions,
    pass: Pass = {},
  ): ScoredHit[] {
    const candidateLimit = pass.candidateLimit ?? this.candidateLimit;
    const accept = this.acceptor(facts, options.lists);
    const stamp = ++this.stamp;
    const names: number[] = [];
    for (const form of forms) {
      // Initials find no candidates of their own, so names agreeing on the other words tie; look deeper.
      // A merged form stands for several spellings, each of which brought its own candidates.
      const breadth = Math.min(form.spellingCount, MAX_SPELLINGS_BREADTH);
      const limit = (form.tokens.some((t) => t.initial) ? candidateLimit * 2 : candidateLimit) * breadth;
      this.addCandidates(form.tokens, accept, limit, stamp, names);
      for (const reading of this.respacedReadings(form.tokens))
        this.addCandidates(reading, accept, limit, stamp, names);
    }
    const similarity = (f: number) => this.indexedSimilarity(forms[f]!);
    const bestByEntity = this.scoreNames(forms, names, similarity, this.scoreFloor(facts, options, pass));
    return this.finish(query, facts, forms, bestByEntity, options, similarity, pass);
  }

  /** The lowest score a hit is returned at: the lower cut-off, or a pass's own. */
  private cutoffOf(options: ScreenOptions, pass: Pass): number {
    return pass.cutoff ?? Math.min(this.lowerCutoff, options.threshold ?? this.threshold);
  }

  /**
   * The alignment score below which a name cannot come back (`finish` would drop it): the cut-off
   * less the most a name's kind and legal form and the query's birth date and country can add.
   * An equal identifier can lift any name, so with identifiers nothing is left out. Leaving such
   * names out early spares reading their kind, legal form and entity: most candidates of a name
   * that is on no list align far below the cut-off.
   */
  private scoreFloor(facts: QueryFacts, options: ScreenOptions, pass: Pass): number {
    if (facts.identifiers.length > 0) return Number.NEGATIVE_INFINITY;
    return this.cutoffOf(options, pass) - MAX_EVIDENCE_GAIN - MAX_NAME_GAIN;
  }

  lookedUpWords(limit?: number, scope: "all" | "met" = "all"): WordMemoSnapshot {
    return this.matcher.memoSnapshot(limit, scope === "met");
  }

  get freshLookups(): number {
    return this.matcher.freshLookups;
  }

  rememberWords(words: WordMemoSnapshot): number {
    return this.matcher.remember(words);
  }

  takeNewLookups(): WordMemoSnapshot | undefined {
    const taken = this.matcher.takeNewLookups();
    this.matcher.collectNewLookups();
    return taken;
  }

  screenBruteForce(query: PartyQuery, options: ScreenOptions = {}): MatchResult[] {
    const { facts, forms } = this.prepare(query);
    if (forms.length === 0) return [];
    const accept = this.acceptor(facts, options.lists);
    const { vocab, vocabPhonetic } = this.table;
    const direct = (f: number) => {
      const tokens = forms[f]!.tokens;
      // A merged position scores as its best spelling, as the indexed path's union does.
      const score = (t: TokenMatches, v: number) =>
        tokenScore(t.text, vocab[v]!, t.phonetic, vocabPhonetic[v]!);
      return {
        similarity: ((i, v) => {
          const t = tokens[i]!;
          if (!t.spellings) return score(t, v);
          let best = 0;
          for (const spelling of t.spellings) best = Math.max(best, score(spelling, v));
          return best;
        }) as PairSimilarity,
      };
    };
    const names: number[] = [];
    for (let n = 0; n < this.table.nameCount; n++) if (accept(n)) names.push(n);
    const floor = this.scoreFloor(facts, options, {});
    return this.finish(
      query,
      facts,
      forms,
      this.scoreNames(forms, names, direct, floor),
      options,
      direct,
    ).map((hit) => hit.result);
  }

  private finish(
    query: PartyQuery,
    facts: QueryFacts,
    forms: readonly QueryForm[],
    bestByEntity: Map<number, Best>,
    options: ScreenOptions,
    similarityFor: (form: number) => { similarity: PairSimilarity; done?: () => void },
    pass: Pass = {},
  ): ScoredHit[] {
    const { link } = pass;
    const threshold = options.threshold ?? this.threshold;
    const cutoff = this.cutoffOf(options, pass);
    const limit = options.limit ?? this.defaultLimit;
    const scored: { entity: number; best: Best; score: number; evidence: Evidence[] }[] = [];
    for (const [entity, best] of bestByEntity) {
      // Other evidence adds at most MAX_EVIDENCE_GAIN, except an equal identifier: skip hopeless names early.
      if (best.score + MAX_EVIDENCE_GAIN < cutoff && facts.identifiers.length === 0) continue;
      const listed = this.table.entities.at(entity);
      const { evidence, identifierMatch } = compareFacts(facts, this.factsOf(entity), listed.schema);
      let score = best.score;
      for (const e of evidence) score += e.effect;
      if (identifierMatch && best.score >= 0.5 && score < IDENTIFIER_MATCH_SCORE) {
        const lift = IDENTIFIER_MATCH_SCORE - score;
        const idx = evidence.findIndex((e) => e.kind === "identifier");
        evidence[idx] = { ...evidence[idx]!, effect: round(lift) };
        score = IDENTIFIER_MATCH_SCORE;
      }
      score = Math.max(0, Math.min(1, score));
      if (link) {
        // Both halves of a chain must be near-certain: two fuzzy matches in a row drift to another
        // party ("SUPPORTERS OF GOD" → "SUPPORTERS OF THE PARTY OF GOD"). The chain is no surer than
        // its weaker half: the record's score scales the hit's.
        if (score < LINK_MIN_SCORE) continue;
        const linked = score * link.record.score;
        evidence.push({
          kind: "linked-record",
          effect: linked - score,
          detail: `found through ${link.record.entityId} (score ${score.toFixed(2)} × ${link.record.score.toFixed(2)} for the query and that record)`,
        });
        score = linked;
      }
      if (score >= cutoff) scored.push({ entity, best, score, evidence });
    }
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        TIE_RANK_BY_CODE[this.table.nameKind[a.best.name]!]! -
          TIE_RANK_BY_CODE[this.table.nameKind[b.best.name]!]! ||
        a.entity - b.entity,
    );
    return scored.slice(0, limit).map(({ entity, best, score, evidence }) => {
      const listed = this.table.entities.at(entity);
      const form = forms[best.form]!;
      const { similarity, done } = similarityFor(best.form);
      const alignment = alignName(this.table, form.tokens, best.name, similarity, true);
      done?.();
      const kind = KIND_ORDER[this.table.nameKind[best.name]!]!;
      const nameEvidence: Evidence[] = [];
      const kindEffect = KIND_EFFECT[kind];
      if (kindEffect) {
        nameEvidence.push({
          kind: "name-kind",
          effect: kindEffect,
          detail: kind === "weak-aka" ? "matched a weak (low-quality) alias" : "matched a former name",
        });
      }
      const legal = legalEffect(form.legal, this.table.nameLegal[best.name]);
      if (legal)
        nameEvidence.push(
          form.legalSlip ? { ...legal, detail: `${legal.detail}; ${form.legalSlip}` } : legal,
        );
      const allEvidence = [...nameEvidence, ...evidence].map((e) => ({ ...e, effect: round(e.effect) }));
      const match = score >= threshold;
      const explanation: MatchExplanation = {
        queryForm: form.text,
        listName: this.table.nameForm[best.name]!,
        listNameKind: kind,
        ...(this.table.nameVariant[best.name] ? { listNameReading: this.table.nameVariant[best.name]! } : {}),
        tokens: alignment.pairs.map((p) => ({ ...p, similarity: round(p.similarity) })),
        unmatchedQuery: alignment.unmatchedQuery,
        unmatchedList: alignment.unmatchedList,
        nameScore: round(alignment.score),
        evidence: allEvidence,
        ...(link
          ? {
              linkedThrough: {
                entityId: link.record.entityId,
                list: link.record.list,
                name: link.record.name,
                score: link.record.score,
                alias: link.alias,
              },
            }
          : {}),
        summary: summarize(
          query.name,
          form.text,
          this.table,
          best.name,
          alignment,
          allEvidence,
          score,
          match,
          threshold,
          link,
        ),
      };
      return {
        entity,
        score,
        result: {
          entityId: listed.id,
          list: listed.listId,
          name: listed.name,
          score: round(score),
          match,
          explanation,
        },
      };
    });
  }
}

/** A hit with the entity's index in the name table and its unrounded score, for ordering as `finish` does. */
interface ScoredHit {
  readonly entity: number;
  readonly score: number;
  readonly result: MatchResult;
}

/**
 * How one internal screening pass differs from a caller's: a link it follows, fewer candidates, a
 * higher cut-off (see `withLinkedHits`).
 */
interface Pass {
  readonly link?: Link;
  readonly candidateLimit?: number;
  readonly cutoff?: number;
}

/** How a query reached another list's record whose alias is being screened (see `withLinkedHits`). */
interface Link {
  readonly record: MatchResult;
  readonly alias: string;
  readonly queryName: string;
}

/**
 * Whether two readings of one name put the same word at every position: starting with the same
 * letter or sounding alike ("husayn" / "hussein", "uthman" / "othman"). A reading segmented
 * differently ("abd al-aziz abdullah" against the consonant skeleton "bdlzyz bd llh") does not
 * line up and stays a form of its own.
 */
function wordsLineUp(a: QueryForm, b: QueryForm): boolean {
  for (let i = 0; i < a.tokens.length; i++) {
    const x = a.tokens[i]!;
    const y = b.tokens[i]!;
    if (x.text.charCodeAt(0) !== y.text.charCodeAt(0) && !phoneticsAgree(x.phonetic, y.phonetic))
      return false;
  }
  return true;
}

function legalEffect(query: readonly string[], listed: readonly string[] | undefined): Evidence | undefined {
  if (query.length === 0 || !listed || listed.length === 0) return undefined;
  const same = query.some((k) => listed.includes(k));
  return same
    ? {
        kind: "legal-form",
        effect: EVIDENCE_WEIGHTS.legalFormSame,
        detail: `legal form agrees (${query.join(", ")})`,
      }
    : {
        kind: "legal-form",
        effect: EVIDENCE_WEIGHTS.legalFormDifferent,
        detail: `legal form differs (${query.join(", ")} vs listed ${listed.join(", ")})`,
      };
}

function summarize(
  queryName: string,
  queryForm: string,
  table: NameTable,
  name: number,
  alignment: NameAlignment,
  evidence: readonly Evidence[],
  score: number,
  match: boolean,
  threshold: number,
  link?: Link,
): string {
  const parts: string[] = [];
  if (link) {
    parts.push(
      `"${link.queryName}" is ${link.record.entityId} "${link.record.name}" of another list (score ${link.record.score.toFixed(2)}), which also names it "${link.alias}"`,
    );
  }
  const reading = queryForm !== queryName ? ` (read as "${queryForm}")` : "";
  const listName = table.nameForm[name]!;
  const listReading = table.nameVariant[name] ? ` (read as "${table.nameVariant[name]}")` : "";
  parts.push(
    `"${queryName}"${reading} ~ ${KIND_ORDER[table.nameKind[name]!]} name "${listName}"${listReading}: name similarity ${alignment.score.toFixed(2)}`,
  );
  const tokenText = alignment.pairs
    .map((p) =>
      p.kind === "exact" ? p.query : `${p.query}≈${p.list} (${p.kind} ${p.similarity.toFixed(2)})`,
    )
    .join(", ");
  if (tokenText) parts.push(`words: ${tokenText}`);
  if (alignment.unmatchedQuery.length > 0)
    parts.push(`not in the list name: ${alignment.unmatchedQuery.join(" ")}`);
  if (alignment.unmatchedList.length > 0)
    parts.push(`not in the query: ${alignment.unmatchedList.join(" ")}`);
  if (alignment.shortNamePenalty) parts.push("one-word name not matched exactly (score cut)");
  for (const e of evidence) {
    parts.push(e.effect === 0 ? e.detail : `${e.detail} (${e.effect > 0 ? "+" : ""}${e.effect.toFixed(2)})`);
  }
  parts.push(
    `score ${score.toFixed(2)} ${match ? "≥" : "<"} threshold ${threshold.toFixed(2)}: ${match ? "match" : "no match"}`,
  );
  return `${parts.join("; ")}.`;
}

/**
 * Scores two names on their own with the screener's scorer, for `chokepoint compare`. The second
 * name plays the listed party; with no corpus to learn rarity from, every word weighs the same.
 *
 * @example
 * compareNames("Person", "Kiselyov D.K.", "KISELYOV, Dmitry Konstantinovich") // { score: 0.8.., match: true }
 */
export function compareNames(
  schema: EntitySchema | undefined,
  name1: string,
  name2: string,
  threshold = DEFAULT_MATCH_THRESHOLD,
): { score: number; match: boolean } {
  const listed: ListEntity = {
    id: "compare:1",
    listId: "compare",
    nativeId: "1",
    schema: schema ?? "LegalEntity",
    name: name2,
    names: [{ full: name2, kind: "primary" }],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    citizenships: [],
    countries: [],
    addresses: [],
    identifiers: [],
    sanctions: [],
    remarks: [],
    links: [],
    attributes: {},
    raw: undefined,
  };
  const screener = createScreener([listed], { threshold, lowerCutoff: 0 });
  const [result] = screener.screenBruteForce(
    { name: name1, ...(schema ? { schema } : {}) },
    { threshold, limit: 1 },
  );
  const score = result?.score ?? 0;
  return { score, match: score >= threshold };
}

/**
 * A token's matches at another weight. Written out field by field in `TokenMatcher.match`'s order,
 * not spread: a spread copy can take a map of its own, and the loops that read tokens would be
 * recompiled for it.
 */
function withWeight(matches: TokenMatches, weight: number): TokenMatches {
  // `satisfies` lists every field, optional ones too: one added to TokenMatches fails to compile here.
  return {
    text: matches.text,
    phonetic: matches.phonetic,
    initial: matches.initial,
    weight,
    ids: matches.ids,
    scores: matches.scores,
    respacings: matches.respacings,
    spellings: matches.spellings,
  } satisfies { [K in keyof Required<TokenMatches>]: unknown };
}

/**
 * `items.map(f)` as an array of one V8 elements kind, packed, wherever it is called from. In Node
 * 20, `Array.prototype.map` run as a builtin returns a packed array but inlined into optimised code
 * a holey one, so one call site changes kind when its caller is optimised; spreads and `slice`
 * give packed ones. Token lists made these ways reach the same loops (`alignName`, candidate
 * generation), and each loop optimised for one kind was thrown away when the other arrived.
 */
function packedMap<T, U>(items: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) out.push(f(items[i]!, i));
  return out;
}
