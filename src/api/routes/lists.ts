import { basename } from "node:path";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { importLists } from "../../jobs/import-lists.js";
import { listEntitySchema } from "../../model/index.js";
import { requireRole } from "../auth.js";
import type { ApiContext } from "../context.js";
import { ApiError, apiErrorSchema } from "../errors.js";
import { resolveImportPaths } from "../import-paths.js";
import {
  entityParamsSchema,
  entityQuerySchema,
  importBodySchema,
  importResponseSchema,
  listsResponseSchema,
} from "../schemas.js";

const errors = { 401: apiErrorSchema, 403: apiErrorSchema, 429: apiErrorSchema };

/**
 * Lists and entities: `GET /lists`, `POST /lists/import` (admin), `GET /entities/{id}`.
 *
 * @example
 * await app.register(listRoutes, { context });
 */
export const listRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // One import at a time: two would race for the same list's next version number.
  let importing = false;

  api.get(
    "/lists",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["lists"],
        summary: "Current version of every list",
        security: [{ apiKey: [] }],
        response: { 200: listsResponseSchema, ...errors },
      },
    },
    async () => {
      const { screener, versions: indexed } = context.screening.current;
      const versions = await context.store.currentVersions();
      const isIndexed = (listId: string, version: number) =>
        indexed.some((v) => v.listId === listId && v.version === version);
      return {
        lists: versions.map((v) => ({ ...v, indexed: isIndexed(v.listId, v.version) })),
        screener: {
          entities: screener.entityCount,
          names: screener.nameCount,
          threshold: screener.threshold,
        },
      };
    },
  );

  api.post(
    "/lists/import",
    {
      onRequest: requireRole("admin"),
      schema: {
        tags: ["lists"],
        summary: "Import list files from the server's import folders (admin)",
        description:
          "Body: `{paths: [...]}` naming files or folders inside the folders the server was started with (`chokepoint serve --import-dir DIR`); relative paths are read from the first. Paths leaving those folders (`..`, absolute paths, symlinks) are refused. Formats are detected from content, each list is imported atomically, identical content is a no-op, and the screener is rebuilt when a list changed. Uploads are not accepted.",
        security: [{ apiKey: [] }],
        body: importBodySchema,
        response: { 200: importResponseSchema, 400: apiErrorSchema, 409: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      if (importing)
        throw new ApiError(409, "conflict", "an import is already running; try again when it ends");
      importing = true;
      try {
        const paths = await resolveImportPaths(request.body.paths, context.importRoots);
        const report = await importLists(context.store, paths);
        const changed = report.results.some((result) => result.status === "created");
        const index = changed ? await context.screening.rebuild() : context.screening.current;
        request.log.info({ results: report.results.map((r) => [r.listId, r.status]) }, "lists imported");
        return {
          results: report.results.map((result) =>
            result.status === "rejected"
              ? { listId: result.listId, status: result.status, files: result.files, error: result.error }
              : {
                  listId: result.listId,
                  status: result.status,
                  files: result.files,
                  version: result.version.version,
                  entityCount: result.version.entityCount,
                  warnings: result.warnings,
                },
          ),
          // Only file names: the server's folder layout is none of the client's business.
          skipped: report.skipped.map((skip) => ({ file: basename(skip.file), reason: skip.reason })),
          screener: { rebuilt: changed, entities: index.screener.entityCount },
        };
      } finally {
        importing = false;
      }
    },
  );

  api.get(
    "/entities/:id",
    {
      onRequest: requireRole("viewer"),
      schema: {
        tags: ["lists"],
        summary: "One listed entity, normalised, with the publisher's raw record",
        description:
          "`id` is `<list id>:<native id>`; `?version=N` reads it from an older version of its list.",
        security: [{ apiKey: [] }],
        params: entityParamsSchema,
        querystring: entityQuerySchema,
        response: {
          200: listEntitySchema.extend({ raw: z.unknown().optional() }),
          404: apiErrorSchema,
          ...errors,
        },
      },
    },
    async (request) => {
      const entity = await context.store.entity(request.params.id, request.query.version);
      if (!entity) {
        const where = request.query.version ? ` in version ${request.query.version}` : "";
        throw new ApiError(404, "not_found", `no entity ${request.params.id}${where}`);
      }
      return entity;
    },
  );
};
