import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { classifyItem, itemLineSchema, itemResultSchema } from "../../items/index.js";
import { requireRole } from "../auth.js";
import type { ApiContext } from "../context.js";
import { ApiError, apiErrorSchema } from "../errors.js";
import { MAX_ITEMS } from "../schemas.js";

/**
 * Body of `POST /screen/items`: item lines as an ERP export or an order carries them.
 *
 * @example
 * { items: [{ id: "1", hs_code: "8542.31", description: "MCU 32-bit", part_number: "STM32F405RGT6" }] }
 */
export const screenItemsBodySchema = z
  .object({ items: z.array(itemLineSchema).min(1).max(MAX_ITEMS) })
  .meta({ id: "ScreenItemsRequest" });

/**
 * Item classification against the CHPL and the UAV key items: `POST /screen/items`.
 *
 * @example
 * await app.register(itemRoutes, { context });
 */
export const itemRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/screen/items",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["screening"],
        summary: "Classify up to 1,000 item lines against the CHPL and the Iran-UAV key items",
        description:
          "One result per line, in request order: the same shape as `chokepoint items --format jsonl`.",
        security: [{ apiKey: [] }],
        body: screenItemsBodySchema,
        response: {
          200: z.object({ results: z.array(itemResultSchema) }).meta({ id: "ScreenItemsResponse" }),
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          503: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const controls = context.itemControls;
      if (!controls)
        throw new ApiError(503, "unavailable", "item control lists are not loaded on this server");
      return { results: request.body.items.map((line) => classifyItem(line, controls)) };
    },
  );
};
