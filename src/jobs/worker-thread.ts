import { Worker } from "node:worker_threads";

/**
 * A worker thread running the module at `url`. A TypeScript module (tests, eval and benchmarks
 * run under tsx) cannot be imported by a plain thread: tsx's loader is registered in the thread
 * first, then the module is imported.
 *
 * @example
 * const worker = startModuleWorker(new URL("./screen-worker.js", import.meta.url), { snapshot });
 */
export function startModuleWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  return new Worker(
    `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
    { eval: true, workerData },
  );
}
