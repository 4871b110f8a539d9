import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createScreener } from "../matching/index.js";
import { type ListEntity, listEntitySchema } from "../model/index.js";
import type { Store } from "../store/index.js";
import { availableBackends } from "../store/testing/backends.js";
import { casesOf, decideCase, recordPartyScreenings } from "./cases.js";
import { importCustomers, runMonitoring } from "./monitoring.js";

const backends = await availableBackends();

const FILLER = [
  "ROSTAM",
  "DARIUS",
  "KOUROSH",
  "FARHAD",
  "BIJAN",
  "SOHRAB",
  "ARASH",
  "KAVEH",
  "MEHRDAD",
  "NADER",
];
const SURNAMES = ["KARIMI", "TEHRANI", "SHIRAZI", "ABBASI", "JAFARI"];

function person(id: string, name: string, extra: Record<string, unknown> = {}): ListEntity {
  return listEntitySchema.parse({
    id: `test:${id}`,
    listId: "test",
    nativeId: id,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
    raw: {},
    ...extra,
  });
}

/** 50 listed people nobody is called, plus the ones the test is about. */
function listed(extra: ListEntity[]): ListEntity[] {
  const filler = FILLER.flatMap((first, i) =>
    SURNAMES.map((last, j) => person(`f${i}-${j}`, `${first} ${last}`)),
  );
  return [...filler, ...extra];
}

async function save(store: Store, hash: string, entities: ListEntity[]) {
  return store.saveListVersion({
    listId: "test",
    format: "ftm-jsonl",
    sourceFiles: ["test.jsonl"],
    contentHash: hash,
    entities,
    issues: [],
  });
}

const CUSTOMERS = [
  "id,name,schema,country,dob",
  "C-1,Anna Ivanova,Person,RU,",
  "C-2,Ivan Petrov,Person,RU,",
  "C-3,Boris Godunov,Person,RU,",
  "C-4,Acme Trading LLC,Organization,AE,",
  ...Array.from({ length: 16 }, (_, i) => `C-${i + 5},Customer Number ${i + 5} GmbH,Organization,DE,`),
  "C-99,,Person,,",
].join("\n");

describe.each(backends)("monitoring on $name", (backend) => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;
  let dir: string;

  afterEach(async () => {
    await store?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    const opened = await backend.open();
    store = opened.store;
    cleanup = opened.cleanup;
    dir = mkdtempSync(join(tmpdir(), "chokepoint-monitor-"));
    const file = join(dir, "customers.csv");
    writeFileSync(file, CUSTOMERS);
    await save(store, "v1", listed([person("anna", "ANNA IVANOVA"), person("ivan", "IVAN PETROV")]));
    return importCustomers(store, file, { actor: "alice" });
  }

  it("imports customers, screens them at once and starts monitoring from the current versions", async () => {
    const summary = await open();
    expect(summary).toMatchObject({ read: 21, created: 20, updated: 0, screened: 20, newCases: 2 });
    expect(summary.rejected).toEqual([expect.objectContaining({ id: "C-99" })]);
    const open_ = await casesOf(store).list({ states: ["open"] });
    expect(open_.map((c) => [c.subjectId, c.targetId])).toEqual([
      ["C-1", "test:anna"],
      ["C-2", "test:ivan"],
    ]);
    expect(open_[0]).toMatchObject({ listVersion: 1, entityHash: expect.any(String) });
    expect(await casesOf(store).monitorState()).toEqual(new Map([["test", 1]]));
    expect(await runMonitoring(store)).toEqual({ customersTotal: 20, lists: [], newCases: 0 });
  });

  it("clearance suppresses the hit until the listed record changes in a new version; only the diff is screened", async () => {
    await open();
    const anna = (await casesOf(store).list({ subjectId: "C-1" }))[0]!;
    await decideCase(store, anna.id, {
      decision: "clear",
      reason: "customer born 1994; listed person 1961",
      user: "alice",
    });

    // Version 2: a new listed person matching C-3, IVAN PETROV gains a birth date, ANNA unchanged.
    await save(
      store,
      "v2",
      listed([
        person("anna", "ANNA IVANOVA"),
        person("ivan", "IVAN PETROV", {
          birthDates: [{ text: "1961", kind: "year", from: "1961", to: "1961" }],
        }),
        person("boris", "BORIS GODUNOV"),
      ]),
    );
    const second = await runMonitoring(store, { at: "2026-11-26T00:00:00.000Z" });
    const list = second.lists[0]!;
    expect(list).toMatchObject({
      listId: "test",
      fromVersion: 1,
      toVersion: 2,
      added: 1,
      changed: 1,
      removed: 0,
      entitiesScreened: 2,
      entitiesInList: 53,
      customersScreened: 20,
      customersTotal: 20,
      newCases: 1,
      updatedCases: 1,
      suppressed: 0,
    });
    // Measured: only the customers the added/changed records can reach had any candidate at all.
    expect(list.customersWithCandidates).toBe(2);
    const boris = (await casesOf(store).list({ subjectId: "C-3" }))[0]!;
    expect(list.caseIds).toEqual([boris.id]);
    expect(await casesOf(store).get(anna.id)).toMatchObject({ state: "cleared" });

    // Screening Anna again on the unchanged record: suppressed, and recorded as such.
    const entities = await store.entities();
    const screener = createScreener(entities);
    const again = await recordPartyScreenings(
      store,
      [
        {
          subjectId: "C-1",
          subjectName: "Anna Ivanova",
          query: { name: "Anna Ivanova" },
          matches: screener.screen({ name: "Anna Ivanova" }),
        },
      ],
      { listVersions: { test: 2 }, threshold: screener.threshold },
      { actor: "alice" },
    );
    expect(again[0]).toMatchObject({
      outcome: "suppressed",
      hits: [{ outcome: "suppressed", caseId: anna.id }],
    });
    expect((await casesOf(store).events(anna.id)).map((e) => e.type)).toContain("suppressed");

    // Version 3: ANNA's record changes (a new alias): the clearance no longer holds.
    await save(
      store,
      "v3",
      listed([
        person("anna", "ANNA IVANOVA", {
          names: [
            { full: "ANNA IVANOVA", kind: "primary" },
            { full: "ANNA IVANOVNA", kind: "aka" },
          ],
        }),
        person("ivan", "IVAN PETROV", {
          birthDates: [{ text: "1961", kind: "year", from: "1961", to: "1961" }],
        }),
        person("boris", "BORIS GODUNOV"),
      ]),
    );
    const third = await runMonitoring(store);
    expect(third.lists[0]).toMatchObject({
      added: 0,
      changed: 1,
      entitiesScreened: 1,
      newCases: 1,
      customersWithCandidates: 1,
    });
    const reopened = await casesOf(store).get(anna.id);
    expect(reopened).toMatchObject({ state: "open", listVersion: 3 });
    const last = (await casesOf(store).events(anna.id)).at(-1)!;
    expect(last).toMatchObject({ type: "reopened", fromState: "cleared", toState: "open" });
    expect(last.reason).toMatch(/changed since it was cleared on test v1/);
  });
});
