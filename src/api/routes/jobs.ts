import { Readable } from "node:stream";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  JOB_STATUSES,
  type JobScreenOptions,
  jobProgress,
  type UploadFormat,
} from "../../jobs/queue/job-model.js";
import { type JobQueue, openJobQueue, submitScreenJob } from "../../jobs/queue/queue.js";
import { parseUpload, UploadError } from "../../jobs/queue/upload.js";
import { listsRead } from "../../matching/index.js";
import { decodeText, NOT_UTF8_WARNING } from "../../sources/io.js";
import type { Store, StoreLocation } from "../../store/index.js";
import {
  createJobsRepository,
  isPostgresStore,
  JOBS_NEED_POSTGRES,
  type JobsRepository,
} from "../../store/jobs-repository.js";
import { requireRole } from "../auth.js";
import { ApiError, apiErrorSchema, oneOf } from "../errors.js";
import { actorOf } from "./cases.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the upload parsers: some lines of the body were not UTF-8 and were read as Windows-1252. */
    uploadNotUtf8?: boolean;
  }
}

/** 64 MB: a 200,000-row customer file with addresses fits with room to spare. */
export const DEFAULT_JOB_BODY_LIMIT = 64 * 1024 * 1024;

/** Result lines per `GET /jobs/{id}` page by default, and at most. */
const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;

/** Upload content types and the format each means. */
const CONTENT_TYPES: Record<string, UploadFormat> = {
  "text/csv": "csv",
  "application/csv": "csv",
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/x-jsonlines": "jsonl",
};
/** The upload content types, as the parser takes them and the OpenAPI document and 415s name them. */
const UPLOAD_TYPES = Object.keys(CONTENT_TYPES);

/**
 * Options of the jobs routes: the server's store and where it lives (jobs need PostgreSQL).
 * Tests may pass their own queue (and chunk size); otherwise one is opened on first use.
 *
 * @example
 * await app.register(jobsRoutes, { store, location });
 */
export interface JobsRoutesOptions {
  store: Store;
  location: StoreLocation;
  queue?: Pick<JobQueue, "enqueue" | "stop">;
  chunkSize?: number;
  bodyLimit?: number;
}

const jobIdParams = z.object({ id: z.string().min(1).max(100) });

const submitQuery = z.object({
  lists: z
    .string()
    .optional()
    .describe("comma-separated list ids (default: every list)")
    .transform((value) =>
      value
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  threshold: z.coerce.number().min(0).max(1).optional().describe("match threshold for this job"),
  limit: z.coerce.number().int().min(1).max(100).optional().describe("most candidates per row"),
  record: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .describe("true: hits open or update review cases and are audited, as `chokepoint screen` does"),
  links: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value !== "false")
    .describe(
      "false: with lists, find parties by name on those lists only, not also through their records on the other lists",
    ),
});

const progressSchema = z.object({
  chunks: z.object({ total: z.number(), done: z.number(), failed: z.number(), canceled: z.number() }),
  rows: z.object({ total: z.number(), done: z.number() }),
});

const jobSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(JOB_STATUSES),
    createdAt: z.string(),
    format: z.string(),
    options: z.object({
      record: z.object({ actor: z.string() }).optional().describe("set when hits open review cases"),
      lists: z.array(z.string()).optional(),
      threshold: z.number().optional(),
      limit: z.number().optional(),
      viaOtherLists: z.boolean().optional().describe("false when links through other lists are off"),
      listVersions: z
        .record(z.string(), z.number())
        .optional()
        .describe("list versions current at submission; the job is screened against these or newer"),
    }),
    progress: progressSchema,
    failures: z
      .array(z.object({ chunk: z.number(), firstRow: z.number(), rows: z.number(), error: z.string() }))
      .optional()
      .describe("chunks that failed for good (retries used up); their rows are answered as not screened"),
    results: z
      .object({
        offset: z.number(),
        limit: z.number(),
        total: z.number(),
        next: z.number().optional(),
        items: z.array(z.record(z.string(), z.unknown())),
      })
      .optional()
      .describe(
        "when the job is finished: one answer per input row, in input order (`offset`, `limit` page them)",
      ),
  })
  .meta({ id: "ScreenJob" });

