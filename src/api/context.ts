import type { ItemControls } from "../items/index.js";
import type { Store, StoreLocation } from "../store/index.js";
import type { ScreeningHolder } from "./screening.js";

/**
 * What the route plugins share: the store, where it lives (for code that opens its own
 * connections, such as worker threads), the screening index, and the item control lists.
 *
 * @example
 * await app.register(partyRoutes, { context });
 */
export interface ApiContext {
  readonly store: Store;
  readonly location: StoreLocation;
  readonly screening: ScreeningHolder;
  /** Compiled CHPL / UAV controls; undefined makes `/screen/items` and `/screen/orders` answer 503. */
  readonly itemControls: ItemControls | undefined;
  /** Folders `POST /lists/import` may read from (absolute, symlinks resolved); empty disables it. */
  readonly importRoots: readonly string[];
}
