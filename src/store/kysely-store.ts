import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import {
  type ListEntity,
  type ListVersion,
  listEntitySchema,
  type ParseIssue,
  parseIssueSchema,
} from "../model/index.js";
import type { Database } from "./schema.js";
import {
  type FieldChange,
  type ListDiff,
  type NewListVersion,
  type SaveOptions,
  type SaveResult,
  type ScreenedOrderRecord,
  type Store,
  StoreError,
} from "./types.js";

// SQLite allows 32,766 bound parameters per statement; PostgreSQL 65,535. 4-10 columns × 500 rows
// stays far below both while keeping round trips few.
const INSERT_BATCH = 500;

type VersionRow = Database["list_versions"];

function toListVersion(row: VersionRow): ListVersion {
  return {
    listId: row.list_id,
    version: Number(row.version),
    contentHash: row.content_hash,
    sourceFiles: JSON.parse(row.source_files) as string[],
    format: row.format,
    ...(row.published_at ? { publishedAt: row.published_at } : {}),
    importedAt: row.imported_at,
    entityCount: Number(row.entity_count),
    issueCount: Number(row.issue_count),
  };
}

/**
 * Stable JSON: keys sorted, so the same entity always hashes the same whatever order a parser
 * built its object in.
 */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return inner;
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Fields compared by `diff`; `raw` is left out because it restates the others. */
const DIFF_FIELDS = [
  "schema",
  "name",
  "names",
  "gender",
  "birthDates",
  "birthPlaces",
  "nationalities",
  "citizenships",
  "countries",
  "addresses",
  "identifiers",
  "sanctions",
  "listedOn",
  "remarks",
  "links",
  "attributes",
] as const satisfies ReadonlyArray<keyof ListEntity>;

/**
 * Lists the fields that differ between two versions of one entity.
 *
 * @example
 * changedFields(a, { ...a, name: "NEW" }) // [{ field: "name", before: a.name, after: "NEW" }]
 */
export function changedFields(before: ListEntity, after: ListEntity): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of DIFF_FIELDS) {
    if (stableStringify(before[field]) !== stableStringify(after[field])) {
      changes.push({ field, before: before[field], after: after[field] });
    }
  }
  return changes;
}

/**
 * The store over any Kysely database. Dialect-specific code (opening, pragmas, error codes) lives
 * in `sqlite.ts` / `postgres.ts`; the queries here are shared.
 */