const errors = { 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 503: apiErrorSchema };

/**
 * Batch screening jobs over the PostgreSQL queue:
 * `POST /jobs/screen` (a CSV or JSON-lines upload → `{jobId}`), `GET /jobs/{id}` (status,
 * progress from the chunks, and paged results when finished), `GET /jobs/{id}/results` (every
 * answer as JSON lines). Broken upload rows are answered in the results; the rest is screened by
 * `chokepoint worker` processes. With a SQLite store every route answers 503 saying why.
 *
 * @example
 * await app.register(jobsRoutes, { store, location });
 */
export const jobsRoutes: FastifyPluginAsync<JobsRoutesOptions> = async (app, options) => {
  const { store, location } = options;
  const bodyLimit = options.bodyLimit ?? DEFAULT_JOB_BODY_LIMIT;
  const repo: JobsRepository | undefined = isPostgresStore(store) ? createJobsRepository(store) : undefined;
  let queue: Promise<Pick<JobQueue, "enqueue" | "stop">> | undefined = options.queue
    ? Promise.resolve(options.queue)
    : undefined;

  const jobs = (): JobsRepository => {
    if (!repo) throw new ApiError(503, "unavailable", JOBS_NEED_POSTGRES);
    return repo;
  };
  const jobQueue = (): Promise<Pick<JobQueue, "enqueue" | "stop">> => {
    const url = location.databaseUrl;
    if (!url) throw new ApiError(503, "unavailable", JOBS_NEED_POSTGRES);
    // The API only sends: maintenance (retrying chunks of dead workers) runs in the workers.
    queue ??= openJobQueue(url, {
      supervise: false,
      onError: (error) => app.log.error({ err: error }, "job queue error"),
    }).catch((error) => {
      queue = undefined;
      app.log.error({ err: error }, "cannot start the job queue");
      throw new ApiError(503, "unavailable", "the job queue cannot be reached; try again later");
    });
    return queue;
  };
  app.addHook("onClose", async () => {
    // Only a queue this plugin opened is ours to stop.
    if (queue && !options.queue) await (await queue).stop();
  });

  // Uploads are read whole as text (bounded by bodyLimit). JSON is taken as text too (in this
  // plugin only), so a JSON body gets the 415 naming the upload types, not a JSON syntax error.
  app.removeContentTypeParser("application/json");
  // The parsers take each route's own limit (64 MB on /jobs/screen, the server's elsewhere), so a 413
  // quotes the limit that applied.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) =>
    done(null, body),
  );
  // CSV and JSON lines as bytes, decoded here (a Latin-1 export is read as Windows-1252, not as
  // UTF-8 with replacement characters); the answer says so (`uploadNotUtf8`).
  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: "buffer" }, (request, body, done) => {
    const { text, latin1 } = decodeText(body as Buffer);
    request.uploadNotUtf8 = latin1;
    done(null, text);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/jobs/screen",
    {
      onRequest: requireRole("analyst"),
      bodyLimit,
      schema: {
        tags: ["jobs"],
        summary: "Start a batch screening job from a CSV or JSON-lines upload",
        description:
          "Send the file as the raw body: `text/csv` (or `application/csv`) with a header naming `id` and `name` (optional `schema`, `country`, `dob`, `address`, `identifier`), or `application/x-ndjson` (or `application/jsonl`, `application/x-jsonlines`) with one object per line with those fields. Rows that cannot be read are answered in the results with a `malformed-row` issue; the rest are screened by `chokepoint worker` processes. Poll `GET /jobs/{id}`. Needs PostgreSQL.",
        security: [{ apiKey: [] }],
        consumes: UPLOAD_TYPES,
        // Documents the raw upload; the content-type parsers above hand it over as text.
        body: z.string().describe("the CSV file, or JSON lines"),
        querystring: submitQuery,
        response: {
          202: z
            .object({
              jobId: z.string(),
              status: z.literal("queued"),
              rows: z.number(),
              chunks: z.number(),
              warnings: z
                .array(z.string())
                .optional()
                .describe("about the upload as a whole: lines that are not UTF-8 were read as Windows-1252"),
            })
            .meta({ id: "ScreenJobAccepted" }),
          400: apiErrorSchema,
          413: apiErrorSchema,
          415: apiErrorSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const repository = jobs();
      const format = uploadFormat(request);
      if (typeof request.body !== "string") {
        throw new ApiError(415, "unsupported_media_type", `send the upload as ${oneOf(UPLOAD_TYPES)}`);
      }
      const jobOptions: JobScreenOptions = {
        ...(request.query.lists?.length ? { lists: request.query.lists } : {}),
        ...(request.query.threshold === undefined ? {} : { threshold: request.query.threshold }),
        ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
        ...(request.query.record ? { record: { actor: actorOf(request) } } : {}),
        ...(request.query.links ? {} : { viaOtherLists: false }),
      };
      const versions = await store.currentVersions();
      if (jobOptions.lists) {
        const known = versions.map((v) => v.listId);
        const unknown = jobOptions.lists.filter((id) => !known.includes(id));
        if (unknown.length) {
          throw new ApiError(400, "validation_failed", "unknown list", [
            {
              path: "querystring.lists",
              code: "unknown_list",
              message: `unknown list ${unknown.map((id) => `'${id}'`).join(", ")}; known: ${known.join(", ")}`,
            },
          ]);
        }
      }
      // Workers need every list a hit may come from, at these versions or newer.
      const read = listsRead(jobOptions);
      const pinned = versions.filter((v) => !read || read.includes(v.listId));
      jobOptions.listVersions = Object.fromEntries(pinned.map((v) => [v.listId, v.version]));
      let rows: ReturnType<typeof parseUpload>;
      try {
        rows = parseUpload(request.body, format);
      } catch (error) {
        if (error instanceof UploadError) throw new ApiError(400, "bad_request", error.message);
        throw error;
      }
      const job = await submitScreenJob(repository, await jobQueue(), {
        rows,
        format,
        options: jobOptions,
        ...(request.apiKey ? { createdBy: request.apiKey.id } : {}),
        ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      });
      return reply
        .code(202)
        .header("location", `/jobs/${job.id}`)
        .send({
          jobId: job.id,
          status: "queued" as const,
          rows: job.rowCount,
          chunks: job.chunkCount,
          ...(request.uploadNotUtf8 ? { warnings: [NOT_UTF8_WARNING] } : {}),
        });
    },
  );

  api.get(
    "/jobs/:id",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["jobs"],
        summary: "A job's status, progress and (when finished) its results, paged",
        security: [{ apiKey: [] }],
        params: jobIdParams,
        querystring: z.object({
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(PAGE_DEFAULT),
        }),
        response: { 200: jobSchema, 400: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      const repository = jobs();
      const job = await repository.job(request.params.id);
      if (!job) throw new ApiError(404, "not_found", `no job ${request.params.id}`);
      const chunks = await repository.chunks(job.id);
      const { status, ...counts } = jobProgress(chunks);
      const failures = chunks
        .filter((chunk) => chunk.state === "failed")
        .map((chunk) => ({
          chunk: chunk.seq,
          firstRow: chunk.firstIndex,
          rows: chunk.rowCount,
          error: chunk.error ?? "failed",
        }));
      const body: z.infer<typeof jobSchema> = {
        jobId: job.id,
        status,
        createdAt: job.createdAt,
        format: job.format,
        options: job.options as JobScreenOptions,
        progress: counts,
        ...(failures.length ? { failures } : {}),
      };
      if (status === "completed" || status === "failed" || status === "canceled") {
        const { offset, limit } = request.query;
        const lines = await repository.results(job.id, { offset, limit });
        const next = offset + lines.length;
        body.results = {
          offset,
          limit,
          total: await repository.resultCount(job.id),
          ...(lines.length === limit && next < job.rowCount ? { next } : {}),
          items: lines.map((line) => JSON.parse(line) as Record<string, unknown>),
        };
      }
      return body;
    },
  );

  api.get(
    "/jobs/:id/results",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["jobs"],
        summary: "Every answer of a finished job as JSON lines, in input order",
        description:
          "The same lines as `chokepoint screen --format jsonl`, one per input row. 409 while the job runs.",
        security: [{ apiKey: [] }],
        params: jobIdParams,
        produces: ["application/x-ndjson"],
        response: {
          200: z.string().describe("one JSON line per input row"),
          409: apiErrorSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const repository = jobs();
      const job = await repository.job(request.params.id);
      if (!job) throw new ApiError(404, "not_found", `no job ${request.params.id}`);
      const progress = jobProgress(await repository.chunks(job.id));
      if (progress.status === "queued" || progress.status === "running") {
        throw new ApiError(
          409,
          "conflict",
          `job ${job.id} is ${progress.status} (${progress.rows.done} of ${progress.rows.total} rows); results are ready when it is finished`,
        );
      }
      reply.header("content-type", "application/x-ndjson; charset=utf-8");
      reply.header("content-disposition", `attachment; filename="job-${job.id}.jsonl"`);
      // A stream is sent as is (never serialised); the typed reply only knows the error bodies.
      return reply.send(Readable.from(resultStream(repository, job.id)) as never);
    },
  );

  api.post(
    "/jobs/:id/cancel",
    {
      onRequest: requireRole("analyst"),
      schema: {
        tags: ["jobs"],
        summary: "Cancel what is left of a job",
        description:
          "Chunks not yet answered are canceled (a chunk being screened finishes, but its answers are dropped); rows already answered keep their answers, which stay readable. 409 when the job has already finished.",
        security: [{ apiKey: [] }],
        params: jobIdParams,
        response: {
          200: z.object({ jobId: z.string(), status: z.literal("canceled"), chunksCanceled: z.number() }),
          409: apiErrorSchema,
          ...errors,
        },
      },
    },
    async (request) => {
      const repository = jobs();
      const job = await repository.job(request.params.id);
      if (!job) throw new ApiError(404, "not_found", `no job ${request.params.id}`);
      const chunksCanceled = await repository.cancelJob(job.id);
      if (chunksCanceled === 0) {
        const { status } = jobProgress(await repository.chunks(job.id));
        throw new ApiError(409, "conflict", `job ${job.id} is already ${status}: nothing left to cancel`);
      }
      request.log.info({ jobId: job.id, chunksCanceled, by: request.apiKey?.id }, "job canceled");
      return { jobId: job.id, status: "canceled" as const, chunksCanceled };
    },
  );
};

/** The format an upload's content type names; 415 for any other. */
function uploadFormat(request: FastifyRequest): UploadFormat {
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const format = CONTENT_TYPES[type];
  if (!format) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `content type '${type || "none"}' is not an upload format: send ${oneOf(UPLOAD_TYPES)}`,
    );
  }
  return format;
}

/** Streams result lines page by page (keyset on the row index), so memory stays flat. */
async function* resultStream(repository: JobsRepository, jobId: string): AsyncGenerator<string> {
  let offset = 0;
  for (;;) {
    const lines = await repository.results(jobId, { offset, limit: 2000 });
    if (lines.length === 0) return;
    yield `${lines.join("\n")}\n`;
    offset += lines.length;
  }
}
