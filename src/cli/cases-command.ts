import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Command, Option } from "commander";
import { auditOf, auditRange, exportAudit, verifyAudit } from "../jobs/audit.js";
import { assignCase, CaseInputError, casesOf, commentCase, decideCase } from "../jobs/cases.js";
import { importCustomers, type MonitoringSummary, runMonitoring } from "../jobs/monitoring.js";
import { CASE_DECISIONS, CASE_STATES, type Case, type CaseState } from "../model/case.js";
import { SourceFileError } from "../sources/types.js";
import { type Store, StoreError } from "../store/index.js";
import { openCliStore, warnAboutFile } from "./context.js";
import { CliError, EXIT } from "./exit-codes.js";

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

function parseId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0)
    throw new CliError(`case id must be a positive whole number, got ${value}`, EXIT.usage);
  return id;
}

function parseVersion(value: string): number {
  const version = Number(value);
  if (!Number.isInteger(version) || version <= 0)
    throw new CliError(`--expected-version must be a positive whole number, got ${value}`, EXIT.usage);
  return version;
}

/** Opens the store, runs `work`, closes it, and turns store and input errors into CLI errors. */
async function withStore<T>(
  command: Command,
  work: (store: Store) => Promise<T>,
  options: { withDefaults?: boolean } = {},
): Promise<T> {
  const store = await openCliStore(command, options);
  try {
    return await work(store);
  } catch (error) {
    if (error instanceof CaseInputError) throw new CliError(error.message, EXIT.usage);
    if (error instanceof SourceFileError) throw new CliError(error.message, EXIT.input);
    if (error instanceof StoreError) {
      // A conflict or a refused change is the user's to resolve; an unreachable store is not.
      const code = error.kind === "unavailable" ? EXIT.store : EXIT.partial;
      throw new CliError(error.kind === "conflict" ? `conflict: ${error.message}` : error.message, code);
    }
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * A command group whose subcommands throw usage errors to `main` (exit code 2) instead of calling
 * process.exit: subcommands copy these settings when created, `addCommand` does not.
 */
function group(name: string, description: string): Command {
  return new Command(name).description(description).exitOverride().showHelpAfterError();
}

const pad = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

function caseLine(c: Case): string {
  return [
    String(c.id).padStart(5),
    pad(c.state, 10),
    c.score.toFixed(2),
    pad(`${c.subjectId} ${c.subjectName}`, 32),
    pad(`${c.targetId} ${c.targetName}`, 40),
    pad(c.assignee ?? "-", 10),
    `v${c.version}`,
  ].join("  ");
}

/**
 * `chokepoint cases list|show|decide|assign|comment`: the review queue from the command line.
 *
 * @example
 * program.addCommand(casesCommand());
 */
export function casesCommand(): Command {
  const cases = group("cases", "review cases opened by screening and monitoring");

  cases
    .command("list")
    .description("list cases (all states unless --state)")
    .addOption(new Option("--state <state...>", "only cases in these states").choices(CASE_STATES))
    .option("--assignee <name>", "only cases assigned to this user")
    .option("--limit <n>", "at most this many cases", "1000")
    .option("--json", "one JSON object per line")
    .action(
      async (
        options: { state?: CaseState[]; assignee?: string; limit: string; json?: boolean },
        command: Command,
      ) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit <= 0)
          throw new CliError(`--limit must be a positive whole number`, EXIT.usage);
        await withStore(command, async (store) => {
          const repo = casesOf(store);
          const list = await repo.list({
            ...(options.state ? { states: options.state } : {}),
            ...(options.assignee ? { assignee: options.assignee } : {}),
            limit,
          });
          if (options.json) {
            for (const c of list) await write(`${JSON.stringify(c)}\n`);
            return;
          }
          const counts = await repo.counts();
          await write(
            `   id  state       score  subject                           target                                    assignee    version\n`,
          );
          for (const c of list) await write(`${caseLine(c)}\n`);
          await write(`${CASE_STATES.map((s) => `${s}: ${counts[s]}`).join("  ")}\n`);
        });
      },
    );

  cases
    .command("show")
    .description("one case with its history")
    .argument("<id>", "case id", parseId)
    .option("--json", "as JSON")
    .action(async (id: number, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const repo = casesOf(store);
        const found = await repo.get(id);
        if (!found) throw new StoreError("not-found", `no case ${id}`);
        const events = await repo.events(id);
        if (options.json) {
          await write(`${JSON.stringify({ ...found, events }, null, 2)}\n`);
          return;
        }
        const lines = [
          `case ${found.id} — ${found.state} (version ${found.version})${found.assignee ? `, assigned to ${found.assignee}` : ""}`,
          `subject:  ${found.subjectKind} ${found.subjectId} "${found.subjectName}"`,
          `query:    ${JSON.stringify(found.query)}`,
          `target:   ${found.targetId} "${found.targetName}"${found.listId ? ` on ${found.listId} v${found.listVersion ?? "?"}` : ""}`,
          `score:    ${found.score}  (hits: ${found.hitCount}, last ${found.lastHitAt})`,
          `summary:  ${(found.match as { explanation?: { summary?: string } } | null)?.explanation?.summary ?? "-"}`,
          "history:",
          ...events.map(
            (e) =>
              `  ${e.at}  ${e.actor.padEnd(10)} ${e.type}${e.fromState || e.toState ? ` ${e.fromState ?? ""}→${e.toState ?? ""}` : ""}${e.reason ? `: ${e.reason}` : ""}`,
          ),
        ];
        await write(`${lines.join("\n")}\n`);
      });
    });

  cases
    .command("decide")
    .description("clear (false positive), confirm (true match) or escalate a case, with a reason")
    .argument("<id>", "case id", parseId)
    .addOption(
      new Option("--decision <decision>", "the decision").choices(CASE_DECISIONS).makeOptionMandatory(),
    )
    .requiredOption("--reason <text>", "why (required: kept in the audit trail)")
    .requiredOption("--user <name>", "who decides")
    .addOption(
      new Option("--expected-version <n>", "refuse if the case changed since this version").argParser(
        parseVersion,
      ),
    )
    .option("--expires <date>", "a clearance stops suppressing the hit after this date")
    .option("--json", "print the updated case as JSON")
    .action(
      async (
        id: number,
        options: {
          decision: string;
          reason: string;
          user: string;
          expectedVersion?: number;
          expires?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withStore(command, async (store) => {
          const result = await decideCase(store, id, {
            decision: options.decision,
            reason: options.reason,
            user: options.user,
            ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
            ...(options.expires ? { expiresAt: options.expires } : {}),
          });
          if (options.json) await write(`${JSON.stringify(result)}\n`);
          else
            await write(
              `case ${id}: ${result.case.state} by ${options.user} (version ${result.case.version})${result.clearance ? `; ${result.clearance.subjectId} × ${result.clearance.entityId} allow-listed until the record changes${result.clearance.expiresAt ? ` or ${result.clearance.expiresAt}` : ""}` : ""}\n`,
            );
        });
      },
    );

  cases
    .command("assign")
    .description("assign a case to an analyst (an open case moves to in review)")
    .argument("<id>", "case id", parseId)
    .requiredOption("--to <name>", "assignee")
    .requiredOption("--user <name>", "who assigns")
    .option("--reason <text>", "why")
    .addOption(
      new Option("--expected-version <n>", "refuse if the case changed since this version").argParser(
        parseVersion,
      ),
    )
    .action(
      async (
        id: number,
        options: { to: string; user: string; reason?: string; expectedVersion?: number },
        command: Command,
      ) => {
        await withStore(command, async (store) => {
          const updated = await assignCase(store, id, {
            assignee: options.to,
            user: options.user,
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
          });
          await write(
            `case ${id}: assigned to ${options.to}, ${updated.state} (version ${updated.version})\n`,
          );
        });
      },
    );

  cases
    .command("comment")
    .description("add a comment to a case's history")
    .argument("<id>", "case id", parseId)
    .requiredOption("--user <name>", "who comments")
    .requiredOption("--text <text>", "the comment")
    .action(async (id: number, options: { user: string; text: string }, command: Command) => {
      await withStore(command, async (store) => {
        const event = await commentCase(store, id, options);
        await write(`case ${id}: comment ${event.seq} added\n`);
      });
    });
  return cases;
}

