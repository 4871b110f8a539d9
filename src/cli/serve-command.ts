import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from "../api/limits.js";
import type { buildServer } from "../api/server.js";
import { DEFAULT_MATCH_THRESHOLD } from "../matching/index.js";
import { openCliStore, storeLocation } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readItemControls } from "./items-command.js";
import { loadOrderRules } from "./orders-command.js";

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function threshold(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

interface ServeOptions {
  host: string;
  port: number;
  importDir?: string[];
  rateLimit: number;
  bodyLimit: number;
  threshold?: number;
  logLevel: string;
}

/**
 * `chokepoint serve [--host 127.0.0.1] [--port 8080]`: the HTTP API (OpenAPI at /openapi.json,
 * docs at /docs) and the review UI at `/` (built into dist/web by `npm run build`). Imports the bundled lists into an empty store first, builds one screener, and
 * runs until SIGINT/SIGTERM, then closes connections and the store.
 *
 * @example
 * program.addCommand(serveCommand());
 * // chokepoint serve --port 8080 --import-dir /srv/chokepoint/incoming
 */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run the HTTP API and the review UI (UI at /, docs at /docs, OpenAPI at /openapi.json)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", integer(0, 65535), 8080)
    .option("--import-dir <dir...>", "folders POST /lists/import may read from (default: <home>/imports)")
    .option("--rate-limit <n>", "requests per API key per minute", integer(1, 10_000_000), DEFAULT_RATE_LIMIT)
    .option(
      "--body-limit <bytes>",
      "largest request body",
      integer(1024, 1024 * 1024 * 1024),
      DEFAULT_BODY_LIMIT,
    )
    .option(
      "--threshold <score>",
      `match threshold of the server's screener (default ${DEFAULT_MATCH_THRESHOLD})`,
      threshold,
    )
    .option("--log-level <level>", `log level (${LOG_LEVELS.join(", ")})`, "info")
    .action(async (options: ServeOptions, command: Command) => {
      if (!LOG_LEVELS.includes(options.logLevel)) {
        throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(", ")}`, EXIT.usage);
      }
      const location = storeLocation(command);
      const importRoots = (options.importDir ?? [join(location.home, "imports")]).map((dir) => resolve(dir));
      await Promise.all(importRoots.map((dir) => mkdir(dir, { recursive: true })));
      const [itemControls, orderRules] = await Promise.all([readItemControls(), loadOrderRules()]);
      const store = await openCliStore(command, { withDefaults: true });
      let app: Awaited<ReturnType<typeof buildServer>>;
      try {
        // Loaded here, not at the top: Fastify and the routes would slow every other command's start.
        const { buildServer } = await import("../api/server.js");
        app = await buildServer({
          store,
          location,
          itemControls,
          orderRules,
          importRoots,
          rateLimit: options.rateLimit,
          bodyLimit: options.bodyLimit,
          ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
          logger: { level: options.logLevel },
        });
        await app.listen({ host: options.host, port: options.port });
      } catch (error) {
        await store.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
          throw new CliError(`cannot listen on ${options.host}:${options.port}: ${code}`, EXIT.usage);
        }
        throw error;
      }
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      process.stderr.write(
        `chokepoint: API on http://${options.host}:${port} (review UI at /, docs at /docs); imports read from ${importRoots.join(", ")}\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          app
            .close()
            .then(() => store.close())
            .finally(done);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
