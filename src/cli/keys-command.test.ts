import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixtureStore } from "../api/testing/fixtures.js";
import { CliError } from "./exit-codes.js";
import { keysCommand } from "./keys-command.js";
import { serveCommand } from "./serve-command.js";

// The commands on a minimal root program with the global options, run in this process.
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const fixture = await fixtureStore();
  home = fixture.home;
  // The commands open the store themselves; release this handle first.
  await fixture.store.close();
  cleanup = fixture.cleanup;
});
afterAll(async () => cleanup?.());

function program(): Command {
  const root = new Command("chokepoint")
    .option("--home <dir>")
    .option("--database-url <url>")
    .addCommand(keysCommand())
    .addCommand(serveCommand());
  // Errors throw instead of exiting the test process, quietly.
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput({ writeErr: () => {} });
    command.commands.forEach(quiet);
  };
  quiet(root);
  return root;
}

async function run(...args: string[]): Promise<string> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program().parseAsync(["node", "chokepoint", "--home", home, "--database-url", "", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe("chokepoint keys", () => {
  it("creates a key and prints it alone on the last line", async () => {
    const out = await run("keys", "create", "--role", "analyst", "--label", "ERP");
    const lines = out.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^ck_[0-9a-f]{12}_[0-9a-f]{64}$/);
    expect(lines[0]).toContain("role analyst, ERP");
  });

  it("lists keys without secrets and revokes by id", async () => {
    const token = (await run("keys", "create", "--role", "viewer")).trim().split("\n").at(-1)!;
    const id = token.slice(3, 15);
    const listed = await run("keys", "list");
    expect(listed).toMatch(new RegExp(`${id}\\s+viewer\\s+active`));
    expect(listed).not.toContain(token.slice(16));
    expect(await run("keys", "revoke", id)).toBe(`revoked API key ${id}\n`);
    const json = JSON.parse(await run("keys", "list", "--json")) as Array<{ id: string; revokedAt?: string }>;
    expect(json.find((key) => key.id === id)?.revokedAt).toEqual(expect.any(String));
  });

  it("refuses an unknown role and an unknown id", async () => {
    await expect(run("keys", "create", "--role", "root")).rejects.toThrow(/Allowed choices/);
    await expect(run("keys", "revoke", "000000000000")).rejects.toBeInstanceOf(CliError);
  });
});

describe("chokepoint serve", () => {
  it("listens on loopback, answers, and stops cleanly on SIGTERM", async () => {
    let err = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    try {
      const serving = program().parseAsync([
        "node",
        "chokepoint",
        "--home",
        home,
        "--database-url",
        "",
        "serve",
        "--port",
        "0",
        "--log-level",
        "silent",
      ]);
      await vi.waitFor(() => expect(err).toMatch(/API on http:\/\/127\.0\.0\.1:\d+/), { timeout: 30_000 });
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(err)![0];
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", entities: 5 });
      process.emit("SIGTERM");
      await serving;
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
