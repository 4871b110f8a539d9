import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { casesOf, currentListVersions, recordPartyScreenings } from "../../jobs/cases.js";
import {
  DEFAULT_LOWER_CUTOFF,
  DEFAULT_MATCH_THRESHOLD,
  listsRead,
  type ScreenOptions,
} from "../../matching/index.js";
import { customerSchema } from "../../model/case.js";
import { requireRole } from "../auth.js";
import type { ApiContext } from "../context.js";
import { ApiError, type ApiIssue, apiErrorSchema } from "../errors.js";
import { screenPartiesBodySchema, screenPartiesResponseSchema } from "../schemas.js";
import {
  asList,
  echoQuery,
  partyFromExample,
  scoredEntity,
  type YenteEntityMatches,
  type YenteMatchResponse,
  yenteMatchParamsSchema,
  yenteMatchQuerySchema,
  yenteMatchResponseSchema,
} from "../yente.js";
import { actorOf } from "./cases.js";

/**
 * `/screen/parties` with `record: true` (what the web UI sends): hits open or update cases like
 * `chokepoint screen` does, cleared pairs come back with `suppressed: true`, and each party with an
 * id is stored as a customer so monitoring re-screens it on list updates. Without it the endpoint
 * stays a pure lookup (no writes), as integrations that only ask "is this name listed?" expect.
 */
const recordingBodySchema = screenPartiesBodySchema
  .extend({ record: z.boolean().optional() })
  .meta({ id: "ScreenPartiesRequest" });

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 429: apiErrorSchema };

/** Rejects list ids the screener does not know, naming the field (a typo must not mean "no hits"). */
function checkLists(lists: readonly string[], known: readonly string[], path: string): void {
  const issues: ApiIssue[] = [];
  lists.forEach((id, index) => {
    if (!known.includes(id)) {
      issues.push({
        path: `${path}.${index}`,
        code: "unknown_list",
        message: `unknown list '${id}'; known: ${known.join(", ")}`,
      });
    }
  });
  if (issues.length) throw new ApiError(400, "validation_failed", "unknown list", issues);
}

/**
 * Stores the screened parties that carry an id as customers. The first customers start monitoring
 * at the versions they were just screened on (as `chokepoint customers import` does), so the next
 * list update re-screens them against what changed only.
 */
async function rememberCustomers(
  context: ApiContext,
  parties: ReadonlyArray<{
    id?: string | undefined;
    name: string;
    schema?: string | undefined;
    country?: string | undefined;
    dob?: string | undefined;
  }>,
  listVersions: Record<string, number>,
): Promise<void> {
  const customers = parties.flatMap((party) => {
    if (party.id === undefined) return [];
    const parsed = customerSchema.safeParse({
      id: party.id,
      name: party.name,
      ...(party.schema ? { schema: party.schema } : {}),
      ...(party.country ? { country: party.country } : {}),
      ...(party.dob ? { dob: party.dob } : {}),
    });
    return parsed.success ? [parsed.data] : [];
  });
  if (customers.length === 0) return;
  const cases = casesOf(context.store);
  const at = new Date().toISOString();
  await cases.upsertCustomers(customers, at);
  const state = await cases.monitorState();
  for (const [listId, version] of Object.entries(listVersions))
    if (!state.has(listId)) await cases.setMonitorState(listId, version, at);
}

/**
 * Party screening: `POST /screen/parties` (our batch shape, the CLI's jsonl results) and
 * `POST /match/{dataset}` (OpenSanctions yente's shape).
 *
 * @example
 * await app.register(partyRoutes, { context });
 */
