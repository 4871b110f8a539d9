// The analyst's workspace (issue 7): `audit verify` over 1,000,000 records (target < 30 s), and
// what ongoing monitoring re-screens after a realistic list update (the bundled UN list
// re-imported with a few records changed): customers screened vs total, entities vs list size.
// Run alone: `npx tsx scripts/bench-workspace.ts`; or `npm run bench workspace` once registered.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { verifyAudit } from "../src/jobs/audit.js";
import { casesOf, decideCase } from "../src/jobs/cases.js";
import { BUNDLED_LISTS_DIR, importLists } from "../src/jobs/import-lists.js";
import { importCustomers, runMonitoring } from "../src/jobs/monitoring.js";
import {
  auditHash,
  canonicalJson,
  createAuditRepository,
  GENESIS_HASH,
  kyselyOf,
} from "../src/store/audit-repository.js";
import { openSqliteStore } from "../src/store/index.js";

const AUDIT_RECORDS = 1_000_000;
const AUDIT_TARGET_SECONDS = 30;
const CUSTOMERS = 10_000;

/**
 * Writes `count` chained records straight through better-sqlite3 (one prepared statement, one
 * transaction): the repository's path costs a Kysely compile per 500 rows, which is fine for real
 * appends but would make generating a million take longer than verifying them.
 */
