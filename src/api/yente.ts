import { z } from "zod";
import type { MatchResult, PartyQuery } from "../matching/index.js";
import type { EntitySchema, ListEntity } from "../model/index.js";
import { entityToFtm, type FtmEntity, IDENTIFIER_FROM_PROPERTY } from "../sources/ftm-jsonl.js";
import type { ApiIssue } from "./errors.js";

/*
 * OpenSanctions yente's matching API (`POST /match/{dataset}`), so clients written for yente work
 * unchanged. The shapes follow yente's pydantic models (yente/data/common.py): EntityMatchQuery in,
 * EntityMatchResponse out. Worked example:
 *
 * request  {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Saddam Hussein"],
 *           "birthDate": ["1937-04-28"], "nationality": ["iq"]}}}}
 * response {"responses": {"q1": {"status": 200, "total": {"value": 1, "relation": "eq"},
 *           "query": {"id": null, "schema": "Person", "properties": {...}},
 *           "results": [{"id": "ofac-sdn:7843", "caption": "HUSSEIN AL-TIKRITI, Saddam", "schema": "Person",
 *             "properties": {"name": [...], ...}, "datasets": ["ofac-sdn"], "referents": [], "target": true,
 *             "score": 1, "match": true, "features": {"name_similarity": 1, "birth_date": 0.08},
 *             "explanations": {"name_similarity": {"score": 1, "detail": "..."}, ...}, "token": null, ...}]}},
 *  "limit": 5}
 */

/** yente accepts a single string or a list for each property; values that are not strings are read as text. */
const propertyValues = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);

/**
 * One query entity (yente's EntityExample).
 *
 * @example
 * { schema: "Company", properties: { name: ["Brilliant Amazing Limited"], jurisdiction: ["hk"] } }
 */
export const yenteEntityExampleSchema = z
  .looseObject({
    id: z.string().nullish(),
    schema: z.string().min(1),
    properties: z.record(z.string(), propertyValues),
  })
  .meta({ id: "YenteEntityExample" });
export type YenteEntityExample = z.infer<typeof yenteEntityExampleSchema>;

/** Most queries in one request, like yente's MAX_BATCH guard (ours is the batch size of /screen/parties). */
export const MAX_YENTE_QUERIES = 1000;

/**
 * yente's EntityMatchQuery. `weights` and `config` tune yente's own algorithms; they are accepted
 * so requests validate, and ignored, since Chokepoint has one calibrated scorer.
 *
 * @example
 * { queries: { q1: { schema: "Person", properties: { name: ["John Doe"] } } } }
 */
export const yenteMatchQuerySchema = z
  .looseObject({
    weights: z.record(z.string(), z.number()).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    queries: z
      .record(z.string(), yenteEntityExampleSchema)
      .refine((queries) => Object.keys(queries).length > 0, "no queries provided")
      .refine(
        (queries) => Object.keys(queries).length <= MAX_YENTE_QUERIES,
        `too many queries in one batch (limit: ${MAX_YENTE_QUERIES})`,
      ),
  })
  .meta({ id: "YenteMatchQuery" });
export type YenteMatchQuery = z.infer<typeof yenteMatchQuerySchema>;

const stringList = () => z.union([z.string(), z.array(z.string())]).optional();

/**
 * yente's query parameters of `/match`. `algorithm`, `topics` and `changed_since` are accepted and
 * ignored (one scorer; every listed party is a sanctions target; no per-entity change dates).
 * `cutoff` can only raise the screener's own lower bound (0.6): weaker candidates are never scored.
 */
export const yenteMatchParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(5),
  threshold: z.coerce.number().min(0).max(1).optional(),
  cutoff: z.coerce.number().min(0).max(1).optional(),
  algorithm: z.string().optional(),
  include_dataset: stringList(),
  exclude_dataset: stringList(),
  exclude_schema: stringList(),
  topics: stringList(),
  changed_since: z.string().optional(),
});
export type YenteMatchParams = z.infer<typeof yenteMatchParamsSchema>;

const ftmResultSchema = z.object({ score: z.number(), detail: z.string().nullable() });

