import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListEntity, listEntitySchema, type ParseIssue } from "../model/index.js";
import { parseEuJournalCsv } from "./eu-journal.js";
import { detectFtmJsonl, entityToFtm, parseFtmJsonl } from "./ftm-jsonl.js";
import { type ParseEvent, SourceFileError } from "./types.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

async function collect(
  files: string[],
  listId = "",
): Promise<{ events: ParseEvent[]; entities: ListEntity[]; issues: ParseIssue[] }> {
  const events: ParseEvent[] = [];
  for await (const event of parseFtmJsonl({ format: "ftm-jsonl", listId, files })) events.push(event);
  return {
    events,
    entities: events.flatMap((event) =>
      event.type === "entity" ? [listEntitySchema.parse(event.entity)] : [],
    ),
    issues: events.flatMap((event) => (event.type === "issue" ? [event.issue] : [])),
  };
}

function tempFile(content: string, name = "list.ftm.jsonl"): string {
  const file = join(mkdtempSync(join(tmpdir(), "ftm-")), name);
  writeFileSync(file, content);
  return file;
}

async function euFixtureEntities(): Promise<ListEntity[]> {
  const folder = join(FIXTURES, "eu-journal");
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".csv"))
    .sort()
    .map((name) => join(folder, name));
  const entities: ListEntity[] = [];
  for await (const event of parseEuJournalCsv({ format: "eu-journal-csv", listId: "eu", files })) {
    if (event.type === "entity") entities.push(listEntitySchema.parse(event.entity));
  }
  return entities;
}

/** Entities built by hand to cover what the EU list does not have: parts, aircraft, ranges, links. */
const HAND_BUILT: ListEntity[] = [
  listEntitySchema.parse({
    id: "ofac-sdn:7843",
    listId: "ofac-sdn",
    nativeId: "7843",
    schema: "Person",
    name: "HUSSEIN AL-TIKRITI, Saddam",
    names: [
      {
        full: "HUSSEIN AL-TIKRITI, Saddam",
        kind: "primary",
        parts: { last: "HUSSEIN AL-TIKRITI", first: "Saddam" },
      },
      { full: "Abu Ali", kind: "weak-aka" },
      { full: "صدام حسين التكريتي", kind: "original-script", script: "Arab" },
    ],
    birthDates: [
      { text: "28 Apr 1937", kind: "exact", from: "1937-04-28", to: "1937-04-28" },
      { text: "circa 1935", kind: "circa", from: "1934", to: "1936" },
    ],
    nationalities: [{ text: "Iraq", code: "IQ" }],
    citizenships: [{ text: "Atlantis" }],
    addresses: [{ street: "Palace Road", city: "Tikrit", country: { text: "Iraq", code: "IQ" } }],
    identifiers: [
      { type: "passport", value: "M0002001", country: { text: "Iraq", code: "IQ" }, label: "Passport" },
    ],
    sanctions: [{ program: "IRAQ2", authority: "OFAC" }],
    links: [{ relation: "Linked To", text: "IRAQI GOVERNMENT" }],
    remarks: ["Deceased."],
    raw: ["7843", "HUSSEIN AL-TIKRITI, Saddam", "individual"],
  }),
  listEntitySchema.parse({
    id: "us-csl:abc123",
    listId: "us-csl",
    nativeId: "abc123",
    schema: "Aircraft",
    name: "EP-MNA",
    names: [{ full: "EP-MNA", kind: "primary" }],
    birthDates: [{ text: "1960 to 1962", kind: "range", from: "1960", to: "1962" }],
    identifiers: [
      { type: "aircraft-serial", value: "24548" },
      { type: "other", value: "X-1", label: "Internal number" },
    ],
    attributes: { aircraftType: ["Boeing 747"], manufacturer: ["Boeing"] },
    raw: { Name: "EP-MNA" },
  }),
];

