import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { ItemControls } from "../items/index.js";
import { ensureDefaultLists } from "../jobs/import-lists.js";
import type { Store, StoreLocation } from "../store/index.js";
import { isPostgresStore } from "../store/jobs-repository.js";
import { createKeysRepository, type KeysRepository } from "../store/keys-repository.js";
import { authenticate } from "./auth.js";
import type { ApiContext } from "./context.js";
import { ApiError, errorBody, handleError } from "./errors.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from "./limits.js";
import { caseRoutes } from "./routes/cases.js";
import { healthRoutes } from "./routes/health.js";
import { itemRoutes } from "./routes/items.js";
import { jobsRoutes } from "./routes/jobs.js";
import { listRoutes } from "./routes/lists.js";
import { type OrderRules, orderRoutes } from "./routes/orders.js";
import { partyRoutes } from "./routes/parties.js";
import { buildScreeningIndex, ScreeningHolder, type ScreeningIndex } from "./screening.js";

export { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT };

/**
 * What the server is built from. Only `store` and `location` are required: the screening index is
 * built from the store (after importing the bundled lists into an empty one) unless given.
 *
 * @example
 * const app = await buildServer({ store, location: { home }, itemControls: await readItemControls() });
 * const response = await app.inject({ method: "GET", url: "/healthz" });
 */
export interface ServerDeps {
  store: Store;
  location: StoreLocation;
  /** A prebuilt screening index (tests share one); otherwise built from the store. */
  index?: ScreeningIndex;
  /** Match threshold of the server's screener; default DEFAULT_MATCH_THRESHOLD. */
  threshold?: number;
  itemControls?: ItemControls;
  /** Rule pack and decision policy for `/screen/orders` (with `itemControls`); absent → 503. */
  orderRules?: OrderRules;
  /** Defaults to the keys table of `store`. */
  keys?: KeysRepository;
  /** Folders `POST /lists/import` may read from; none = imports over HTTP are off. */
  importRoots?: string[];
  bodyLimit?: number;
  /** Requests per key (or per IP without a key) per minute. */
  rateLimit?: number;
  logger?: FastifyServerOptions["logger"];
  /** Folder of the built web UI (`npm run build` writes dist/web); default: the package's; absent = no UI. */
  webRoot?: string;
}

/**
 * The built web UI of this package: `dist/web` beside `dist/api` (and beside `src/api` when the
 * server runs from source in tests), so `chokepoint serve` needs no configuration to serve it.
 *
 * @example
 * defaultWebRoot() // "/opt/chokepoint/dist/web"
 */
export function defaultWebRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/web");
}

/**
 * Builds the HTTP API (not listening): routes, OpenAPI document at `/openapi.json`, docs UI at
 * `/docs` (assets served from the package, no CDN), API-key authentication, per-key rate limits,
 * body limits, and one error handler. Tests call `app.inject`; `chokepoint serve` calls `listen`.
 *
 * @example
 * const app = await buildServer({ store, location });
 * await app.listen({ host: "127.0.0.1", port: 8080 });
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { store } = deps;
  const buildIndex = () =>
    buildScreeningIndex(store, deps.threshold === undefined ? {} : { threshold: deps.threshold });
  let index = deps.index;
  // What importing the bundled lists did (first run, or lists an older parser read): logged below.
  let bundled: Awaited<ReturnType<typeof ensureDefaultLists>>;
  if (!index) {
    bundled = await ensureDefaultLists(store);
    index = await buildIndex();
  }
  const context: ApiContext = {
    store,
    location: deps.location,
    screening: new ScreeningHolder(index, buildIndex),
    itemControls: deps.itemControls,
    importRoots: deps.importRoots ?? [],
  };
  const keys = deps.keys ?? createKeysRepository(store);

  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Clients put their own correlation id here; it shows in the log lines of the request.
    requestIdHeader: "x-request-id",
  });
  if (bundled) {
    const lists = bundled.results.map((result) => ({
      list: result.listId,
      status: result.status,
      ...(result.status === "rejected" ? { error: result.error } : { version: result.version.version }),
    }));
    const level = bundled.results.some((result) => result.status === "rejected") ? "error" : "info";
    app.log[level]({ reason: bundled.reason, lists }, "bundled lists imported");
  }
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by our own code from typed values; validating them again on every
  // request would spend the latency budget of /match. The schemas still document them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only: a text/plain body would otherwise reach validation as a string. Other types → 415.
  app.removeContentTypeParser("text/plain");
  // Batch jobs need PostgreSQL: on SQLite a 413 must not send big batches to /jobs/screen.
  const errorAdvice = { jobs: isPostgresStore(store) };
  app.setErrorHandler((error, request, reply) => {
    if ((error as { statusCode?: number }).statusCode === 401) {
      reply.header("www-authenticate", 'Bearer realm="chokepoint"');
    }
    return handleError(error as FastifyError, request, reply, errorAdvice);
  });
  const webRoot = deps.webRoot ?? defaultWebRoot();
  const hasWebUi = existsSync(resolve(webRoot, "index.html"));
  app.setNotFoundHandler((request, reply) => {
    // A browser asking for a page that is no API route gets the UI (it routes itself with #/...).
    if (hasWebUi && request.method === "GET" && (request.headers.accept ?? "").includes("text/html")) {
      return reply.type("text/html; charset=utf-8").sendFile("index.html");
    }
    return reply
      .code(404)
      .send(errorBody("not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Chokepoint API",
        description:
          "Screens parties, items and orders against sanctions and export-control lists. Send an API key as `Authorization: Bearer KEY` (create one with `chokepoint keys create --role viewer|analyst|admin`). Roles: viewer reads and screens parties and items; analyst also screens orders and runs jobs; admin also imports lists.",
        version: "1",
      },
      components: {
        securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "API key" } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.addHook("onRequest", authenticate(keys));
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimit ?? DEFAULT_RATE_LIMIT,
    timeWindow: 60_000,
    // Keyed by API key (set by `authenticate`, which runs first); callers without a key by address.
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        "rate_limited",
        `rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });

  app
    .withTypeProvider<ZodTypeProvider>()
    .get("/openapi.json", { config: { rateLimit: false }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  await app.register(healthRoutes, { context });
  await app.register(partyRoutes, { context });
  await app.register(itemRoutes, { context });
  await app.register(listRoutes, { context });
  await app.register(orderRoutes, { context, rules: deps.orderRules });
  // Batch jobs (POST /jobs/screen, GET /jobs/{id}); the plugin's paths carry the /jobs prefix.
  await app.register(jobsRoutes, { store, location: deps.location });
  // The analyst's workspace: cases, customers, monitoring, list diffs, audit.
  await app.register(caseRoutes, { context });
  await registerWebUi(app, webRoot, hasWebUi);
  return app;
}

/**
 * Serves the built review UI at `/` (no key needed for the files; the UI asks for one and sends it
 * with every API call). The UI routes with `#/...`, so its pages never collide with API paths; an
 * unknown GET from a browser (Accept: text/html) still gets index.html rather than a JSON 404.
 * Everything is local: the UI works offline.
 */
async function registerWebUi(app: FastifyInstance, root: string, built: boolean): Promise<void> {
  if (!built) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .send(
          '<!doctype html><title>Chokepoint</title><p>The web UI is not built: run <code>npm run build</code>. The API is at <a href="/docs">/docs</a>.</p>',
        ),
    );
    return;
  }
  // decorateReply stays on (default) so the not-found handler can sendFile("index.html").
  await app.register(fastifyStatic, { root, prefix: "/", index: ["index.html"], maxAge: 0 });
}
