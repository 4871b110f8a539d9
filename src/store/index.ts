export { changedFields, KyselyStore } from "./kysely-store.js";
export { openStore, resolveHome, type StoreLocation } from "./open.js";
export { openSqliteStore } from "./sqlite.js";
export * from "./types.js";