describe("detectFtmJsonl", () => {
  it.each([
    ['{"id": "NK-1", "schema": "Person", "properties": {"name": ["X"]}, "datasets": ["x"]}\n', true],
    ['\uFEFF{"id":"eu:1","schema":"Vessel","properties":{"name":["Y"]', true], // head cut mid-line
    ["celex,recordId,programKey,annex", false],
    ['{"id": "x", "name": "not ftm"}', false],
    ["<?xml version='1.0'?>", false],
  ])("%#", (head, expected) => expect(detectFtmJsonl(head)).toBe(expected));
});

describe("entityToFtm", () => {
  it("maps the model to FtM properties the schema allows", async () => {
    const hadi = (await euFixtureEntities()).find((entity) => entity.id === "eu:32023R1529:III.A:1")!;
    const ftm = entityToFtm(hadi);
    expect(ftm).toMatchObject({
      id: "eu:32023R1529:III.A:1",
      schema: "Person",
      caption: "Hadi ZAHOURIAN",
      datasets: ["eu"],
    });
    expect(ftm.properties).toEqual({
      name: ["Hadi ZAHOURIAN"],
      alias: ["هادى ظهوریان"],
      birthPlace: ["Tehran, Iran"],
      nationality: ["ir"],
      gender: ["male"],
      idNumber: ["0055312047"],
      program: ["EU-IRN"],
      topics: ["sanction"],
      position: ["Chief Executive Officer (CEO) of Shakad Sanat Asmari"],
    });
    expect(ftm.chokepoint?.entity).toEqual(hadi);
  });

  it("writes ranges as the years they cover and leaves out properties FtM lacks", () => {
    const [saddam, aircraft] = HAND_BUILT.map(entityToFtm);
    expect(saddam!.properties.birthDate).toEqual(["1937-04-28", "1934", "1935", "1936"]);
    expect(saddam!.properties).toMatchObject({
      firstName: ["Saddam"],
      lastName: ["HUSSEIN AL-TIKRITI"],
      weakAlias: ["Abu Ali"],
      address: ["Palace Road, Tikrit, Iraq"],
      passportNumber: ["M0002001"],
    });
    expect(saddam!.properties.citizenship).toBeUndefined(); // no code for "Atlantis"
    expect(aircraft!.schema).toBe("Airplane");
    expect(aircraft!.properties).toEqual({
      name: ["EP-MNA"],
      serialNumber: ["24548"],
      topics: ["sanction"],
      manufacturer: ["Boeing"],
    });
  });
});

describe("parseFtmJsonl round trip", () => {
  it("export then import gives back the same entities, list id announced first", async () => {
    const originals = [...(await euFixtureEntities()), ...HAND_BUILT.slice(0, 1)];
    const euOnly = originals.filter((entity) => entity.listId === "eu");
    const file = tempFile(`${euOnly.map((entity) => JSON.stringify(entityToFtm(entity))).join("\n")}\n`);
    const { events, entities, issues } = await collect([file]);
    expect(events[0]).toEqual({ type: "meta", listId: "eu" });
    expect(issues).toEqual([]);
    expect(entities).toEqual(euOnly);
  });

  it("round-trips hand-built entities of other lists and schemas", async () => {
    for (const original of HAND_BUILT) {
      const file = tempFile(`${JSON.stringify(entityToFtm(original))}\n`);
      const { events, entities } = await collect([file]);
      expect(events[0]).toEqual({ type: "meta", listId: original.listId });
      expect(entities).toEqual([original]);
    }
  });

  it("moves entities into the bundle's list when one is given", async () => {
    const file = tempFile(`${JSON.stringify(entityToFtm(HAND_BUILT[0]!))}\n`);
    const { entities, issues } = await collect([file], "ofac-copy");
    expect(entities[0]).toMatchObject({ id: "ofac-copy:7843", listId: "ofac-copy", nativeId: "7843" });
    expect(issues.map((found) => found.code)).toEqual(["list-id-mismatch"]);
  });
});

