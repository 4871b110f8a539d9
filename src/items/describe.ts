import type { Concept, TokenTerm, Vocabulary } from "./controls.js";
import { type MixedScriptWord, normalizeDescription, stemToken } from "./text.js";
import { APPLICATION_MARKERS } from "./vocabulary.js";

/** A concept found in a description, with the words that named it. */
export interface ConceptMatch {
  concept: Concept;
  /** The words as written (normalised). */
  text: string;
  start: number;
  end: number;
}

export interface DescriptionReading {
  /** What the item is, from the words before any "for ..." phrase. */
  matches: ConceptMatch[];
  /** Concepts named only as what the item is for ("case for GPS tracker"). */
  application: ConceptMatch[];
  mixed: MixedScriptWord[];
  /** Text of the head (before "for"/"для"), where part numbers are looked for. */
  head: string;
}

const MARKERS = new Set(APPLICATION_MARKERS);
const TOKEN = /[a-z]+|\d+|[\u0400-\u04ff]+/g;

interface Token {
  raw: string;
  stem: string;
  start: number;
  end: number;
  cyrillic: boolean;
}

/**
 * Finds the concepts a description names. Longest matches win over shorter ones they overlap
 * ("tantalum capacitor" over "capacitor"; "memory foam" over "memory"); a concept may suppress
 * another (a memory *module* is not a memory IC). Words after "for" / "для" describe the
 * application, not the goods: "heat sink for processor" is a heat sink.
 *
 * @example
 * readDescription("Конденсаторы танталовые 10 мкФ", controls.vocabulary).matches[0]?.concept.id // "tantalum-capacitor"
 */
export function readDescription(raw: string, vocabulary: Vocabulary): DescriptionReading {
  const { text, mixed, hasCjk } = normalizeDescription(raw);
  const tokens: Token[] = [];
  let markerAt = Number.POSITIVE_INFINITY;
  for (const found of text.matchAll(TOKEN)) {
    const token = found[0];
    const start = found.index ?? 0;
    if (markerAt === Number.POSITIVE_INFINITY && MARKERS.has(token) && tokens.length > 0) markerAt = start;
    tokens.push({
      raw: token,
      stem: stemToken(token),
      start,
      end: start + token.length,
      cyrillic: /[\u0400-\u04ff]/.test(token),
    });
  }
  const found: ConceptMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const candidates = vocabulary.byKey.get(token.stem.slice(0, 3));
    if (!candidates) continue;
    for (const term of candidates) {
      const last = matchTerm(term, tokens, i);
      if (last < 0) continue;
      found.push({
        concept: term.concept,
        text: text.slice(token.start, tokens[last]!.end),
        start: token.start,
        end: tokens[last]!.end,
      });
    }
  }
  if (hasCjk) {
    for (const term of vocabulary.cjk) {
      const at = text.indexOf(term.needle);
      if (at >= 0)
        found.push({ concept: term.concept, text: term.needle, start: at, end: at + term.needle.length });
    }
  }
  const kept = resolveOverlaps(found);
  const suppressed = new Set<string>();
  for (const match of kept) for (const id of match.concept.suppresses) suppressed.add(id);
  const live = kept.filter(
    (match) =>
      !suppressed.has(match.concept.id) &&
      !(match.concept.category && suppressed.has(match.concept.category)),
  );
  const matches = live.filter((match) => match.start < markerAt);
  const application = live.filter((match) => match.start >= markerAt);
  return { matches, application, mixed, head: Number.isFinite(markerAt) ? text.slice(0, markerAt) : text };
}

/**
 * Index of the last token of the term when it matches at `at`, else -1. Russian word order is
 * free ("подшипник шариковый" = "шариковый подшипник"), so a Cyrillic term of several words also
 * matches in any order within a window one token wider than the term.
 */
function matchTerm(term: TokenTerm, tokens: Token[], at: number): number {
  const n = term.words.length;
  let ordered = true;
  for (let w = 0; w < n; w++) {
    const token = tokens[at + w];
    if (!token || !wordMatches(term.words[w]!, token)) {
      ordered = false;
      break;
    }
  }
  if (ordered) return at + n - 1;
  if (n < 2 || !term.words.some((word) => word.cyrillic)) return -1;
  const used = new Set<number>();
  let last = -1;
  for (const word of term.words) {
    let found = -1;
    for (let t = at; t <= at + n && t < tokens.length; t++) {
      if (!used.has(t) && wordMatches(word, tokens[t]!)) {
        found = t;
        break;
      }
    }
    if (found < 0) return -1;
    used.add(found);
    last = Math.max(last, found);
  }
  return used.has(at) ? last : -1;
}

function wordMatches(word: TokenTerm["words"][number], token: Token): boolean {
  if (word.prefix) return token.raw.startsWith(word.stem);
  return token.stem === word.stem || (word.cyrillic && closeStems(token.stem, word.stem));
}

/**
 * Russian case endings the stemmer misses (genitive plural "микросхем" vs "микросхема") leave
 * stems that differ by a letter or two at the end; accept that for stems of five letters or more.
 */
function closeStems(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.length - short.length <= 2 && long.startsWith(short);
}

function resolveOverlaps(matches: ConceptMatch[]): ConceptMatch[] {
  const sorted = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: ConceptMatch[] = [];
  for (const match of sorted) {
    if (kept.some((other) => match.start < other.end && other.start < match.end)) continue;
    kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start);
}