export const partyRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/screen/parties",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["screening"],
        summary: "Screen up to 1,000 parties against the lists",
        description: `One result per party, in request order, each with its matches best first: the same shape as \`chokepoint screen --format jsonl\`. \`match\` is the decision at \`threshold\` (default: the calibrated ${DEFAULT_MATCH_THRESHOLD}).`,
        security: [{ apiKey: [] }],
        body: recordingBodySchema,
        response: { 200: screenPartiesResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { screener } = context.screening.current;
      const body = request.body;
      if (body.lists?.length) checkLists(body.lists, screener.listIds, "body.lists");
      const options: ScreenOptions = {
        ...(body.lists?.length ? { lists: body.lists } : {}),
        ...(body.threshold === undefined ? {} : { threshold: body.threshold }),
        ...(body.limit === undefined ? {} : { limit: body.limit }),
        ...(body.viaOtherLists === undefined ? {} : { viaOtherLists: body.viaOtherLists }),
      };
      const results = body.parties.map((party, index) => {
        const { id, ...query } = party;
        return { id: id ?? String(index + 1), matches: screener.screen(query, options) };
      });
      if (body.record) {
        const threshold = body.threshold ?? screener.threshold;
        const listVersions = await currentListVersions(context.store, listsRead(options));
        const outcomes = await recordPartyScreenings(
          context.store,
          results.map((result, index) => {
            const { id: _id, ...query } = body.parties[index]!;
            return { subjectId: result.id, subjectName: query.name, query, matches: result.matches };
          }),
          { listVersions, threshold },
          { actor: actorOf(request) },
        );
        // Monitoring starts from the lists the customers were screened against: a list left out is
        // screened in full by the next monitoring run, not only for its later changes.
        await rememberCustomers(
          context,
          body.parties,
          await currentListVersions(context.store, options.lists),
        );
        const recorded = results.map((result, index) => {
          const outcome = outcomes[index]!;
          const byEntity = new Map(outcome.hits.map((hit) => [hit.entityId, hit]));
          return {
            id: result.id,
            outcome: outcome.outcome,
            matches: result.matches.map((match) => {
              const hit = byEntity.get(match.entityId);
              if (!hit) return match;
              return {
                ...match,
                caseId: hit.caseId,
                caseOutcome: hit.outcome,
                ...(hit.outcome === "suppressed" ? { suppressed: true } : {}),
              };
            }),
          };
        });
        return { results: recorded, threshold, lists: options.lists ?? [...screener.listIds] };
      }
      return {
        results,
        threshold: body.threshold ?? screener.threshold,
        lists: options.lists ?? [...screener.listIds],
      };
    },
  );

  api.post(
    "/match/:dataset",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["screening"],
        summary: "Match entities, OpenSanctions yente compatible",
        description: `Accepts yente's EntityMatchQuery (\`{queries: {key: {schema, properties}}}\`) and answers with its EntityMatchResponse, so yente clients work unchanged. \`dataset\` is a list id or \`default\` (every list). Against some lists, parties are also found through their records on the other lists (\`explanations.linked_record\`), except the lists named in \`exclude_dataset\`: an excluded list is not used at all, not even to link through. Properties read: name, alias, firstName/lastName, birthDate, nationality, citizenship, jurisdiction, country, idNumber, passportNumber, registrationNumber, taxNumber, innCode, ogrnCode, imoNumber, leiCode, swiftBic. \`threshold\` defaults to Chokepoint's calibrated ${DEFAULT_MATCH_THRESHOLD}; \`cutoff\` can only raise the lower bound of ${DEFAULT_LOWER_CUTOFF}; \`algorithm\`, \`topics\`, \`changed_since\`, \`weights\` and \`config\` are accepted and ignored.`,
        security: [{ apiKey: [] }],
        params: z.object({ dataset: z.string().min(1) }),
        querystring: yenteMatchParamsSchema,
        body: yenteMatchQuerySchema,
        response: { 200: yenteMatchResponseSchema, 404: apiErrorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { screener, entities } = context.screening.current;
      const { dataset } = request.params;
      const params = request.query;
      if (dataset !== "default" && !screener.listIds.includes(dataset)) {
        throw new ApiError(404, "not_found", `unknown dataset '${dataset}'; use a list id or 'default'`);
      }
      let lists = dataset === "default" ? [...screener.listIds] : [dataset];
      const include = asList(params.include_dataset);
      const exclude = new Set(asList(params.exclude_dataset));
      if (include.length) lists = lists.filter((id) => include.includes(id));
      lists = lists.filter((id) => !exclude.has(id));
      const excludeSchemas = new Set(asList(params.exclude_schema));
      const threshold = params.threshold ?? screener.threshold;
      const cutoff = params.cutoff ?? 0;

      const parsed = Object.entries(request.body.queries).map(([key, example]) => ({
        key,
        example,
        result: partyFromExample(key, example),
      }));
      const issues = parsed.flatMap(({ result }) => ("issues" in result ? result.issues : []));
      if (issues.length) throw new ApiError(400, "validation_failed", "invalid query", issues);

      const responses: Record<string, YenteEntityMatches> = {};
      for (const { key, example, result } of parsed) {
        if (!("query" in result)) continue;
        // An empty list selection screens nothing (an "all lists" screen would be the wrong answer).
        const hits = lists.length
          ? screener.screen(result.query, {
              lists,
              threshold,
              limit: params.limit,
              // An excluded dataset is not used at all, not even to link through its records; the
              // others still are.
              ...(exclude.size > 0 ? { linkThrough: screener.listIds.filter((id) => !exclude.has(id)) } : {}),
            })
          : [];
        const results = [];
        for (const hit of hits) {
          if (hit.score < cutoff) continue;
          const entity = entities.get(hit.entityId);
          if (!entity) continue;
          const scored = scoredEntity(hit, entity);
          if (excludeSchemas.has(scored.schema)) continue;
          results.push(scored);
        }
        responses[key] = {
          status: 200,
          results,
          total: { value: results.length, relation: hits.length >= params.limit ? "gte" : "eq" },
          query: echoQuery(example),
        };
      }
      reply.header("x-batch-size", String(parsed.length));
      const body: YenteMatchResponse = { responses, limit: params.limit };
      return body;
    },
  );
};
