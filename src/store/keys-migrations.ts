import type { Migration } from "./schema.js";

/** Tables of the keys feature (see src/store/keys-repository.ts). Append-only. */
export const KEYS_MIGRATIONS: Migration[] = [];
