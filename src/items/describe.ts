import type { Concept, TokenTerm, Vocabulary } from "./controls.js";
import { type MixedScriptWord, normalizeDescription, stemToken } from "./text.js";
import { APPLICATION_MARKERS, CATALOGUE_HEADS, GAP_BREAKERS, IC_PACKAGES } from "./vocabulary.js";

/** A concept found in a description, with the words that named it. */
export interface ConceptMatch {
  concept: Concept;
  /** The concept's codes narrowed by the rest of the description (a chip package keeps the 8542 reading). */
  hs: string[];
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
  /** Goods named as modifiers or features of the head noun ("module ... PCB antenna"), not as the goods. */
  features: ConceptMatch[];
  /** The head noun match that the features belong to (set when there are features). */
  headNoun?: ConceptMatch;
}

const MARKERS = new Set(APPLICATION_MARKERS);
const BREAKERS = new Set(GAP_BREAKERS);
const PACKAGES = new Set(IC_PACKAGES);
const LIST_WORDS = new Set(["and", "or", "и", "или", "plus"]);
const CATALOGUE = new Set(CATALOGUE_HEADS);
const TOKEN = /[a-z]+|\d+|[\u0400-\u04ff]+/g;
/** Modifiers a multi-word term may skip in all ("LTE Cat M1 module"). */
const MAX_GAP = 3;
/** Punctuation that ends a phrase: a term never spans it. */
const PHRASE_BREAK = /[,;:()[\]{}|]/;

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
  const gapped: { match: ConceptMatch; skipped: number[] }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const candidates = vocabulary.byKey.get(token.stem.slice(0, 3));
    if (!candidates) continue;
    for (const term of candidates) {
      const last = matchTerm(term, tokens, i);
      if (last >= 0) {
        found.push(matchOf(term.concept, text, token.start, tokens[last]!.end));
        continue;
      }
      const gap = matchWithGaps(term, tokens, i, text);
      if (gap) {
        gapped.push({
          match: matchOf(term.concept, text, token.start, tokens[gap.last]!.end),
          skipped: gap.skipped,
        });
      }
    }
  }
  // A term may skip modifiers, not other goods: a skipped word that is itself a term of another
  // category ("RF power amplifier module") keeps the term from matching across it.
  for (const { match, skipped } of gapped) {
    const blocked = skipped.some((index) =>
      found.some(
        (other) =>
          other.start <= tokens[index]!.start &&
          tokens[index]!.end <= other.end &&
          (other.concept.category === undefined || other.concept.category !== match.concept.category),
      ),
    );
    if (!blocked) found.push(match);
  }
  if (hasCjk) {
    // Chinese has no spaces between words, but ERP text mixes in Latin with spaces ("WiFi 模块").
    const { compact, at } = withoutSpaces(text);
    for (const term of vocabulary.cjk) {
      const index = compact.indexOf(term.needle.replace(/\s+/g, ""));
      if (index < 0) continue;
      const start = at[index]!;
      const end = at[index + term.needle.replace(/\s+/g, "").length - 1]! + 1;
      found.push(matchOf(term.concept, text, start, end));
    }
  }
  const kept = resolveOverlaps(found);
  const suppressed = new Set<string>();
  for (const match of kept) for (const id of match.concept.suppresses) suppressed.add(id);
  let live = kept.filter(
    (match) =>
      !suppressed.has(match.concept.id) &&
      !(match.concept.category && suppressed.has(match.concept.category)),
  );
  // A chip package or a generic IC word says the goods are an integrated circuit: words with an
  // IC reading among others ("accelerometer": chip 8542.39, or instrument 9031.80) take it.
  const chip = tokens.some((token) => PACKAGES.has(token.raw)) || live.some((match) => match.concept.generic);
  if (chip) {
    live = live.map((match) => {
      const ic = match.hs.filter((code) => code.startsWith("8542"));
      return ic.length > 0 && ic.length < match.hs.length ? { ...match, hs: ic } : match;
    });
  }
  // "IC MCU", "микросхема памяти", "芯片" next to "陀螺仪": the generic word gives way.
  live = live.filter(
    (match) =>
      !match.concept.generic ||
      !live.some((other) => !other.concept.generic && sameHeading(other.hs, match.hs)),
  );
  const before = live.filter((match) => match.start < markerAt);
  const application = live.filter((match) => match.start >= markerAt);
  const { matches, features, head } = headNounDecides(before, tokens, text);
  return {
    matches,
    application,
    mixed,
    head: Number.isFinite(markerAt) ? text.slice(0, markerAt) : text,
    features,
    ...(head ? { headNoun: head } : {}),
  };
}

