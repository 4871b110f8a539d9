import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUNDLED_LISTS_DIR, importLists } from "../src/jobs/import-lists.js";
import { openSqliteStore } from "../src/store/index.js";

/**
 * Times importing every bundled list into an empty SQLite store, then a no-op re-import.
 * Targets (issue 2): full import < 10 s, no-op re-import < 2 s.
 *
 * @example
 * const lines = await benchLists();
 */
export async function benchLists(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "chokepoint-bench-lists-"));
  try {
    const store = await openSqliteStore(join(dir, "bench.sqlite"));
    const t0 = performance.now();
    const first = await importLists(store, [BUNDLED_LISTS_DIR]);
    const t1 = performance.now();
    const second = await importLists(store, [BUNDLED_LISTS_DIR]);
    const t2 = performance.now();
    await store.close();
    const entities = first.results.reduce(
      (sum, r) => sum + (r.status === "rejected" ? 0 : r.version.entityCount),
      0,
    );
    const rejected = first.results.filter((r) => r.status === "rejected").map((r) => r.listId);
    const unchanged = second.results.filter((r) => r.status === "unchanged").length;
    return [
      `lists: full import of ${first.results.length} lists, ${entities} entities: ${((t1 - t0) / 1000).toFixed(2)} s (target < 10 s)${rejected.length ? `; REJECTED: ${rejected.join(", ")}` : ""}`,
      `lists: no-op re-import (${unchanged}/${second.results.length} unchanged): ${((t2 - t1) / 1000).toFixed(2)} s (target < 2 s)`,
      `lists: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchLists()) console.log(line);
}
