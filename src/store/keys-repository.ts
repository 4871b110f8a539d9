import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { KyselyStore } from "./kysely-store.js";
import { type Store, StoreError } from "./types.js";

/**
 * Roles, weakest first: each role may do everything the ones before it may.
 * viewer: read lists and entities, screen parties and items; analyst: + orders and jobs;
 * admin: + list imports.
 */
export const API_ROLES = ["viewer", "analyst", "admin"] as const;
export type ApiRole = (typeof API_ROLES)[number];

/**
 * One API key as stored, without its secret (which is never kept, only a salted hash of it).
 *
 * @example
 * { id: "3f9a0c1d2e4b", role: "analyst", label: "ERP", createdAt: "2026-03-01T10:00:00.000Z" }
 */
export interface ApiKeyRecord {
  id: string;
  role: ApiRole;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

/** The keys table as Kysely sees it (created by `keys-migrations.ts`). */
interface KeysTables {
  api_keys: {
    id: string;
    role: string;
    label: string | null;
    salt: string;
    secret_hash: string;
    created_at: string;
    revoked_at: string | null;
  };
}

/**
 * Issues, lists, revokes and verifies API keys.
 *
 * @example
 * const keys = createKeysRepository(store);
 * const { key, token } = await keys.create({ role: "viewer" });
 * (await keys.verify(token))?.role // "viewer"
 */
export interface KeysRepository {
  /** Creates a key; `token` is the only copy of the secret and must be shown to the user once. */
  create(input: { role: ApiRole; label?: string }): Promise<{ key: ApiKeyRecord; token: string }>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes a key; false when no key has that id. Revoking twice keeps the first time. */
  revoke(id: string): Promise<boolean>;
  /** The active key a token belongs to, or undefined (unknown, malformed, wrong secret or revoked). */
  verify(token: string): Promise<ApiKeyRecord | undefined>;
}

// A token carries its key's id, so verification is one primary-key lookup and one hash, not a scan:
// "ck_" + 12 hex id + "_" + 64 hex secret (256 random bits).
const TOKEN = /^ck_([0-9a-f]{12})_([0-9a-f]{64})$/;

/**
 * sha256 over salt and secret. A fast hash is enough here because the secret is 256 random bits
 * (nothing to brute-force, unlike a password), and it keeps verification off the latency budget.
 */
function hashSecret(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update(":").update(secret).digest("hex");
}

function toRecord(row: KeysTables["api_keys"]): ApiKeyRecord {
  return {
    id: row.id,
    role: row.role as ApiRole,
    ...(row.label ? { label: row.label } : {}),
    createdAt: row.created_at,
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  };
}

/**
 * True for a role name.
 *
 * @example
 * isApiRole("admin") // true
 */
export function isApiRole(value: string): value is ApiRole {
  return (API_ROLES as readonly string[]).includes(value);
}

/**
 * The keys repository over a store opened by `openStore` (SQLite or PostgreSQL).
 * `now` is injectable so tests control timestamps.
 *
 * @example
 * const keys = createKeysRepository(await openStore({ home }));
 */
export function createKeysRepository(store: Store, now: () => Date = () => new Date()): KeysRepository {
  if (!(store instanceof KyselyStore)) {
    throw new StoreError("invalid", "API keys need a SQL store (SQLite or PostgreSQL)");
  }
  const db = store.db as unknown as Kysely<KeysTables>;
  return {
    async create({ role, label }) {
      const id = randomBytes(6).toString("hex");
      const secret = randomBytes(32).toString("hex");
      const salt = randomBytes(16).toString("hex");
      const row = {
        id,
        role,
        label: label ?? null,
        salt,
        secret_hash: hashSecret(salt, secret),
        created_at: now().toISOString(),
        revoked_at: null,
      };
      await db.insertInto("api_keys").values(row).execute();
      return { key: toRecord(row), token: `ck_${id}_${secret}` };
    },
    async list() {
      const rows = await db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("id").execute();
      return rows.map(toRecord);
    },
    async revoke(id) {
      const row = await db
        .selectFrom("api_keys")
        .select(["id", "revoked_at"])
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) return false;
      if (!row.revoked_at) {
        await db
          .updateTable("api_keys")
          .set({ revoked_at: now().toISOString() })
          .where("id", "=", id)
          .execute();
      }
      return true;
    },
    async verify(token) {
      const parsed = TOKEN.exec(token);
      if (!parsed) return undefined;
      const [, id, secret] = parsed as unknown as [string, string, string];
      const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row || row.revoked_at) return undefined;
      const expected = Buffer.from(row.secret_hash, "hex");
      const actual = Buffer.from(hashSecret(row.salt, secret), "hex");
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
      return toRecord(row);
    },
  };
}
