import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { StoreError, type StoreErrorKind } from "../store/index.js";

/** Machine-readable error codes the API answers with (the `error` field of every error body). */
export const API_ERROR_CODES = [
  "bad_request",
  "invalid_json",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "unavailable",
  "internal",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * One problem with the request, naming where it is (`body.parties.3.name`).
 *
 * @example
 * { path: "body.parties.3.schema", code: "invalid_value", message: "Invalid option: expected one of ..." }
 */
export interface ApiIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * Every error answer. `detail` repeats `message` because yente clients read `detail`.
 *
 * @example
 * { error: "validation_failed", message: "body.parties.0.name: Too small ...", detail: "...", issues: [...] }
 */
export const apiErrorSchema = z
  .object({
    error: z.enum(API_ERROR_CODES),
    message: z.string(),
    detail: z.string(),
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "ApiError" });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/**
 * An error a route throws on purpose; the error handler turns it into its status and body.
 *
 * @example
 * throw new ApiError(404, "not_found", "no entity un:QDi.999");
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const STORE_STATUS: Record<StoreErrorKind, [number, ApiErrorCode]> = {
  "not-found": [404, "not_found"],
  conflict: [409, "conflict"],
  unavailable: [503, "unavailable"],
  invalid: [400, "bad_request"],
};

/**
 * Error body for a status and message.
 *
 * @example
 * errorBody("not_found", "no entity x") // { error: "not_found", message: "no entity x", detail: "no entity x" }
 */
export function errorBody(code: ApiErrorCode, message: string, issues?: ApiIssue[]): ApiErrorBody {
  return { error: code, message, detail: message, ...(issues?.length ? { issues } : {}) };
}

/**
 * Formats zod issues as API issues under a prefix ("body", "querystring", "params").
 *
 * @example
 * zodIssues(result.error.issues, "body") // [{ path: "body.parties.0.name", ... }]
 */
export function zodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string; message: string }>,
  prefix: string,
): ApiIssue[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    code: issue.code,
    message: issue.message,
  }));
}

/** The message of a validation failure: the first few issues, each with its path. */
function issuesMessage(issues: ApiIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  return `invalid request: ${shown.join("; ")}${more}`;
}

/** A body limit as people read it: "10 MB (10485760 bytes)", "1 KB (1024 bytes)". */
function sizeOf(bytes: number): string {
  const [unit, size] = bytes >= 1024 * 1024 ? ["MB", 1024 * 1024] : ["KB", 1024];
  return `${Math.round((bytes / size) * 10) / 10} ${unit} (${bytes} bytes)`;
}

/** "a", "a or b", "a, b or c". */
export function oneOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/**
 * The body a route takes: its size limit, content types (its OpenAPI `consumes`; JSON when
 * absent), whether it documents a body at all, and its URL pattern ("/screen/parties"), for the
 * advice on a body too large.
 */
interface RouteBody {
  readonly limit: number;
  readonly consumes: readonly string[];
  readonly takesBody: boolean;
  readonly url: string | undefined;
}

/** What the server offers that the advice on a body too large may point to. */
export interface ErrorAdvice {
  /** Whether `POST /jobs/screen` works here (it needs PostgreSQL; on SQLite it answers 503). */
  readonly jobs: boolean;
}

/** JSON routes whose batches `POST /jobs/screen` takes as a CSV or JSON-lines upload. */
const BATCHED_BY_JOBS = new Set(["/screen/parties", "/match/:dataset"]);

/**
 * What a client that sent a route too much should do instead: party screening points big batches
 * to the jobs route where it works; other screening asks for smaller batches; an upload route
 * (which declares `consumes`) asks for a smaller file; a route without a body says so.
 */
function tooLargeAdvice(route: RouteBody, advice: ErrorAdvice): string {
  if (!route.consumes.includes("application/json")) return "split the file into smaller ones";
  if (!route.takesBody) return "this route takes no body";
  const batchedByJobs = route.url !== undefined && BATCHED_BY_JOBS.has(route.url);
  if (batchedByJobs && advice.jobs) return "send big batches to /jobs/screen";
  if (batchedByJobs || route.url?.startsWith("/screen/")) return "split the batch into smaller requests";
  return "this route takes a small JSON object";
}

/**
 * Maps Fastify's own error codes (body parsing, content type, size) to ours. Everything that is a
 * client's fault keeps Fastify's 4xx status; the message is ours, so nothing internal leaks.
 */
function fastifyClientError(
  error: FastifyError,
  route: RouteBody,
  advice: ErrorAdvice,
): [number, ApiErrorCode, string] | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return [400, "invalid_json", `request body is not valid JSON: ${error.message}`];
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return [400, "invalid_json", "request body is empty but content-type is application/json"];
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return [
        413,
        "payload_too_large",
        `request body is larger than the limit of ${sizeOf(route.limit)}; ${tooLargeAdvice(route, advice)}`,
      ];
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return error.statusCode === 415
        ? [415, "unsupported_media_type", `${error.message}; send ${oneOf(route.consumes)}`]
        : [400, "bad_request", error.message];
    default:
      break;
  }
  // Fastify's JSON parser reports a syntax error as a 400 SyntaxError without a code.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return [400, "invalid_json", `request body is not valid JSON: ${error.message}`];
  }
  if (error.statusCode === 429) return [429, "rate_limited", error.message];
  if (error.statusCode === 415) return [415, "unsupported_media_type", error.message];
  if (error.statusCode === 413) return [413, "payload_too_large", error.message];
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return [error.statusCode, "bad_request", error.message];
  }
  return undefined;
}

/**
 * The one error handler: validation errors, our own ApiErrors, store errors and Fastify's client
 * errors become their 4xx/5xx with a JSON body; anything else is logged and answered with a bare
 * 500, so no stack trace or internal message reaches a client.
 *
 * `advice` says what the server offers, for the advice on a body too large.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => handleError(error, request, reply, { jobs: false }));
 */
export function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  advice: ErrorAdvice = { jobs: false },
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const prefix = error.validationContext ?? "body";
    const issues: ApiIssue[] = error.validation.map((item) => ({
      path: `${prefix}${item.instancePath.replace(/\//g, ".")}`.replace(/\.$/, ""),
      code: item.keyword,
      message: item.message ?? "invalid",
    }));
    return reply.code(400).send(errorBody("validation_failed", issuesMessage(issues), issues));
  }
  if (error instanceof ApiError) {
    const message = error.issues?.length ? issuesMessage(error.issues) : error.message;
    return reply.code(error.statusCode).send(errorBody(error.code, message, error.issues));
  }
  if (error instanceof StoreError) {
    const [status, code] = STORE_STATUS[error.kind];
    if (status >= 500) request.log.error({ err: error }, "store error");
    return reply.code(status).send(errorBody(code, error.message));
  }
  const schema = request.routeOptions.schema as { consumes?: readonly string[]; body?: unknown } | undefined;
  const consumes = schema?.consumes;
  const client = fastifyClientError(
    error,
    {
      limit: request.routeOptions.bodyLimit,
      consumes: consumes && consumes.length > 0 ? consumes : ["application/json"],
      takesBody: schema?.body !== undefined,
      url: request.routeOptions.url,
    },
    advice,
  );
  if (client) {
    const [status, code, message] = client;
    return reply.code(status).send(errorBody(code, message));
  }
  request.log.error({ err: error }, "unhandled error");
  return reply.code(500).send(errorBody("internal", "internal error; the server log has the details"));
}
