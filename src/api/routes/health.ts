import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ApiContext } from "../context.js";
import { healthResponseSchema } from "../schemas.js";

/**
 * `GET /healthz`: public, not rate limited (load balancers poll it), and cheap: it reads the
 * in-memory index, not the database.
 *
 * @example
 * await app.register(healthRoutes, { context });
 */
export const healthRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/healthz",
    {
      config: { rateLimit: false },
      schema: {
        tags: ["service"],
        summary: "Liveness: the server is up and holds a screener",
        response: { 200: healthResponseSchema },
      },
    },
    async () => {
      const { screener, versions } = context.screening.current;
      return { status: "ok" as const, lists: versions.length, entities: screener.entityCount };
    },
  );
};
