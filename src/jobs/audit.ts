import type { AuditRecord } from "../model/case.js";
import {
  type AuditEntry,
  type AuditRepository,
  auditHash,
  createAuditRepository,
  GENESIS_HASH,
  kyselyOf,
} from "../store/audit-repository.js";
import type { Store } from "../store/index.js";

/** Kinds of damage `verifyAudit` tells apart. */
export const AUDIT_PROBLEM_KINDS = ["edited", "inserted", "deleted"] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

/**
 * One finding of `verifyAudit`, naming the record.
 *
 * @example
 * { seq: 41, kind: "edited", message: "record 41 does not hash to its stored hash: it was edited" }
 */
export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

/**
 * The result of checking the chain.
 *
 * @example
 * { ok: true, records: 1000000, head: { seq: 1000000, hash: "9f…" }, problems: [], seconds: 8.1 }
 */
export interface AuditVerification {
  ok: boolean;
  records: number;
  head?: { seq: number; hash: string };
  problems: AuditProblem[];
  /** True when checking stopped early because `maxProblems` were found. */
  truncated: boolean;
}

export interface VerifyOptions {
  /** Rows per page read from the store; pages are read in seq order, never all at once. */
  pageSize?: number;
  /** Stop after this many findings (one edit can cascade; the first few say where). */
  maxProblems?: number;
  onProgress?: (checked: number) => void;
}

/**
 * Walks the audit chain in seq order, page by page, and names every record that was edited,
 * inserted or deleted: each record must hash to its stored hash, carry the previous record's hash,
 * follow it by exactly one seq, and the last one must be the recorded head.
 *
 * @example
 * const result = await verifyAudit(createAuditRepository(kyselyOf(store)));
 * if (!result.ok) console.log(result.problems[0]); // { seq: 41, kind: "edited", ... }
 */
export async function verifyAudit(
  repo: AuditRepository,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 20_000;
  const maxProblems = options.maxProblems ?? 100;
  const problems: AuditProblem[] = [];
  let records = 0;
  let expectedSeq = 1;
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let beforePrevHash: string | undefined;
  let after = Number.NEGATIVE_INFINITY;
  const add = (problem: AuditProblem) => problems.push(problem);

  scan: for (;;) {
    const rows = await repo.rowsAfter(after, pageSize);
    for (const row of rows) {
      records++;
      let sequenceReported = false;
      if (row.seq !== expectedSeq) {
        sequenceReported = true;
        if (Number.isInteger(row.seq) && row.seq > expectedSeq) {
          const last = row.seq - 1;
          add({
            seq: expectedSeq,
            kind: "deleted",
            message:
              last === expectedSeq
                ? `record ${expectedSeq} is missing: it was deleted`
                : `records ${expectedSeq}-${last} are missing: they were deleted`,
          });
        } else {
          add({
            seq: row.seq,
            kind: "inserted",
            message: `record ${row.seq} does not follow record ${prevSeq} in sequence: it was inserted`,
          });
        }
      }
      if (row.prev_hash !== prevHash && !sequenceReported) {
        if (beforePrevHash !== undefined && row.prev_hash === beforePrevHash) {
          add({
            seq: prevSeq,
            kind: "inserted",
            message: `record ${prevSeq} was inserted: record ${row.seq} chains to the record before it`,
          });
        } else if (prevSeq > 0) {
          add({
            seq: prevSeq,
            kind: "edited",
            message: `record ${prevSeq} is not the record ${row.seq} was chained to: it was edited or replaced`,
          });
        } else {
          add({
            seq: row.seq,
            kind: "edited",
            message: `record ${row.seq} is first but does not start from the genesis hash: it was edited`,
          });
        }
      }
      if (auditHash(row.prev_hash, row) !== row.hash) {
        add({
          seq: row.seq,
          kind: "edited",
          message: `record ${row.seq} does not hash to its stored hash: it was edited`,
        });
      }
      beforePrevHash = prevHash;
      prevHash = row.hash;
      prevSeq = row.seq;
      expectedSeq = Math.floor(row.seq) + 1;
      if (problems.length >= maxProblems) break scan;
    }
    options.onProgress?.(records);
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.seq;
  }

  const truncated = problems.length >= maxProblems;
  const head = await repo.head();
  if (!truncated) {
    if (!head) {
      if (records > 0)
        add({
          seq: 1,
          kind: "inserted",
          message: "records exist but no head was ever recorded: they were inserted",
        });
    } else if (prevSeq < head.seq) {
      add({
        seq: prevSeq + 1,
        kind: "deleted",
        message:
          prevSeq + 1 === head.seq
            ? `record ${head.seq}, the newest, is missing: it was deleted`
            : `records ${prevSeq + 1}-${head.seq}, the newest, are missing: they were deleted`,
      });
    } else if (prevSeq > head.seq) {
      add({
        seq: head.seq + 1,
        kind: "inserted",
        message: `records after ${head.seq} (the recorded head) were inserted`,
      });
    } else if (prevHash !== head.hash) {
      add({
        seq: prevSeq,
        kind: "edited",
        message: `record ${prevSeq} is not the recorded head: it was edited`,
      });
    }
  }
  return { ok: problems.length === 0, records, ...(head ? { head } : {}), problems, truncated };
}

/**
 * Turns `--from`/`--to` into a half-open range of ISO timestamps: a bare date as `--to` means the
 * whole of that day.
 *
 * @example
 * auditRange("2026-11-01", "2026-11-30") // { from: "2026-11-01", to: "2026-12-01" }
 */
export function auditRange(from: string | undefined, to: string | undefined): { from: string; to: string } {
  const check = (text: string, flag: string) => {
    if (Number.isNaN(Date.parse(text)))
      throw new RangeError(`${flag} must be a date (YYYY-MM-DD) or an ISO timestamp, got ${text}`);
  };
  if (from) check(from, "--from");
  if (to) check(to, "--to");
  let end = to ?? "9999-12-31T23:59:59.999Z";
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(to)) {
    const next = new Date(`${to}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    end = next.toISOString().slice(0, 10);
  }
  return { from: from ?? "0000", to: end };
}

/**
 * The records of a date range as JSON lines for an auditor: each line is one full record with its
 * prevHash and hash, so the auditor can recheck the chain within the range.
 *
 * @example
 * for await (const line of exportAudit(repo, auditRange("2026-11-01", "2026-11-30"))) out.write(line);
 */
export async function* exportAudit(
  repo: AuditRepository,
  range: { from: string; to: string },
): AsyncGenerator<string> {
  for await (const record of repo.range(range.from, range.to)) yield `${JSON.stringify(record)}\n`;
}

/**
 * The audit repository of a store (shortcut for the doors).
 *
 * @example
 * await auditOf(store).append([{ actor: "alice", action: "note", subject: "x", payload: {} }]);
 */
export function auditOf(store: Store): AuditRepository {
  return createAuditRepository(kyselyOf(store));
}

export type { AuditEntry, AuditRecord };