describe("parseFtmJsonl on foreign FtM (no extension)", () => {
  it("imports OpenSanctions-style lines through the FtM properties", async () => {
    const { events, entities, issues } = await collect([join(FIXTURES, "ftm", "opensanctions-style.jsonl")]);
    expect(events[0]).toEqual({ type: "meta", listId: "eu-fsf" });
    expect(entities.map((entity) => entity.id)).toEqual([
      "eu-fsf:NK-hadi-zahourian",
      "eu-fsf:NK-ehsan-rahat",
      "eu-fsf:NK-chong-rim-2",
      "eu-fsf:NK-tula-arms",
      "eu-fsf:NK-bad-date",
    ]);
    const [hadi, ehsan, vessel, tula] = entities;
    expect(hadi).toMatchObject({
      schema: "Person",
      name: "Hadi ZAHOURIAN",
      names: [
        { full: "Hadi ZAHOURIAN", kind: "primary" },
        { full: "هادى ظهوریان", kind: "original-script", script: "Arab" },
      ],
      gender: "male",
      nationalities: [{ text: "ir", code: "IR" }],
      birthPlaces: ["Tehran, Iran"],
      identifiers: [{ type: "national-id", value: "0055312047" }],
      sanctions: [{ program: "EU-IRN" }],
      attributes: {
        position: ["Chief Executive Officer (CEO) of Shakad Sanat Asmari"],
        topics: ["sanction"],
        sanctions: ["eu-fsf-sanction-1"],
      },
    });
    expect(ehsan!.names[0]!.parts).toEqual({ first: "Ehsan", last: "Rahat Varnosfadrani" });
    expect(ehsan!.birthDates).toEqual([{ text: "1983", kind: "year", from: "1983", to: "1983" }]);
    expect(vessel).toMatchObject({
      schema: "Vessel",
      identifiers: [{ type: "imo", value: "8916293" }],
      countries: [{ text: "kp", code: "KP" }],
      attributes: { flag: ["kp"] },
    });
    expect(tula!.names.map((name) => name.kind)).toEqual(["primary", "aka", "original-script"]);
    expect(tula!.identifiers).toEqual([
      { type: "inn", value: "7107003303" },
      { type: "website", value: "https://www.itoz.ru/" },
    ]);
    expect(issues.map((found) => [found.code, found.line, found.record, found.field])).toEqual([
      ["bad-json", 7, undefined, undefined],
      ["missing-name", 8, "NK-no-name", "name"],
      ["unknown-schema", 9, "NK-odd", "schema"],
      ["bad-date", 10, "NK-bad-date", "birthDate"],
      ["unknown-country", 10, "NK-bad-date", "nationality"],
    ]);
    expect(issues.every((found) => found.file === "opensanctions-style.jsonl")).toBe(true);
  });

  it("takes the list id from prefixed ids when there is no extension", async () => {
    const file = tempFile(
      '{"id": "un:QDi.001", "schema": "Person", "properties": {"name": ["X Y"]}, "datasets": []}\n',
    );
    const { events, entities } = await collect([file]);
    expect(events[0]).toEqual({ type: "meta", listId: "un" });
    expect(entities[0]).toMatchObject({ id: "un:QDi.001", nativeId: "QDi.001" });
  });

  it("falls back to the FtM properties when the extension is unreadable", async () => {
    const line = { ...entityToFtm(HAND_BUILT[0]!), chokepoint: { version: 1, entity: { id: 42 } } };
    const { entities, issues } = await collect([tempFile(`${JSON.stringify(line)}\n`)]);
    expect(entities[0]).toMatchObject({ id: "ofac-sdn:7843", name: "HUSSEIN AL-TIKRITI, Saddam" });
    expect(issues.map((found) => found.code)).toEqual(["bad-extension"]);
  });
});

describe("parseFtmJsonl on unreadable files", () => {
  it.each([
    ["an empty file", ""],
    ["a CSV file", "celex,recordId\n1,2\n"],
    ["a truncated first line", '{"id": "x", "schema": "Person", "prop'],
  ])("throws for %s", async (_label, content) => {
    await expect(collect([tempFile(content)])).rejects.toBeInstanceOf(SourceFileError);
  });
});