/** One scored result (yente's ScoredEntityResponse). */
export const yenteScoredEntitySchema = z
  .object({
    id: z.string(),
    caption: z.string(),
    schema: z.string(),
    properties: z.record(z.string(), z.array(z.string())),
    datasets: z.array(z.string()),
    referents: z.array(z.string()),
    target: z.boolean(),
    first_seen: z.string().nullable(),
    last_seen: z.string().nullable(),
    last_change: z.string().nullable(),
    score: z.number(),
    match: z.boolean(),
    features: z.record(z.string(), z.number()),
    explanations: z.record(z.string(), ftmResultSchema),
    token: z.string().nullable(),
  })
  .meta({ id: "YenteScoredEntity" });
export type YenteScoredEntity = z.infer<typeof yenteScoredEntitySchema>;

/** Answers to one query (yente's EntityMatches). */
export const yenteEntityMatchesSchema = z
  .object({
    status: z.number().int(),
    results: z.array(yenteScoredEntitySchema),
    total: z.object({ value: z.number().int(), relation: z.enum(["eq", "gte"]) }),
    query: z.object({
      id: z.string().nullable(),
      schema: z.string(),
      properties: z.record(z.string(), z.array(z.string())),
    }),
  })
  .meta({ id: "YenteEntityMatches" });
export type YenteEntityMatches = z.infer<typeof yenteEntityMatchesSchema>;

/** The whole answer (yente's EntityMatchResponse). */
export const yenteMatchResponseSchema = z
  .object({
    responses: z.record(z.string(), yenteEntityMatchesSchema),
    limit: z.number().int(),
  })
  .meta({ id: "YenteMatchResponse" });
export type YenteMatchResponse = z.infer<typeof yenteMatchResponseSchema>;

/**
 * FtM schemas a query may name, and ours they become. `Thing` and `LegalEntity` ask for any party;
 * FtM calls an aircraft `Airplane`. Non-party schemas (Address, Sanction...) cannot be screened.
 */
const SCHEMA_FROM_FTM: Record<string, EntitySchema | undefined> = {
  Thing: undefined,
  LegalEntity: "LegalEntity",
  Person: "Person",
  Organization: "Organization",
  PublicBody: "Organization",
  Company: "Company",
  Vessel: "Vessel",
  Airplane: "Aircraft",
  Aircraft: "Aircraft",
};

/** Country properties in the order they are trusted for the one country a query carries. */
const COUNTRY_PROPERTIES = ["nationality", "citizenship", "jurisdiction", "country", "mainCountry", "flag"];

function values(example: YenteEntityExample, property: string): string[] {
  const raw = example.properties[property];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => String(value).trim()).filter((value) => value.length > 0);
}

/**
 * The property values of a query in FtM's list form, as yente echoes it in `query`.
 *
 * @example
 * echoQuery("q1", { schema: "Person", properties: { name: "X" } }) // { id: null, schema: "Person", properties: { name: ["X"] } }
 */
export function echoQuery(example: YenteEntityExample): YenteEntityMatches["query"] {
  const properties: Record<string, string[]> = {};
  for (const key of Object.keys(example.properties)) {
    const list = values(example, key);
    if (list.length) properties[key] = list;
  }
  return { id: example.id ?? null, schema: example.schema, properties };
}

/**
 * Turns one yente query entity into the party query the screener reads, or issues naming what is
 * wrong (path under `body.queries.<key>`). Several names become one "A ; B" query: the screener
 * reads them as names of one party and keeps the best.
 *
 * @example
 * partyFromExample("q1", { schema: "Person", properties: { name: ["John Doe"], birthDate: ["1975-04-21"] } })
 * // { query: { name: "John Doe", schema: "Person", dob: "1975-04-21" } }
 */
