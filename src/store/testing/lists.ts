import type { ListEntity } from "../../model/index.js";
import type { Store } from "../types.js";

/**
 * Stores each list of test entities as version 1 (an FtM JSON-lines import of `<listId>.jsonl`).
 *
 * @example
 * await saveTestLists(store, { "test-sdn": [entity("test-sdn", "1", "MAHAN AIR")] });
 */
export async function saveTestLists(store: Store, lists: Record<string, ListEntity[]>): Promise<void> {
  for (const [listId, entities] of Object.entries(lists)) {
    await store.saveListVersion({
      listId,
      format: "ftm-jsonl",
      sourceFiles: [`${listId}.jsonl`],
      contentHash: `fixture-${listId}`,
      entities,
      issues: [],
    });
  }
}
