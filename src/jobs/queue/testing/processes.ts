import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const WORKER_SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * A throw-away PostgreSQL database on the test server (like the store tests' backend).
 *
 * @example
 * const db = await createTestDatabase("jobs"); ... await db.drop();
 */
export async function createTestDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `chokepoint_${tag}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A `chokepoint worker` child process, with its stderr lines collected.
 *
 * @example
 * const worker = spawnWorker({ databaseUrl, home });
 * await worker.waitFor(/waiting for chunks/);
 */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (already seen or coming) that matches; rejects on timeout or exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts a worker process (`node --import tsx worker-process.ts`) on a database.
 *
 * @example
 * const a = spawnWorker({ databaseUrl, home, args: ["--maintenance-interval", "1"] });
 */
export function spawnWorker(options: { databaseUrl: string; home: string; args?: string[] }): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, CHOKEPOINT_HOME: options.home },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffer = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (data: string) => {
    buffer += data;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const listener of listeners) listener();
  });
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line !== undefined) {
            done();
            resolve(line);
          } else if (hasExited) {
            done();
            reject(new Error(`worker exited before ${pattern}:\n${lines.join("\n")}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}:\n${lines.join("\n")}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
