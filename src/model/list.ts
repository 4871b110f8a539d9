import { z } from "zod";

/**
 * The lists Chokepoint knows. A list id is the prefix of every entity id on it.
 * `ofac-cons` is OFAC's non-SDN consolidated list; `eu` is all EU Official Journal annexes.
 */
export const KNOWN_LIST_IDS = [
  "ofac-sdn",
  "ofac-cons",
  "un",
  "uk-fcdo",
  "bis-dpl",
  "us-csl",
  "eu",
  "ca-sema",
] as const;
export type KnownListId = (typeof KNOWN_LIST_IDS)[number];

export const LIST_TITLES: Record<KnownListId, string> = {
  "ofac-sdn": "OFAC Specially Designated Nationals (SDN) List",
  "ofac-cons": "OFAC Consolidated (non-SDN) Sanctions List",
  un: "UN Security Council Consolidated List",
  "uk-fcdo": "UK Sanctions List (FCDO)",
  "bis-dpl": "BIS Denied Persons List",
  "us-csl": "US Consolidated Screening List",
  eu: "EU sanctions (Official Journal annexes)",
  "ca-sema": "Canada Special Economic Measures Act list",
};

export const ISSUE_SEVERITIES = ["warning", "error"] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

/**
 * A structured problem found while reading a list file. Warnings are recoverable oddities stored
 * with the version (an unparseable date, an unknown country); an error rejects that list's import.
 *
 * @example
 * { code: "bad-date", severity: "warning", message: "could not read date 'circa 19X5'",
 *   file: "sdn.csv", line: 412, record: "ofac-sdn:7843", field: "remarks" }
 */
export const parseIssueSchema = z.object({
  code: z.string(),
  severity: z.enum(ISSUE_SEVERITIES),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  record: z.string().optional(),
  field: z.string().optional(),
});
export type ParseIssue = z.infer<typeof parseIssueSchema>;

/**
 * Formats a parse issue for a terminal: `file:line: [record] field: message`.
 *
 * @example
 * formatParseIssue({ code: "x", severity: "error", message: "bad", file: "a.csv", line: 3 }) // "error a.csv:3: bad"
 */
export function formatParseIssue(issue: ParseIssue): string {
  const where = [issue.file, issue.line].filter((part) => part !== undefined).join(":");
  const record = issue.record ? ` [${issue.record}]` : "";
  const field = issue.field ? ` ${issue.field}:` : "";
  return `${issue.severity} ${where}${record}:${field} ${issue.message}`.replace(/\s+/g, " ").trim();
}

/** One stored version of a list: what `lists status` reports. */
export const listVersionSchema = z.object({
  listId: z.string(),
  version: z.number().int().positive(),
  contentHash: z.string(),
  sourceFiles: z.array(z.string()),
  format: z.string(),
  publishedAt: z.string().optional(),
  importedAt: z.string(),
  entityCount: z.number().int(),
  issueCount: z.number().int(),
});
export type ListVersion = z.infer<typeof listVersionSchema>;
