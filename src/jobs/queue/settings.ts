// Queue settings, apart from the queue so that the CLI can show the defaults without loading pg-boss.

/**
 * How the queue retries. A worker killed mid-chunk leaves its message active; pg-boss's
 * maintenance (every `maintenanceIntervalSeconds`, in any worker) sees it past `expireInSeconds`
 * and puts it back for another worker, up to `retryLimit` times.
 */
export interface QueueSettings {
  /** Longest a chunk may be worked on before it is handed to another worker. */
  expireInSeconds: number;
  retryLimit: number;
  /** Pause before a failed chunk's first retry (doubling after each further failure). */
  retryDelaySeconds: number;
  maintenanceIntervalSeconds: number;
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds: number;
}

/**
 * Defaults: 1,000 rows screen in a few seconds, so two minutes means "the worker is gone", not
 * "the worker is slow"; a lost chunk is back in the queue within about two and a quarter minutes.
 */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  expireInSeconds: 120,
  retryLimit: 5,
  retryDelaySeconds: 2,
  maintenanceIntervalSeconds: 15,
  pollingIntervalSeconds: 1,
};