function matchOf(concept: Concept, text: string, start: number, end: number): ConceptMatch {
  return { concept, hs: concept.hs, text: text.slice(start, end), start, end };
}

/**
 * The head noun decides what the goods are. English noun phrases put it last ("PCB antenna" is
 * an antenna, "LED driver IC" an IC) and ERP lines put specifications after the first phrase
 * ("Wi-Fi BT module 4MB flash PCB antenna"); distributor lines open with a catalogue word
 * ("CONN SMA JACK ... PCB", "IC LED DRIVER"). Goods named as modifiers of the head, or after
 * the first phrase, that read differently are its parts or features, not other goods. Lists
 * ("capacitors and resistors") name several goods and are left alone, and a controlled reading
 * never gives way to an uncontrolled head noun.
 */
function headNounDecides(
  matches: ConceptMatch[],
  tokens: Token[],
  text: string,
): { matches: ConceptMatch[]; features: ConceptMatch[]; head?: ConceptMatch } {
  if (matches.length < 2) return { matches, features: [] };
  if (tokens.some((token) => LIST_WORDS.has(token.raw)) || /[&和及与、]/.test(text)) {
    return { matches, features: [] };
  }
  const first = matches[0]!;
  let head: ConceptMatch;
  let end: number;
  if (first.start === tokens[0]?.start && CATALOGUE.has(tokens[0].raw)) {
    head = first;
    end = first.end;
  } else {
    // The first phrase ends at punctuation or at a value ("4MB", "25x52", "2.4GHz").
    end = text.length;
    for (const token of tokens) {
      if (token.start < first.end) continue;
      if (/\d/.test(token.raw) || PHRASE_BREAK.test(text.slice(first.end, token.start))) {
        end = token.start;
        break;
      }
    }
    const inPhrase = matches.filter((match) => match.start < end);
    head = inPhrase[inPhrase.length - 1]!;
    // The head closes its phrase; "connector SMA female PCB mount" ends in a word that is not a
    // good, so which noun heads it cannot be told, and every reading stays.
    if (tokens.some((token) => token.start >= head.end && token.start < end))
      return { matches, features: [] };
  }
  const features = matches.filter(
    (match) =>
      match !== head &&
      !sameHeading(match.hs, head.hs) &&
      (match.start >= end || match.end <= head.start) &&
      (!head.concept.uncontrolled || match.concept.uncontrolled),
  );
  if (features.length === 0) return { matches, features };
  return { matches: matches.filter((match) => !features.includes(match)), features, head };
}

function sameHeading(left: string[], right: string[]): boolean {
  for (const a of left) {
    for (const b of right) {
      const length = Math.min(4, a.length, b.length);
      if (a.slice(0, length) === b.slice(0, length)) return true;
    }
  }
  return false;
}

/** The text without whitespace, and for each of its characters the index in the text. */
function withoutSpaces(text: string): { compact: string; at: number[] } {
  let compact = "";
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    compact += text[i];
    at.push(i);
  }
  return { compact, at };
}

/**
 * A Latin multi-word term whose words appear in order with up to `MAX_GAP` modifiers between
 * them, in one phrase ("rf agile transceiver" for "rf transceiver"); null when it does not.
 */
function matchWithGaps(
  term: TokenTerm,
  tokens: Token[],
  at: number,
  text: string,
): { last: number; skipped: number[] } | null {
  const n = term.words.length;
  if (n < 2 || term.words.some((word) => word.cyrillic)) return null;
  if (!wordMatches(term.words[0]!, tokens[at]!)) return null;
  const skipped: number[] = [];
  let t = at;
  for (let w = 1; w < n; w++) {
    let next = t + 1;
    while (next < tokens.length) {
      const between = text.slice(tokens[next - 1]!.end, tokens[next]!.start);
      if (PHRASE_BREAK.test(between)) return null;
      if (wordMatches(term.words[w]!, tokens[next]!)) break;
      const token = tokens[next]!;
      if (BREAKERS.has(token.raw) || MARKERS.has(token.raw) || token.cyrillic) return null;
      skipped.push(next);
      if (skipped.length > MAX_GAP) return null;
      next++;
    }
    if (next >= tokens.length) return null;
    t = next;
  }
  return skipped.length > 0 ? { last: t, skipped } : null;
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
  // Longest first; at equal length, a match without skipped words was found first and stays.
  const sorted = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: ConceptMatch[] = [];
  for (const match of sorted) {
    if (kept.some((other) => match.start < other.end && other.start < match.end)) continue;
    kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start);
}