export function partyFromExample(
  key: string,
  example: YenteEntityExample,
): { query: PartyQuery } | { issues: ApiIssue[] } {
  const path = `body.queries.${key}`;
  if (!Object.hasOwn(SCHEMA_FROM_FTM, example.schema)) {
    const known = Object.keys(SCHEMA_FROM_FTM).join(", ");
    return {
      issues: [
        {
          path: `${path}.schema`,
          code: "unknown_schema",
          message: `unknown or unsupported schema '${example.schema}'; expected one of ${known}`,
        },
      ],
    };
  }
  const schema = SCHEMA_FROM_FTM[example.schema];
  let names = [...values(example, "name"), ...values(example, "alias")];
  if (names.length === 0) {
    const parts = ["firstName", "secondName", "middleName", "fatherName", "lastName"].flatMap((property) =>
      values(example, property).slice(0, 1),
    );
    if (parts.length) names = [parts.join(" ")];
  }
  names = names.map((name) => name.replace(/;/g, " ").slice(0, 1000)).filter((name) => name.trim());
  if (names.length === 0) {
    return {
      issues: [
        {
          path: `${path}.properties.name`,
          code: "missing_name",
          message: "a query needs a name (or firstName/lastName)",
        },
      ],
    };
  }
  const query: PartyQuery = { name: [...new Set(names)].slice(0, 20).join(" ; ") };
  if (schema) query.schema = schema;
  const dob = values(example, "birthDate")[0];
  if (dob) query.dob = dob;
  for (const property of COUNTRY_PROPERTIES) {
    const country = values(example, property)[0];
    if (country) {
      query.country = country;
      break;
    }
  }
  const identifiers = Object.entries(IDENTIFIER_FROM_PROPERTY).flatMap(([property, type]) =>
    values(example, property).map((value) => ({ type, value })),
  );
  if (identifiers.length) query.identifiers = identifiers.slice(0, 20);
  return { query };
}

/** Explanation keys in yente's snake_case feature style. */
function featureKey(kind: string): string {
  return kind.replace(/-/g, "_");
}

type FtmParts = Pick<FtmEntity, "id" | "schema" | "caption" | "properties" | "datasets">;
const ftmCache = new WeakMap<ListEntity, FtmParts>();

/** entityToFtm without our lossless extension (yente clients read FtM properties only), cached per entity. */
function ftmOf(entity: ListEntity): FtmParts {
  let ftm = ftmCache.get(entity);
  if (!ftm) {
    const full = entityToFtm(entity);
    ftm = {
      id: full.id,
      schema: full.schema,
      caption: full.caption ?? entity.name,
      properties: full.properties,
      datasets: full.datasets,
    };
    ftmCache.set(entity, ftm);
  }
  return ftm;
}

/**
 * One screening hit in yente's ScoredEntityResponse shape: the entity's FtM form plus score,
 * match, and the explanation as yente-style features (`name_similarity` and one per piece of
 * evidence, each with its effect on the score and a sentence saying why).
 *
 * @example
 * scoredEntity(result, entity).explanations.name_similarity // { score: 0.93, detail: "..." }
 */
export function scoredEntity(result: MatchResult, entity: ListEntity): YenteScoredEntity {
  const ftm = ftmOf(entity);
  const explanation = result.explanation;
  const explanations: Record<string, { score: number; detail: string | null }> = {
    name_similarity: { score: explanation.nameScore, detail: explanation.summary },
  };
  for (const evidence of explanation.evidence) {
    let key = featureKey(evidence.kind);
    for (let n = 2; Object.hasOwn(explanations, key); n++) key = `${featureKey(evidence.kind)}_${n}`;
    explanations[key] = { score: evidence.effect, detail: evidence.detail };
  }
  const features: Record<string, number> = {};
  for (const [key, value] of Object.entries(explanations)) features[key] = value.score;
  return {
    id: ftm.id,
    caption: ftm.caption ?? entity.name,
    schema: ftm.schema,
    properties: ftm.properties,
    datasets: ftm.datasets,
    referents: [],
    target: true,
    first_seen: null,
    last_seen: null,
    last_change: null,
    score: result.score,
    match: result.match,
    features,
    explanations,
    token: null,
  };
}

/**
 * Normalises a query parameter that may be given once or repeated.
 *
 * @example
 * asList("un") // ["un"]; asList(undefined) // []
 */
export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
