import { createScreener, type Screener } from "../matching/index.js";
import type { ListEntity, ListVersion } from "../model/index.js";
import type { Store } from "../store/index.js";

/**
 * The screener the server answers with, the entities it was built from (by id, for the FtM
 * properties of `/match` results) and the list versions it reflects.
 *
 * @example
 * const index = await buildScreeningIndex(store);
 * index.screener.screen({ name: "Saddam Hussein" })
 */
export interface ScreeningIndex {
  readonly screener: Screener;
  readonly entities: ReadonlyMap<string, ListEntity>;
  readonly versions: readonly ListVersion[];
}

/**
 * Builds a screening index from the current versions in the store. Raw published records are
 * dropped: matching never reads them, and they are most of an entity's memory (`GET /entities`
 * reads the full record from the store).
 *
 * @example
 * const index = await buildScreeningIndex(store, { threshold: 0.8 });
 */
export async function buildScreeningIndex(
  store: Store,
  options: { threshold?: number } = {},
): Promise<ScreeningIndex> {
  const [versions, entities] = await Promise.all([store.currentVersions(), store.entities()]);
  for (const entity of entities) entity.raw = undefined;
  const screener = createScreener(
    entities,
    options.threshold === undefined ? {} : { threshold: options.threshold },
  );
  return { screener, entities: new Map(entities.map((entity) => [entity.id, entity])), versions };
}

/**
 * Holds the current index and swaps in a new one after an import. Requests in flight keep the
 * index they started with; a rebuild that fails leaves the old one serving.
 *
 * @example
 * const holder = new ScreeningHolder(await buildScreeningIndex(store), () => buildScreeningIndex(store));
 * await holder.rebuild();
 */
export class ScreeningHolder {
  private rebuilding: Promise<ScreeningIndex> | undefined;

  constructor(
    private index: ScreeningIndex,
    private readonly build: () => Promise<ScreeningIndex>,
  ) {}

  get current(): ScreeningIndex {
    return this.index;
  }

  /** Rebuilds from the store; concurrent calls share one rebuild. */
  async rebuild(): Promise<ScreeningIndex> {
    if (!this.rebuilding) {
      this.rebuilding = this.build()
        .then((index) => {
          this.index = index;
          return index;
        })
        .finally(() => {
          this.rebuilding = undefined;
        });
    }
    return this.rebuilding;
  }
}