export class KyselyStore implements Store {
  constructor(
    /** For repositories in this layer (keys, jobs, cases, audit) that add their own tables. */
    readonly db: Kysely<Database>,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async currentVersions(): Promise<ListVersion[]> {
    const latest = this.db
      .selectFrom("list_versions")
      .select(["list_id"])
      .select((eb) => eb.fn.max("version").as("max_version"))
      .groupBy("list_id")
      .as("latest");
    const rows = await this.db
      .selectFrom("list_versions")
      .innerJoin(latest, (join) =>
        join
          .onRef("latest.list_id", "=", "list_versions.list_id")
          .onRef("latest.max_version", "=", "list_versions.version"),
      )
      .selectAll("list_versions")
      .orderBy("list_versions.list_id")
      .execute();
    return rows.map(toListVersion);
  }

  async versions(listId: string): Promise<ListVersion[]> {
    const rows = await this.db
      .selectFrom("list_versions")
      .selectAll()
      .where("list_id", "=", listId)
      .orderBy("version")
      .execute();
    return rows.map(toListVersion);
  }

  private async currentVersion(listId: string): Promise<ListVersion | undefined> {
    const row = await this.db
      .selectFrom("list_versions")
      .selectAll()
      .where("list_id", "=", listId)
      .orderBy("version", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toListVersion(row) : undefined;
  }

  async isCurrentContent(listId: string, contentHash: string): Promise<ListVersion | undefined> {
    const current = await this.currentVersion(listId);
    return current?.contentHash === contentHash ? current : undefined;
  }

  async saveListVersion(input: NewListVersion, options: SaveOptions = {}): Promise<SaveResult> {
    const unchanged = await this.isCurrentContent(input.listId, input.contentHash);
    if (unchanged) return { status: "unchanged", version: unchanged };

    const ids = new Set<string>();
    const records = input.entities.map((entity) => {
      if (ids.has(entity.id))
        throw new StoreError("invalid", `duplicate entity id ${entity.id} in ${input.listId}`);
      ids.add(entity.id);
      const data = stableStringify(entity);
      const hash = createHash("sha256").update(data).digest("hex");
      return { hash, entity_id: entity.id, data };
    });

    // Everything in one transaction: a failure or a killed process leaves the previous version current.
    const row = await this.db.transaction().execute(async (trx) => {
      const previous = await trx
        .selectFrom("list_versions")
        .select((eb) => eb.fn.max("version").as("max_version"))
        .where("list_id", "=", input.listId)
        .executeTakeFirst();
      const version = Number(previous?.max_version ?? 0) + 1;
      const versionRow: VersionRow = {
        list_id: input.listId,
        version,
        content_hash: input.contentHash,
        source_files: JSON.stringify(input.sourceFiles),
        format: input.format,
        published_at: input.publishedAt ?? null,
        imported_at: new Date().toISOString(),
        entity_count: input.entities.length,
        issue_count: input.issues.length,
      };
      await trx.insertInto("list_versions").values(versionRow).execute();
      let written = 0;
      for (const batch of chunks(records, INSERT_BATCH)) {
        await trx
          .insertInto("entity_records")
          .values(batch)
          .onConflict((oc) => oc.column("hash").doNothing())
          .execute();
        await trx
          .insertInto("version_entities")
          .values(
            batch.map((r) => ({ list_id: input.listId, version, entity_id: r.entity_id, hash: r.hash })),
          )
          .execute();
        written += batch.length;
        options.onProgress?.(written, records.length);
      }
      const issueRows = input.issues.map((issue, seq) => ({
        list_id: input.listId,
        version,
        seq,
        code: issue.code,
        severity: issue.severity,
        message: issue.message,
        file: issue.file ?? null,
        line: issue.line ?? null,
        record: issue.record ?? null,
        field: issue.field ?? null,
      }));
      for (const batch of chunks(issueRows, INSERT_BATCH)) {
        await trx.insertInto("parse_issues").values(batch).execute();
      }
      return versionRow;
    });
    return { status: "created", version: toListVersion(row) };
  }

  async entities(listIds?: string[]): Promise<ListEntity[]> {
    const current = await this.currentVersions();
    const wanted = listIds ? current.filter((v) => listIds.includes(v.listId)) : current;
    const out: ListEntity[] = [];
    for (const version of wanted) {
      const rows = await this.db
        .selectFrom("version_entities")
        .innerJoin("entity_records", "entity_records.hash", "version_entities.hash")
        .select("entity_records.data")
        .where("version_entities.list_id", "=", version.listId)
        .where("version_entities.version", "=", version.version)
        .orderBy("version_entities.entity_id")
        .execute();
      // Records were validated by zod on the way in; re-validating 30k records here would only cost time.
      for (const row of rows) out.push(JSON.parse(row.data) as ListEntity);
    }
    return out;
  }

  async entity(id: string, version?: number): Promise<ListEntity | undefined> {
    const listId = id.slice(0, id.indexOf(":"));
    const target = version ?? (await this.currentVersion(listId))?.version;
    if (target === undefined) return undefined;
    const row = await this.db
      .selectFrom("version_entities")
      .innerJoin("entity_records", "entity_records.hash", "version_entities.hash")
      .select("entity_records.data")
      .where("version_entities.list_id", "=", listId)
      .where("version_entities.version", "=", target)
      .where("version_entities.entity_id", "=", id)
      .executeTakeFirst();
    return row ? listEntitySchema.parse(JSON.parse(row.data)) : undefined;
  }

  async issues(listId: string, version: number): Promise<ParseIssue[]> {
    const rows = await this.db
      .selectFrom("parse_issues")
      .selectAll()
      .where("list_id", "=", listId)
      .where("version", "=", version)
      .orderBy("seq")
      .execute();
    return rows.map((row) =>
      parseIssueSchema.parse({
        code: row.code,
        severity: row.severity,
        message: row.message,
        ...(row.file === null ? {} : { file: row.file }),
        ...(row.line === null ? {} : { line: Number(row.line) }),
        ...(row.record === null ? {} : { record: row.record }),
        ...(row.field === null ? {} : { field: row.field }),
      }),
    );
  }

  async diff(listId: string, from: number, to: number): Promise<ListDiff> {
    const members = async (version: number) => {
      const rows = await this.db
        .selectFrom("version_entities")
        .select(["entity_id", "hash"])
        .where("list_id", "=", listId)
        .where("version", "=", version)
        .execute();
      if (rows.length === 0 && !(await this.versions(listId)).some((v) => v.version === version)) {
        throw new StoreError("not-found", `${listId} has no version ${version}`);
      }
      return new Map(rows.map((row) => [row.entity_id, row.hash]));
    };
    const before = await members(from);
    const after = await members(to);
    const added = [...after.keys()].filter((id) => !before.has(id)).sort();
    const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
    const changedIds = [...after.entries()]
      .filter(([id, hash]) => before.has(id) && before.get(id) !== hash)
      .map(([id]) => id)
      .sort();
    const changed: ListDiff["changed"] = [];
    for (const id of changedIds) {
      const [a, b] = await Promise.all([this.recordData(before.get(id)!), this.recordData(after.get(id)!)]);
      changed.push({ id, fields: changedFields(a, b) });
    }
    return { listId, from, to, added, removed, changed };
  }

  private async recordData(hash: string): Promise<ListEntity> {
    const row = await this.db
      .selectFrom("entity_records")
      .select("data")
      .where("hash", "=", hash)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.data) as ListEntity;
  }

  async saveScreenedOrder(record: ScreenedOrderRecord): Promise<void> {
    await this.db
      .insertInto("screened_orders")
      .values({
        order_id: record.orderId,
        screened_at: record.screenedAt,
        order_date: record.orderDate ?? null,
        customer_key: record.customerKey ?? null,
        decision: record.decision,
        order_json: JSON.stringify(record.order),
        result_json: JSON.stringify(record.result),
        rule_pack_version: record.rulePackVersion,
      })
      .execute();
  }

  async screenedOrders(
    filter: { customerKeys?: string[]; since?: string; limit?: number } = {},
  ): Promise<ScreenedOrderRecord[]> {
    let query = this.db.selectFrom("screened_orders").selectAll();
    if (filter.customerKeys) {
      if (filter.customerKeys.length === 0) return [];
      query = query.where("customer_key", "in", filter.customerKeys);
    }
    if (filter.since) query = query.where("order_date", ">=", filter.since);
    const rows = await query
      .orderBy("screened_at", "desc")
      .limit(filter.limit ?? 10_000)
      .execute();
    return rows.map((row) => ({
      orderId: row.order_id,
      screenedAt: row.screened_at,
      ...(row.order_date ? { orderDate: row.order_date } : {}),
      ...(row.customer_key ? { customerKey: row.customer_key } : {}),
      decision: row.decision,
      order: JSON.parse(row.order_json),
      result: JSON.parse(row.result_json),
      rulePackVersion: row.rule_pack_version,
    }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }
}