/**
 * `chokepoint customers import CSV | list`: the customers monitoring watches.
 *
 * @example
 * program.addCommand(customersCommand());
 */
export function customersCommand(): Command {
  const customers = group("customers", "customers kept for ongoing monitoring");
  customers
    .command("import")
    .description(
      "store the customers of a CSV (id,name[,schema,country,dob,address,identifier]) and screen them",
    )
    .argument("<csv>", "CSV file, same columns as screen")
    .option("--no-screen", "store only; do not screen now")
    .option("--user <name>", "who imports (for the audit trail)", "import")
    .option("--json", "print the summary as JSON")
    .action(
      async (file: string, options: { screen: boolean; user: string; json?: boolean }, command: Command) => {
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) throw new CliError(`cannot read ${file}: no such file`, EXIT.input);
        // Screening needs lists: a first run imports the bundled snapshot, as `screen` does.
        await withStore(
          command,
          async (opened) => {
            const summary = await importCustomers(opened, file, {
              actor: options.user,
              screen: options.screen,
              onIssue: warnAboutFile(file),
            });
            if (options.json) await write(`${JSON.stringify(summary)}\n`);
            else {
              await write(
                `${summary.read} row(s): ${summary.created} new, ${summary.updated} updated, ${summary.rejected.length} rejected; screened ${summary.screened}, ${summary.newCases} new case(s)\n`,
              );
              for (const r of summary.rejected) await write(`  line ${r.line} (${r.id}): ${r.message}\n`);
            }
            if (summary.rejected.length > 0) process.exitCode = EXIT.partial;
          },
          { withDefaults: options.screen },
        );
      },
    );
  customers
    .command("list")
    .description("stored customers")
    .option("--json", "one JSON object per line")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        for (const c of await casesOf(store).customers()) {
          await write(
            options.json
              ? `${JSON.stringify(c)}\n`
              : `${pad(c.id, 12)}  ${pad(c.name, 40)}  ${pad(c.schema ?? "-", 12)}  ${c.country ?? "-"}\n`,
          );
        }
      });
    });
  return customers;
}

