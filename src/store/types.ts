import type { ListEntity, ListVersion, ParseIssue } from "../model/index.js";

/** What a finished parse hands to the store: one complete new version of one list. */
export interface NewListVersion {
  listId: string;
  format: string;
  sourceFiles: string[];
  /**
   * sha256 over the source files' bytes and the parser's revision (`contentHash` in
   * sources/read-bundle.ts); equal hashes mean identical content, read the same way.
   */
  contentHash: string;
  publishedAt?: string;
  entities: ListEntity[];
  issues: ParseIssue[];
}

export interface SaveOptions {
  /** Called after each batch of entities is written inside the transaction (for progress bars). */
  onProgress?: (written: number, total: number) => void;
}

/** Result of saving: either a new version or "unchanged" when the content hash matches the current one. */
export type SaveResult =
  | { status: "created"; version: ListVersion }
  | { status: "unchanged"; version: ListVersion };

/** One field that differs between two versions of an entity. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * What changed between two versions of a list.
 *
 * @example
 * { listId: "un", from: 1, to: 2, added: ["un:QDi.440"], removed: [], changed: [{ id: "un:IQi.001", fields: [...] }] }
 */
export interface ListDiff {
  listId: string;
  from: number;
  to: number;
  added: string[];
  removed: string[];
  changed: Array<{ id: string; fields: FieldChange[] }>;
}

/**
 * The one storage interface. SQLite (embedded default) and PostgreSQL implement it with the same
 * Kysely queries; everything above the store talks to this and nothing else.
 */
export interface Store {
  /** Current (latest) version of every list, ordered by list id. */
  currentVersions(): Promise<ListVersion[]>;
  /** Every version of one list, oldest first. */
  versions(listId: string): Promise<ListVersion[]>;
  /**
   * Stores a complete new version atomically: either all of it is visible afterwards, or (on any
   * failure, including the process being killed) none of it and the previous version stays current.
   * Identical content to the current version is a no-op.
   */
  saveListVersion(input: NewListVersion, options?: SaveOptions): Promise<SaveResult>;
  /** True when `contentHash` equals the current version's hash of `listId` (lets import skip parsing). */
  isCurrentContent(listId: string, contentHash: string): Promise<ListVersion | undefined>;
  /** Entities of the current versions of the given lists (all lists when omitted). */
  entities(listIds?: string[]): Promise<ListEntity[]>;
  /** One entity from the current version of its list, or from a given version. */
  entity(id: string, version?: number): Promise<ListEntity | undefined>;
  /** Parse issues stored with one version. */
  issues(listId: string, version: number): Promise<ParseIssue[]>;
  diff(listId: string, from: number, to: number): Promise<ListDiff>;
  /** Records one screened order and its decision (append-only: re-screening adds a row). */
  saveScreenedOrder(record: ScreenedOrderRecord): Promise<void>;
  /**
   * Past screened orders, newest first, for history rules (split orders, unusual prices).
   * Filters combine with AND; `customerKeys` matches any of the keys.
   */
  screenedOrders(filter?: {
    customerKeys?: string[];
    since?: string;
    limit?: number;
  }): Promise<ScreenedOrderRecord[]>;
  close(): Promise<void>;
}

/**
 * A stored order screening. `customerKey` groups orders of one customer (e.g. a normalised buyer
 * name plus country) so history rules can find related orders; `order` and `result` are JSON values.
 */
export interface ScreenedOrderRecord {
  orderId: string;
  screenedAt: string;
  orderDate?: string;
  customerKey?: string;
  decision: string;
  order: unknown;
  result: unknown;
  rulePackVersion: string;
}

export const STORE_ERROR_KINDS = ["not-found", "conflict", "unavailable", "invalid"] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

/** Driver errors normalised into a few kinds the doors can map to messages and status codes. */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}
