import type { DateValue, EntitySchema, ListEntity } from "../model/index.js";
import { compareDates, countryCode, parseDateText } from "../model/index.js";
import type { PartyQuery } from "./query.js";

/** What can move a score besides the name itself. */
export const EVIDENCE_KINDS = [
  "name-kind",
  "legal-form",
  "birth-date",
  "country",
  "identifier",
  "schema",
  "linked-record",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * One piece of evidence and what it did to the score (positive adds, negative takes away, zero is
 * noted for the analyst but did not move the score).
 *
 * @example
 * { kind: "birth-date", effect: 0.08, detail: "date of birth 1937-04-28 equals listed 28 Apr 1937" }
 */
export interface Evidence {
  readonly kind: EvidenceKind;
  readonly effect: number;
  readonly detail: string;
}

/**
 * Effect sizes. Name similarity decides whether two records can be the same party; these only
 * confirm or cast doubt, so each is a few hundredths — except an equal document number, which is
 * near-certain on its own (the score is lifted to IDENTIFIER_MATCH_SCORE).
 */
export const EVIDENCE_WEIGHTS = {
  dobExact: 0.08,
  dobSame: 0.04,
  dobSameYear: 0.02,
  dobNearMiss: -0.05,
  dobDifferent: -0.12,
  countrySame: 0.03,
  countryDifferent: -0.05,
  identifierDifferent: -0.15,
  legalFormSame: 0.02,
  legalFormDifferent: -0.03,
  weakAlias: -0.06,
  formerName: -0.02,
} as const;

/** Score an equal passport, IMO or INN brings a name-compatible record up to. */
export const IDENTIFIER_MATCH_SCORE = 0.97;

/** Which list schemas a query schema may match. A person never matches a vessel. */
const COMPATIBLE: Record<EntitySchema, readonly EntitySchema[]> = {
  Person: ["Person", "LegalEntity"],
  Organization: ["Organization", "Company", "LegalEntity"],
  Company: ["Organization", "Company", "LegalEntity"],
  LegalEntity: ["Person", "Organization", "Company", "LegalEntity"],
  Vessel: ["Vessel"],
  Aircraft: ["Aircraft"],
};

/**
 * True when a query of schema `query` may be the listed record of schema `listed`.
 *
 * @example
 * schemasCompatible("Person", "Vessel")      // false
 * schemasCompatible("Company", "LegalEntity") // true
 */
export function schemasCompatible(query: EntitySchema | undefined, listed: EntitySchema): boolean {
  return query === undefined || COMPATIBLE[query].includes(listed);
}

/** Identifier values compared without spaces, dashes or case: "AB 123-456" = "ab123456". */
export function normalizeIdentifier(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** The facts of a listed entity that evidence compares, extracted once at index build. */
export interface EntityFacts {
  readonly birthDates: readonly DateValue[];
  readonly countries: ReadonlySet<string>;
  readonly identifiers: readonly { readonly type: string; readonly value: string; readonly shown: string }[];
}

/**
 * Extracts the comparable facts of an entity.
 *
 * @example
 * entityFacts(entity).countries // Set { "IQ" }
 */
export function entityFacts(entity: ListEntity): EntityFacts {
  const countries = new Set<string>();
  for (const list of [entity.nationalities, entity.citizenships, entity.countries]) {
    for (const c of list ?? []) if (c.code) countries.add(c.code);
  }
  for (const a of entity.addresses ?? []) if (a.country?.code) countries.add(a.country.code);
  // Pushed into a literal, not filtered: V8 then gives empty and filled lists one array map, and the
  // screening code that reads them is not recompiled for a second (see `packedMap`, screener.ts).
  const identifiers: { type: string; value: string; shown: string }[] = [];
  for (const id of entity.identifiers ?? []) {
    const value = normalizeIdentifier(id.value);
    if (value.length >= 4 && !NOT_DOCUMENTS.has(id.type))
      identifiers.push({ type: id.type, value, shown: id.value });
  }
  return { birthDates: entity.birthDates ?? [], countries, identifiers };
}

// Contact details are shared by unrelated parties (a registered agent's phone) and say little.
const NOT_DOCUMENTS = new Set(["email", "website", "phone", "other"]);

/** The query's facts, parsed once per query. */
export interface QueryFacts {
  readonly schema: EntitySchema | undefined;
  readonly birthDate: DateValue | undefined;
  readonly country: string | undefined;
  readonly identifiers: readonly { readonly type: string | undefined; readonly value: string }[];
}

/**
 * Parses the secondary fields of a query. Unreadable dates or countries are ignored (no evidence),
 * never guessed.
 *
 * @example
 * queryFacts({ name: "x", dob: "1970", country: "Iraq" }) // { birthDate: { kind: "year", ... }, country: "IQ", ... }
 */
export function queryFacts(query: PartyQuery): QueryFacts {
  // Pushed into a literal for one array map, as in `entityFacts`.
  const identifiers: { type: string | undefined; value: string }[] = [];
  for (const id of query.identifiers ?? []) {
    const value = normalizeIdentifier(id.value);
    if (value.length >= 4) identifiers.push({ type: id.type, value });
  }
  return {
    schema: query.schema,
    birthDate: query.dob ? parseDateText(query.dob) : undefined,
    country: query.country ? countryCode(query.country) : undefined,
    identifiers,
  };
}

/**
 * Evidence from date of birth, country and identifiers. `identifierMatch` is set when a document
 * number agrees, so the caller can lift the score.
 *
 * @example
 * compareFacts(queryFacts({ name: "x", dob: "1937-04-28" }), facts).evidence
 * // [{ kind: "birth-date", effect: 0.08, detail: "..." }]
 */
export function compareFacts(
  query: QueryFacts,
  facts: EntityFacts,
  listedSchema: EntitySchema,
): { evidence: Evidence[]; identifierMatch: boolean } {
  const evidence: Evidence[] = [];
  let identifierMatch = false;
  if (query.birthDate && facts.birthDates.length > 0)
    evidence.push(dateEvidence(query.birthDate, facts.birthDates));
  if (query.country && facts.countries.size > 0) {
    const same = facts.countries.has(query.country);
    evidence.push({
      kind: "country",
      effect: same ? EVIDENCE_WEIGHTS.countrySame : EVIDENCE_WEIGHTS.countryDifferent,
      detail: same
        ? `country ${query.country} is among the listed countries`
        : `country ${query.country} is not among the listed countries (${[...facts.countries].join(", ")})`,
    });
  }
  if (query.identifiers.length > 0 && facts.identifiers.length > 0) {
    let differentType: string | undefined;
    for (const q of query.identifiers) {
      const equal = facts.identifiers.find(
        (f) => f.value === q.value && (q.type === undefined || q.type === f.type),
      );
      if (equal) {
        identifierMatch = true;
        evidence.push({
          kind: "identifier",
          effect: 0,
          detail: `${equal.type} ${equal.shown} is the listed one`,
        });
        break;
      }
      if (q.type && facts.identifiers.some((f) => f.type === q.type)) differentType = q.type;
    }
    if (!identifierMatch && differentType) {
      evidence.push({
        kind: "identifier",
        effect: EVIDENCE_WEIGHTS.identifierDifferent,
        detail: `${differentType} differs from every listed ${differentType}`,
      });
    }
  }
  if (query.schema && query.schema !== listedSchema) {
    evidence.push({
      kind: "schema",
      effect: 0,
      detail: `${query.schema} query, listed as ${listedSchema} (compatible)`,
    });
  }
  return { evidence, identifierMatch };
}

function dateEvidence(query: DateValue, listed: readonly DateValue[]): Evidence {
  let best: "same" | "same-year" | "different" = "different";
  let bestDate = listed[0]!;
  let gap = Number.POSITIVE_INFINITY;
  for (const d of listed) {
    const outcome = compareDates(query, d);
    const rank = outcome === "same" ? 2 : outcome === "same-year" ? 1 : 0;
    const bestRank = best === "same" ? 2 : best === "same-year" ? 1 : 0;
    if (rank > bestRank) {
      best = outcome;
      bestDate = d;
    }
    const years = Math.min(
      Math.abs(Number(query.from.slice(0, 4)) - Number(d.to.slice(0, 4))),
      Math.abs(Number(d.from.slice(0, 4)) - Number(query.to.slice(0, 4))),
    );
    if (years < gap) gap = years;
  }
  if (best === "same") {
    const exact = query.kind === "exact" && bestDate.kind === "exact";
    return {
      kind: "birth-date",
      effect: exact ? EVIDENCE_WEIGHTS.dobExact : EVIDENCE_WEIGHTS.dobSame,
      detail: `date of birth ${query.text} ${exact ? "equals" : "fits"} listed ${bestDate.text}`,
    };
  }
  if (best === "same-year") {
    return {
      kind: "birth-date",
      effect: EVIDENCE_WEIGHTS.dobSameYear,
      detail: `year of birth of ${query.text} agrees with listed ${bestDate.text}, the day does not`,
    };
  }
  const near = gap <= 1;
  return {
    kind: "birth-date",
    effect: near ? EVIDENCE_WEIGHTS.dobNearMiss : EVIDENCE_WEIGHTS.dobDifferent,
    detail: `date of birth ${query.text} differs from listed ${listed.map((d) => d.text).join(", ")}${near ? " by about a year" : ""}`,
  };
}