/**
 * Prints a monitoring summary for a terminal.
 *
 * @example
 * formatMonitoringSummary(summary) // "un v1→v2: +1 added, 3 changed ... 2 of 10000 customers had candidates; 1 new case(s)"
 */
export function formatMonitoringSummary(summary: MonitoringSummary): string {
  if (summary.lists.length === 0)
    return `no new list versions since the last run (${summary.customersTotal} customers)`;
  return summary.lists
    .map(
      (l) =>
        `${l.listId} v${l.fromVersion}→v${l.toVersion}: +${l.added} added, ${l.changed} changed, ${l.removed} removed; ` +
        `screened ${l.customersScreened} of ${l.customersTotal} customers against ${l.entitiesScreened} of ${l.entitiesInList} entities; ` +
        `${l.customersWithCandidates} had candidates; ${l.newCases} new case(s)${l.caseIds.length ? ` [${l.caseIds.join(", ")}]` : ""}, ` +
        `${l.updatedCases} updated, ${l.suppressed} suppressed (${l.seconds} s)`,
    )
    .join("\n");
}

/**
 * `chokepoint monitor run`: re-screen stored customers against what changed since the last run.
 *
 * @example
 * program.addCommand(monitorCommand());
 */
export function monitorCommand(): Command {
  const monitor = group("monitor", "ongoing monitoring of stored customers");
  monitor
    .command("run")
    .description("re-screen customers against the entities added or changed since the last run")
    .option("--lists <ids>", "comma-separated list ids (default: all)")
    .option("--user <name>", "actor named in the audit trail", "monitor")
    .option("--json", "print the summary as JSON")
    .action(async (options: { lists?: string; user: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const lists = options.lists
          ?.split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const summary = await runMonitoring(store, { actor: options.user, ...(lists ? { lists } : {}) });
        await write(options.json ? `${JSON.stringify(summary)}\n` : `${formatMonitoringSummary(summary)}\n`);
      });
    });
  return monitor;
}

/**
 * `chokepoint audit verify | export`: the tamper-evident trail.
 *
 * @example
 * program.addCommand(auditCommand());
 */
export function auditCommand(): Command {
  const audit = group("audit", "the tamper-evident audit trail");
  audit
    .command("verify")
    .description("check the hash chain; names every edited, inserted or deleted record")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const started = performance.now();
        const result = await verifyAudit(auditOf(store));
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (options.json) await write(`${JSON.stringify({ ...result, seconds: Number(seconds) })}\n`);
        else if (result.ok)
          await write(
            `audit trail intact: ${result.records} record(s), head ${result.head?.hash ?? "-"} (${seconds} s)\n`,
          );
        else {
          await write(
            `audit trail TAMPERED: ${result.problems.length}${result.truncated ? "+" : ""} problem(s) in ${result.records} record(s)\n`,
          );
          for (const p of result.problems) await write(`  seq ${p.seq}: ${p.kind}: ${p.message}\n`);
        }
        if (!result.ok) process.exitCode = EXIT.partial;
      });
    });
  audit
    .command("export")
    .description("records of a date range as JSON lines, for an auditor")
    .option("--from <date>", "first day (YYYY-MM-DD) or timestamp, inclusive")
    .option("--to <date>", "last day (YYYY-MM-DD, inclusive) or timestamp (exclusive)")
    .option("-o, --output <file>", "write to this file instead of standard output")
    .action(async (options: { from?: string; to?: string; output?: string }, command: Command) => {
      let range: { from: string; to: string };
      try {
        range = auditRange(options.from, options.to);
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.usage);
      }
      await withStore(command, async (store) => {
        const out = options.output ? createWriteStream(options.output) : undefined;
        let count = 0;
        for await (const line of exportAudit(auditOf(store), range)) {
          count++;
          if (out) {
            if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
          } else await write(line);
        }
        if (out) {
          await new Promise<void>((resolve, reject) =>
            out.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
          process.stderr.write(`chokepoint: ${count} audit record(s) written to ${options.output}\n`);
        }
      });
    });
  return audit;
}
