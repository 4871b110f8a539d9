import type { ScreenOptions } from "../../matching/index.js";
import type { ChunkState } from "../../store/jobs-repository.js";
import type { PartyRow, RowIssue } from "../party-rows.js";

/** What a job as a whole is doing; derived from its chunks, never stored. */
export const JOB_STATUSES = ["queued", "running", "completed", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export { CHUNK_STATES, type ChunkState } from "../../store/jobs-repository.js";

/** Upload formats `POST /jobs/screen` accepts, by content type. */
export const UPLOAD_FORMATS = ["csv", "jsonl"] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

/**
 * Rows per chunk: one chunk is one queue message and one transaction of results. 1,000 rows take a
 * few seconds to screen, so a killed worker costs little rework and the queue is not chatty.
 */
export const DEFAULT_CHUNK_SIZE = 1000;

/** Most rows one job may hold (a whole customer base; bigger ones should be split by the client). */
export const MAX_JOB_ROWS = 2_000_000;

/**
 * Issue codes of job rows: those of a CSV row, plus `malformed-row` for a row that could not be
 * read at all (bad quoting, wrong column count, invalid JSON); such a row is answered, unscreened.
 */
export const JOB_ROW_ISSUE_CODES = ["malformed-row"] as const;
export type JobRowIssueCode = RowIssue["code"] | (typeof JOB_ROW_ISSUE_CODES)[number];

/**
 * A problem with one job row.
 *
 * @example
 * { code: "malformed-row", message: "line 7: 3 fields but the header has 2", field: "row" }
 */
export interface JobRowIssue {
  code: JobRowIssueCode;
  message: string;
  field: string;
}

/**
 * One input row as stored in a chunk: a checked party to screen, or a row that could not be read.
 * `index` is the row's 0-based position in the upload (broken rows included): results are keyed
 * and ordered by it.
 *
 * @example
 * { index: 0, party: { line: 2, id: "C-1", name: "ACME LLC", issues: [] } }
 * { index: 1, broken: { id: "line-3", line: 3, message: "unterminated quote" } }
 */
export type JobInputRow =
  | { index: number; party: PartyRow }
  | { index: number; broken: { id: string; line: number; message: string } };

/**
 * Options of a screening job, applied to every row.
 *
 * @example
 * { lists: ["ofac-sdn", "un"], threshold: 0.8, listVersions: { "ofac-sdn": 3, un: 2 } }
 */
export interface JobScreenOptions {
  lists?: string[];
  threshold?: number;
  limit?: number;
  /** False: with `lists`, no links through the records of other lists (`ScreenOptions.viaOtherLists`). */
  viaOtherLists?: boolean;
  /**
   * The list versions current when the job was submitted: a worker screens a chunk only with
   * these versions or newer loaded (a worker started mid-import must not screen against half the
   * lists), and the job records what it was screened against.
   */
  listVersions?: Record<string, number>;
  /**
   * Set when the job's hits open or update review cases and are audited, as `chokepoint screen`
   * does: who submitted it (the cases and audit records name them). Absent: answers only.
   */
  record?: { actor: string };
}

/**
 * Progress of a job, derived from its chunks' states.
 *
 * @example
 * { status: "running", chunks: { total: 200, done: 57, failed: 0, canceled: 0 }, rows: { total: 200000, done: 57000 } }
 */
export interface JobProgress {
  status: JobStatus;
  chunks: { total: number; done: number; failed: number; canceled: number };
  rows: { total: number; done: number };
}

/**
 * The progress of a job from its chunks: completed when every chunk is done, canceled when an
 * analyst canceled what was left, failed when every chunk is final and one failed, running once
 * any chunk started or finished, else queued.
 *
 * @example
 * jobProgress([{ state: "done", rowCount: 1000 }, { state: "pending", rowCount: 10 }]).status // "running"
 */
export function jobProgress(chunks: ReadonlyArray<{ state: ChunkState; rowCount: number }>): JobProgress {
  let done = 0;
  let failed = 0;
  let canceled = 0;
  let started = 0;
  let rowsTotal = 0;
  let rowsDone = 0;
  for (const chunk of chunks) {
    rowsTotal += chunk.rowCount;
    if (chunk.state === "done") {
      done++;
      rowsDone += chunk.rowCount;
    } else if (chunk.state === "failed") failed++;
    else if (chunk.state === "canceled") canceled++;
    else if (chunk.state === "running") started++;
  }
  const total = chunks.length;
  const status: JobStatus =
    done === total
      ? "completed"
      : canceled > 0
        ? "canceled"
        : done + failed === total
          ? "failed"
          : done + failed + started > 0
            ? "running"
            : "queued";
  return {
    status,
    chunks: { total, done, failed, canceled },
    rows: { total: rowsTotal, done: rowsDone },
  };
}

/**
 * Splits rows into chunks of `size` (the last one shorter).
 *
 * @example
 * chunkRows([a, b, c], 2) // [[a, b], [c]]
 */
export function chunkRows<T>(rows: readonly T[], size: number = DEFAULT_CHUNK_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer`);
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/**
 * The screening options the matcher sees for a job.
 *
 * @example
 * screenOptions({ lists: ["un"] }) // { lists: ["un"] }
 */
export function screenOptions(options: JobScreenOptions): ScreenOptions {
  return {
    ...(options.lists?.length ? { lists: options.lists } : {}),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.viaOtherLists === false ? { viaOtherLists: false } : {}),
  };
}

/**
 * The result line of a row that could not be read: the screening contract's shape with no matches
 * and one `malformed-row` issue, so every input row has exactly one answer.
 *
 * @example
 * brokenLine({ id: "line-3", line: 3, message: "unterminated quote" })
 * // '{"id":"line-3","matches":[],"issues":[{"code":"malformed-row","message":"line 3: unterminated quote","field":"row"}]}'
 */
export function brokenLine(row: { id: string; line: number; message: string }): string {
  const issue: JobRowIssue = {
    code: "malformed-row",
    message: `line ${row.line}: ${row.message}`,
    field: "row",
  };
  return JSON.stringify({ id: row.id, matches: [], issues: [issue] });
}
