/**
 * The API's answers as the UI reads them. Case states and event types are the model's own types
 * (type-only imports: no zod in the bundle), so a new state fails the UI's build until it has a
 * label; the rest are wire shapes of what the UI shows.
 */
import type { CaseEventType, CaseState } from "../model/case.js";

export type { CaseState };

/** Labels in the order the queue shows the states: work still to do first. */
export const STATE_LABELS: Record<CaseState, string> = {
  open: "Open",
  in_review: "In review",
  escalated: "Escalated",
  cleared: "Cleared",
  confirmed: "Confirmed",
};

/** Every case state, in display order. */
export const CASE_STATES = Object.keys(STATE_LABELS) as CaseState[];

export interface TokenPair {
  query: string;
  list: string;
  similarity: number;
  kind: string;
}

export interface Explanation {
  queryForm: string;
  listName: string;
  listNameKind: string;
  listNameReading?: string;
  tokens: TokenPair[];
  unmatchedQuery: string[];
  unmatchedList: string[];
  nameScore: number;
  evidence: Array<{ kind: string; effect: number; detail: string }>;
  summary: string;
  linkedThrough?: { entityId: string; list: string; name: string; score: number; alias: string };
}

export interface Match {
  entityId: string;
  list: string;
  name: string;
  score: number;
  match: boolean;
  explanation: Explanation;
  caseId?: number;
  caseOutcome?: string;
  suppressed?: boolean;
}

export interface ScreenResult {
  id: string;
  outcome?: "clear" | "review" | "suppressed";
  matches: Match[];
}

export interface QueueRow {
  id: number;
  subjectKind: string;
  subjectId: string;
  subjectName: string;
  targetId: string;
  listId: string | null;
  targetName: string;
  score: number;
  state: CaseState;
  assignee: string | null;
  version: number;
  hitCount: number;
  openedAt: string;
  updatedAt: string;
}

export interface QueuePage {
  cases: QueueRow[];
  total: number;
  counts: Record<CaseState, number>;
  lists: Record<string, number>;
  limit: number;
  offset: number;
}

export interface CaseRecord extends QueueRow {
  query: Record<string, unknown>;
  match: Match | Record<string, unknown>;
  entityHash?: string;
  listVersion?: number;
  lastHitAt: string;
}

export interface CaseEvent {
  seq: number;
  at: string;
  actor: string;
  type: CaseEventType;
  fromState?: CaseState;
  toState?: CaseState;
  reason?: string;
}

export interface Entity {
  id: string;
  listId: string;
  schema: string;
  name: string;
  names: Array<{ full: string; kind: string }>;
  birthDates: Array<{ text: string }>;
  birthPlaces: string[];
  nationalities: Array<{ text: string; code?: string }>;
  countries: Array<{ text: string; code?: string }>;
  addresses: Array<{ full?: string }>;
  identifiers: Array<{ type?: string; value: string }>;
  sanctions: Array<{ program?: string; authority?: string }>;
  listedOn?: string;
  remarks: string[];
  raw?: unknown;
}

export interface CaseDetail {
  case: CaseRecord;
  events: CaseEvent[];
  entity: Entity | null;
  clearance: { clearedBy: string; clearedAt: string; reason: string; expiresAt?: string } | null;
}

export interface ListVersion {
  listId: string;
  version: number;
  contentHash: string;
  sourceFiles: string[];
  format: string;
  publishedAt?: string;
  importedAt: string;
  entityCount: number;
  issueCount: number;
  indexed?: boolean;
}
