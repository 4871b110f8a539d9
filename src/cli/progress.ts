import cliProgress from "cli-progress";

/** A progress display that is a real bar on a terminal and silent otherwise (pipes, CI, files). */
export interface Progress {
  start(total: number, label: string): void;
  update(value: number, label?: string): void;
  stop(): void;
}

const SILENT: Progress = { start() {}, update() {}, stop() {} };

/**
 * Creates a progress bar on stderr when stderr is a terminal, so JSON on stdout stays clean.
 *
 * @example
 * const bar = createProgress(); bar.start(100, "un"); bar.update(50); bar.stop();
 */
export function createProgress(enabled = Boolean(process.stderr.isTTY)): Progress {
  if (!enabled) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      format: " {label} [{bar}] {value}/{total}",
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label });
      running = true;
    },
    update(value, label) {
      if (!running) return;
      if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value, label === undefined ? {} : { label });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
