import { z } from "zod";
import { partyQuerySchema, screenOptionsSchema } from "../matching/index.js";
import { listVersionSchema } from "../model/index.js";

/*
 * Wire schemas of the HTTP API. They validate requests (400 naming the field on failure) and are
 * turned into the OpenAPI document; responses are documented by them but serialised without a
 * second validation (see server.ts).
 */

/** Most parties in one `/screen/parties` call; bigger batches go through `/jobs/screen`. */
export const MAX_PARTIES = 1000;
/** Most item lines in one `/screen/items` call. */
export const MAX_ITEMS = 1000;
/** Most orders in one `/screen/orders` call. */
export const MAX_ORDERS = 200;

/**
 * A party to screen: the matching layer's query plus the caller's own id, echoed in the answer.
 *
 * @example
 * { id: "C-001", name: "Saddam Hussein AL-TIKRITI", schema: "Person", dob: "1937-04-28", country: "IQ" }
 */
export const screenPartySchema = partyQuerySchema
  .extend({ id: z.union([z.string(), z.number()]).transform(String).optional() })
  .meta({ id: "ScreenParty" });

/**
 * Body of `POST /screen/parties`.
 *
 * @example
 * { parties: [{ id: "C-001", name: "Saddam Hussein" }], lists: ["ofac-sdn", "un"], threshold: 0.8, limit: 5 }
 */
export const screenPartiesBodySchema = screenOptionsSchema
  .extend({ parties: z.array(screenPartySchema).min(1).max(MAX_PARTIES) })
  .meta({ id: "ScreenPartiesRequest" });
export type ScreenPartiesBody = z.infer<typeof screenPartiesBodySchema>;

const tokenPairSchema = z.object({
  query: z.string(),
  list: z.string(),
  similarity: z.number(),
  kind: z.string(),
});

/** One hit, exactly as the CLI's jsonl writes it (see src/matching/screener.ts, MatchResult). */
export const matchResultSchema = z
  .object({
    entityId: z.string(),
    list: z.string(),
    name: z.string(),
    score: z.number(),
    match: z.boolean(),
    explanation: z.object({
      queryForm: z.string(),
      listName: z.string(),
      listNameKind: z.string(),
      listNameReading: z.string().optional(),
      tokens: z.array(tokenPairSchema).readonly(),
      unmatchedQuery: z.array(z.string()).readonly(),
      unmatchedList: z.array(z.string()).readonly(),
      nameScore: z.number(),
      evidence: z.array(z.object({ kind: z.string(), effect: z.number(), detail: z.string() })).readonly(),
      summary: z.string(),
      linkedThrough: z
        .object({
          entityId: z.string(),
          list: z.string(),
          name: z.string(),
          score: z.number(),
          alias: z.string(),
        })
        .optional()
        .describe("The record of a list outside the selection through which the hit was found"),
    }),
  })
  .meta({ id: "MatchResult" });

/** Answer of `POST /screen/parties`: one entry per party, in request order. */
export const screenPartiesResponseSchema = z
  .object({
    results: z.array(z.object({ id: z.string(), matches: z.array(matchResultSchema) })),
    threshold: z.number(),
    lists: z.array(z.string()),
  })
  .meta({ id: "ScreenPartiesResponse" });

/** Answer of `GET /lists`. `indexed` is false for a version stored after the screener was built. */
export const listsResponseSchema = z
  .object({
    lists: z.array(listVersionSchema.extend({ indexed: z.boolean() })),
    screener: z.object({ entities: z.number().int(), names: z.number().int(), threshold: z.number() }),
  })
  .meta({ id: "ListsResponse" });

/**
 * Body of `POST /lists/import`: paths on the server, each inside one of the import folders the
 * server was started with (`chokepoint serve --import-dir DIR`). Uploads are not accepted: list
 * files are large, multi-file (OFAC) and come from official downloads an operator places there.
 *
 * @example
 * { paths: ["incoming/2026-03-01/un", "incoming/2026-03-01/sdn"] }
 */
export const importBodySchema = z
  .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100) })
  .meta({ id: "ImportRequest" });

export const importResponseSchema = z
  .object({
    results: z.array(
      z.object({
        listId: z.string(),
        status: z.enum(["created", "unchanged", "rejected"]),
        files: z.array(z.string()),
        version: z.number().int().optional(),
        entityCount: z.number().int().optional(),
        warnings: z.number().int().optional(),
        error: z.string().optional(),
      }),
    ),
    skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
    screener: z.object({ rebuilt: z.boolean(), entities: z.number().int() }),
  })
  .meta({ id: "ImportResponse" });

export const entityParamsSchema = z.object({ id: z.string().min(1).max(512) });
export const entityQuerySchema = z.object({ version: z.coerce.number().int().min(1).optional() });

export const healthResponseSchema = z
  .object({
    status: z.literal("ok"),
    lists: z.number().int(),
    entities: z.number().int(),
  })
  .meta({ id: "Health" });