function generateAudit(file: string, count: number): void {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = db.prepare(
    "insert into audit_log (seq, at, actor, action, subject, payload, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const start = Date.UTC(2024, 0, 1);
  let prevHash = GENESIS_HASH;
  db.transaction(() => {
    for (let seq = 1; seq <= count; seq++) {
      const at = new Date(start + seq * 60_000).toISOString();
      const actor = seq % 7 === 0 ? "monitor" : `analyst${seq % 13}`;
      const action = seq % 7 === 0 ? "monitoring.screening" : "case.decision";
      const subject = `case:${(seq % 50_000) + 1}`;
      const payload = canonicalJson({
        caseId: (seq % 50_000) + 1,
        decision: seq % 3 === 0 ? "confirm" : "clear",
        reason: "date of birth and nationality differ from the listed record",
        listVersions: { un: 3, "ofac-sdn": 12 },
        threshold: 0.76,
        score: 0.8 + (seq % 20) / 100,
      });
      const hash = auditHash(prevHash, { seq, at, actor, action, subject, payload });
      insert.run(seq, at, actor, action, subject, payload, prevHash, hash);
      prevHash = hash;
    }
    db.prepare("insert into audit_head (id, seq, hash) values (1, ?, ?)").run(count, prevHash);
  })();
  db.close();
}

async function benchAudit(dir: string): Promise<string[]> {
  const file = join(dir, "audit.sqlite");
  await (await openSqliteStore(file)).close(); // migrations
  const g0 = performance.now();
  generateAudit(file, AUDIT_RECORDS);
  const g1 = performance.now();
  const store = await openSqliteStore(file);
  try {
    const v0 = performance.now();
    const result = await verifyAudit(createAuditRepository(kyselyOf(store)));
    const v1 = performance.now();
    const seconds = (v1 - v0) / 1000;
    return [
      `workspace: audit verify over ${result.records.toLocaleString("en")} records: ${seconds.toFixed(2)} s (target < ${AUDIT_TARGET_SECONDS} s), ${result.ok ? "chain intact" : `BROKEN: ${result.problems[0]?.message}`}; generated in ${((g1 - g0) / 1000).toFixed(1)} s`,
      `workspace: audit verify peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (pages of 20,000 rows, never the whole log)`,
    ];
  } finally {
    await store.close();
  }
}

const FIRST = [
  "James",
  "Maria",
  "Wei",
  "Olga",
  "Ahmed",
  "Priya",
  "Carlos",
  "Yuki",
  "Fatima",
  "Lars",
  "Chen",
  "Sofia",
  "Omar",
  "Anna",
  "Raj",
  "Elena",
  "David",
  "Leila",
  "Mikhail",
  "Grace",
  "Hassan",
  "Ingrid",
  "Tomas",
  "Aisha",
  "Kenji",
  "Lucia",
  "Pavel",
  "Noura",
  "Stefan",
  "Mei",
];
const LAST = [
  "Smith",
  "Garcia",
  "Zhang",
  "Ivanova",
  "Khan",
  "Patel",
  "Silva",
  "Tanaka",
  "Haddad",
  "Nielsen",
  "Wang",
  "Rossi",
  "Farouk",
  "Novak",
  "Sharma",
  "Petrova",
  "Cohen",
  "Karimi",
  "Sokolov",
  "Okafor",
  "Mansour",
  "Berg",
  "Horvat",
  "Bello",
  "Sato",
  "Moreno",
  "Kowalski",
  "Saleh",
  "Weber",
  "Lin",
];
const COMPANY = [
  "Trading",
  "Logistics",
  "Electronics",
  "Components",
  "Industries",
  "Systems",
  "Export",
  "Holdings",
];
const FORM = ["LLC", "GmbH", "Ltd", "FZE", "SA", "BV", "OOO", "Co"];

/**
 * The UN file with the records of `references` amended (a sentence added to the UN's narrative,
 * COMMENTS1, as the Committee does when it updates a listing): a realistic small update.
 */
function amendUnRecords(xml: string, references: ReadonlySet<string>): { xml: string; amended: number } {
  let amended = 0;
  const out = xml.replace(/<(INDIVIDUAL|ENTITY)>[\s\S]*?<\/\1>/g, (block) => {
    const reference = /<REFERENCE_NUMBER>([^<]*)<\/REFERENCE_NUMBER>/.exec(block)?.[1]?.trim();
    if (!reference || !references.has(reference)) return block;
    amended++;
    return block.includes("</COMMENTS1>")
      ? block.replace("</COMMENTS1>", " Listing amended on 25 November 2026.</COMMENTS1>")
      : block.replace(
          /<\/(INDIVIDUAL|ENTITY)>$/,
          "<COMMENTS1>Listing amended on 25 November 2026.</COMMENTS1></$1>",
        );
  });
  return { xml: out, amended };
}

async function benchMonitoring(dir: string): Promise<string[]> {
  const store = await openSqliteStore(join(dir, "monitor.sqlite"));
  try {
    await importLists(store, [join(BUNDLED_LISTS_DIR, "un")]);
    const listed = await store.entities(["un"]);
    // 10,000 customers: 100 of them are UN-listed names, the rest ordinary trading partners.
    const rows = ["id,name,schema,country"];
    for (let i = 0; i < 100; i++) {
      const entity = listed[(i * 7) % listed.length]!;
      rows.push(
        `L-${i},"${entity.name.replaceAll('"', "")}",${entity.schema === "Person" ? "Person" : "Organization"},`,
      );
    }
    for (let i = rows.length - 1; i < CUSTOMERS; i++) {
      if (i % 3 === 0) {
        rows.push(
          `C-${i},${LAST[i % LAST.length]} ${COMPANY[i % COMPANY.length]} ${FORM[(i >> 3) % FORM.length]} ${i},Organization,AE`,
        );
      } else {
        rows.push(
          `C-${i},${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (i % 26))}. ${LAST[(i * 7) % LAST.length]},Person,DE`,
        );
      }
    }
    const csv = join(dir, "customers.csv");
    writeFileSync(csv, `${rows.join("\n")}\n`);
    await importCustomers(store, csv, { screen: false });
    // Baseline: the list never monitored, so every customer is screened against all of it.
    const full = await runMonitoring(store, { at: "2026-11-25T00:00:00.000Z" });
    const baseline = full.lists[0]!;

    // An analyst clears one of the customers whose listed record the update will amend.
    const customerRefs = Array.from({ length: 100 }, (_, i) => listed[(i * 7) % listed.length]!);
    const amendedEntities = [customerRefs[3]!, customerRefs[40]!, ...[11, 222, 333].map((i) => listed[i]!)];
    const clearedCase = (await casesOf(store).list({ subjectId: "L-3" }))[0];
    if (clearedCase)
      await decideCase(store, clearedCase.id, {
        decision: "clear",
        reason: "bench: different person",
        user: "bench",
      });

    // A realistic update: the same UN file with a few listings amended, re-imported.
    const updateDir = join(dir, "un-update");
    const { xml, amended } = amendUnRecords(
      readFileSync(join(BUNDLED_LISTS_DIR, "un", "consolidated.xml"), "utf8"),
      new Set(amendedEntities.map((e) => e.nativeId)),
    );
    mkdirSync(updateDir, { recursive: true });
    writeFileSync(join(updateDir, "consolidated.xml"), xml);
    const report = await importLists(store, [updateDir]);
    const created = report.results.find((r) => r.listId === "un");
    const t0 = performance.now();
    const update = await runMonitoring(store);
    const seconds = (performance.now() - t0) / 1000;
    const list = update.lists[0];
    const counts = await casesOf(store).counts();
    if (!list)
      return [`workspace: monitoring: the update did not create a new UN version (${created?.status})`];
    return [
      `workspace: monitoring baseline (UN never monitored): ${baseline.customersScreened.toLocaleString("en")} customers × ${baseline.entitiesScreened} entities in ${baseline.seconds.toFixed(2)} s, ${baseline.newCases} case(s) opened`,
      `workspace: monitoring after re-importing UN with ${amended} records amended (v${list.fromVersion}→v${list.toVersion}: +${list.added}, ~${list.changed}, -${list.removed}): ` +
        `screened ${list.customersScreened.toLocaleString("en")} of ${list.customersTotal.toLocaleString("en")} customers against ${list.entitiesScreened} of ${list.entitiesInList} entities; ` +
        `${list.customersWithCandidates} customer(s) had candidates, ${list.newCases} new case(s), ${list.updatedCases} updated; ${seconds.toFixed(2)} s (full re-screen ${baseline.seconds.toFixed(2)} s)`,
      `workspace: cases after monitoring: ${Object.entries(counts)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")}`,
    ];
  } finally {
    await store.close();
  }
}

/**
 * Runs the workspace benchmarks and returns one line per measurement.
 *
 * @example
 * for (const line of await benchWorkspace()) console.log(line);
 */
export async function benchWorkspace(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "chokepoint-bench-workspace-"));
  try {
    return [...(await benchMonitoring(dir)), ...(await benchAudit(dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await benchWorkspace()) console.log(`- ${line}`);
}
