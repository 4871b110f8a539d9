import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import { detectCaSemaXml, parseCaSemaXml, personAlias, splitAliases } from "./ca-sema-xml.js";
import type { ParseEvent } from "./types.js";
import { SourceFileError } from "./types.js";

// Nine records cut unchanged from the 2019–2020 file (data/lists/ca-sema/sema-lmes.xml).
const EXCERPT = fileURLToPath(new URL("./fixtures/ca-sema/excerpt.xml", import.meta.url));
// Written for these tests in the element names of the current bilingual file, with a ship.
const BILINGUAL = fileURLToPath(new URL("./fixtures/ca-sema/synthetic-bilingual.xml", import.meta.url));
const FULL = fileURLToPath(new URL("../../data/lists/ca-sema/sema-lmes.xml", import.meta.url));

async function collect(file: string) {
  const events: ParseEvent[] = [];
  for await (const event of parseCaSemaXml({ format: "ca-sema-xml", listId: "ca-sema", files: [file] })) {
    events.push(event);
  }
  const entities = new Map<string, ListEntityInput>();
  const issues: ParseIssue[] = [];
  for (const event of events) {
    if (event.type === "entity") entities.set(event.entity.id, event.entity);
    if (event.type === "issue") issues.push(event.issue);
  }
  return { events, entities, issues };
}

const SEMA = { act: "Special Economic Measures Act", authority: "Global Affairs Canada" };

describe("parseCaSemaXml on an excerpt of the real file", () => {
  let result: Awaited<ReturnType<typeof collect>>;
  const entity = (id: string) => {
    const found = result.entities.get(id);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };
  beforeAll(async () => {
    result = await collect(EXCERPT);
  });

  it("derives ids from regime, schedule and item, and reports nothing", () => {
    expect([...result.entities.keys()]).toEqual([
      "ca-sema:burma:1:1",
      "ca-sema:iran:1:136",
      "ca-sema:russia:1:112",
      "ca-sema:ukraine:1:83",
      "ca-sema:jvcfor:1:54",
      "ca-sema:venezuela:na:55",
      "ca-sema:syria:2:74",
      "ca-sema:russia:1-part-2:52",
      "ca-sema:iran:1:146",
    ]);
    expect(result.issues).toEqual([]);
    for (const parsed of result.entities.values()) expect(() => listEntitySchema.parse(parsed)).not.toThrow();
  });

  it("reads an entity with aliases field by field (Burma 1/1)", () => {
    expect(entity("ca-sema:burma:1:1")).toEqual({
      id: "ca-sema:burma:1:1",
      listId: "ca-sema",
      nativeId: "burma:1:1",
      schema: "Organization",
      name: "Air Bagan",
      names: [
        { full: "Air Bagan", kind: "primary" },
        { full: "Air Bagan Holdings Pte. Ltd.", kind: "aka" },
        { full: "Air Bagan Limited", kind: "aka" },
      ],
      birthDates: [],
      birthPlaces: [],
      nationalities: [],
      citizenships: [],
      countries: [{ text: "Burma / Birmanie", code: "MM" }],
      addresses: [],
      identifiers: [],
      sanctions: [{ ...SEMA, program: "Burma / Birmanie", annex: "Schedule 1, item 1" }],
      remarks: [],
      links: [],
      attributes: {},
      raw: {
        Country: "Burma / Birmanie",
        Entity: "Air Bagan",
        Aliases: "Air Bagan Holdings Pte. Ltd., Air Bagan Limited",
        Schedule: "1",
        Item: "1",
      },
    });
  });

  it("splits bilingual names and the English / French alias lists (IRGC)", () => {
    const irgc = entity("ca-sema:iran:1:136");
    expect(irgc.name).toBe("Islamic Revolutionary Guard Corps/Corps des Gardiens de la Révolution islamique");
    expect(irgc.names?.map((name) => `${name.kind}:${name.full}`)).toEqual([
      "primary:Islamic Revolutionary Guard Corps/Corps des Gardiens de la Révolution islamique",
      "aka:Islamic Revolutionary Guard Corps",
      "aka:Corps des Gardiens de la Révolution islamique",
      "aka:IRGC",
      "aka:Army of the Guardians of the Islamic Revolution",
      "aka:Iranian Revolutionary Guards",
      "aka:IRG",
      "aka:Sepah-e Pasdaran-e Enghelab-e Eslami",
      "aka:GRI",
      "aka:CGRI",
      "aka:l'Armée des Gardiens de la Révolution islamique",
      "aka:Gardiens de la Révolution iranienne",
      // "… Sepah-e Pasdaran-e Enghelab-e Eslami et Pasdaran": the French list's "and".
      "aka:Pasdaran",
    ]);
    expect(irgc.countries).toEqual([{ text: "Iran", code: "IR" }]);
  });

  it("completes person aliases that give only another spelling (SALYAEV)", () => {
    const person = entity("ca-sema:russia:1:112");
    expect(person.schema).toBe("Person");
    expect(person.names).toEqual([
      {
        full: "SALYAEV, Aleksey Mikhailovich",
        kind: "primary",
        parts: { last: "SALYAEV", first: "Aleksey Mikhailovich" },
      },
      {
        full: "SALYAEV, Aleksei Mikhailovich",
        kind: "aka",
        parts: { last: "SALYAEV", first: "Aleksei Mikhailovich" },
      },
      {
        full: "SALYAYEV, Oleksii Mikhailovich",
        kind: "aka",
        parts: { last: "SALYAYEV", first: "Oleksii Mikhailovich" },
      },
      {
        full: "SALIAIEV, Aleksey Mikhailovich",
        kind: "aka",
        parts: { last: "SALIAIEV", first: "Aleksey Mikhailovich" },
      },
    ]);
    expect(person.birthDates).toEqual([
      { text: "1975-12-04", kind: "exact", from: "1975-12-04", to: "1975-12-04" },
    ]);
    expect(person.sanctions).toEqual([
      { ...SEMA, program: "Russia / Russie", annex: "Schedule 1, item 112" },
    ]);
  });

  it("reads a nickname as a weak alias (PAVLOV 'Motorola')", () => {
    expect(entity("ca-sema:ukraine:1:83").names).toEqual([
      { full: "PAVLOV, Arseny", kind: "primary", parts: { last: "PAVLOV", first: "Arseny" } },
      { full: "Motorola", kind: "weak-aka" },
    ]);
  });

  it("reads JVCFOR records: no country, the Magnitsky act, two candidate dates of birth", () => {
    const person = entity("ca-sema:jvcfor:1:54");
    expect(person.countries).toEqual([]);
    expect(person.sanctions).toEqual([
      {
        act: "Justice for Victims of Corrupt Foreign Officials Act",
        authority: "Global Affairs Canada",
        program:
          "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)",
        annex: "Schedule 1, item 54",
      },
    ]);
    expect(person.birthDates).toEqual([
      { text: "1972-08-10", kind: "exact", from: "1972-08-10", to: "1972-08-10" },
      { text: "1972-08-11", kind: "exact", from: "1972-08-11", to: "1972-08-11" },
    ]);
  });

  it("reads records without schedule, with a surname only, with a title", () => {
    const venezuelan = entity("ca-sema:venezuela:na:55");
    expect(venezuelan.name).toBe("BERNAL MARTÍNEZ, Manuel Gregorio");
    expect(venezuelan.countries).toEqual([{ text: "Venezuela", code: "VE" }]);
    expect(venezuelan.sanctions).toEqual([{ ...SEMA, program: "Venezuela", annex: "item 55" }]);
    const syrian = entity("ca-sema:syria:2:74");
    expect(syrian.name).toBe("Nazih");
    expect(syrian.names).toEqual([{ full: "Nazih", kind: "primary", parts: { last: "Nazih" } }]);
    expect(syrian.attributes).toEqual({ title: ["Major General/major-général"] });
  });

  it("keeps a legal form after a comma inside the name", () => {
    const body = entity("ca-sema:russia:1-part-2:52");
    expect(body.name).toBe("Technodinamica Holding, JSC");
    expect(body.names).toEqual([{ full: "Technodinamica Holding, JSC", kind: "primary" }]);
    expect(body.sanctions?.[0]?.annex).toBe("Schedule 1, Part 2, item 52");
  });
});

describe("parseCaSemaXml on the bilingual format", () => {
  it("reads ships as Vessels with IMO numbers, and reports id collisions and unknown elements", async () => {
    const { entities, issues } = await collect(BILINGUAL);
    expect(entities.get("ca-sema:russia:1-part-7:12")).toMatchObject({
      schema: "Vessel",
      name: "EXAMPLE STAR",
      identifiers: [{ type: "imo", value: "9000001", label: "IMO 9000001" }],
      attributes: { vesselType: ["Crude oil tanker|Pétrolier"], buildDate: ["2004"] },
      birthDates: [],
      listedOn: "2025-02-24",
      sanctions: [
        {
          ...SEMA,
          program: "Russia / Russie",
          annex: "Schedule 1, Part 7, item 12",
          startDate: "2025-02-24",
        },
      ],
    });
    expect(entities.get("ca-sema:russia:1-part-1:12")).toMatchObject({
      schema: "Person",
      name: "EXAMPLOV, Ivan Ivanovich",
      birthDates: [{ text: "1970-01-31", kind: "exact", from: "1970-01-31", to: "1970-01-31" }],
    });
    expect(entities.get("ca-sema:russia:1-part-1:12~2")?.name).toBe("EXAMPLOVA, Anna");
    expect(issues.map((issue) => [issue.code, issue.line, issue.record, issue.field])).toEqual([
      ["unknown-field", 24, "ca-sema:russia:1-part-1:12", "Remarks-Remarques"],
      ["duplicate-id", 26, "ca-sema:russia:1-part-1:12", "Item"],
      ["bad-date", 26, "ca-sema:russia:1-part-1:12~2", "DateOfListing"],
    ]);
  });
});

describe("parseCaSemaXml on the full file", () => {
  it("yields 1,369 entities with unique ids and no issues", async () => {
    const { events, entities, issues } = await collect(FULL);
    expect(events.filter((event) => event.type === "entity")).toHaveLength(1369);
    expect(entities.size).toBe(1369);
    const schemas = [...entities.values()].map((entity) => entity.schema);
    expect(schemas.filter((schema) => schema === "Person")).toHaveLength(985);
    expect(schemas.filter((schema) => schema === "Organization")).toHaveLength(384);
    for (const entity of entities.values()) listEntitySchema.parse(entity);
    expect(issues).toEqual([]);
  });
});

describe("malformed input", () => {
  it("throws SourceFileError naming file and line for a truncated file", async () => {
    const text = await readFile(EXCERPT, "utf8");
    const dir = await mkdtemp(join(tmpdir(), "ca-sema-"));
    const file = join(dir, "truncated.xml");
    await writeFile(file, text.slice(0, text.indexOf("<Item>83")));
    const error = await collect(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceFileError);
    expect((error as SourceFileError).file).toBe("truncated.xml");
    expect((error as SourceFileError).line).toBe(text.slice(0, text.indexOf("<Item>83")).split("\n").length);
    expect((error as Error).message).toMatch(/malformed XML: .*unclosed tag/);
  });

  it("throws for XML of another format", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ca-sema-"));
    const file = join(dir, "other.xml");
    await writeFile(file, "<CONSOLIDATED_LIST/>");
    await expect(collect(file)).rejects.toThrow(/other\.xml:1: not a Canada SEMA list/);
  });
});

describe("splitAliases", () => {
  it.each([
    [
      "Air Bagan Holdings Pte. Ltd., Air Bagan Limited",
      ["Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"],
    ],
    ["Shvabe Holding, JSC, Shvabe", ["Shvabe Holding, JSC", "Shvabe"]],
    ["GORT/ORTAS", ["GORT", "ORTAS"]],
    ["(Rosselkhozbank)", ["Rosselkhozbank"]],
    ["ZAO Interavtomatika (IA)", ["ZAO Interavtomatika (IA)"]],
    ["Mills (Hmaw Bi/Pyi), X", ["Mills (Hmaw Bi/Pyi)", "X"]],
    ["A, B/C, D et E", ["A", "B", "C", "D", "E"]],
    ["", []],
  ])("%s", (text, expected) => {
    expect(splitAliases(text)).toEqual(expected);
  });
});

describe("personAlias", () => {
  it.each([
    ["Andrei", "AKIMOV", "Andrey Igorevich", "aka", "AKIMOV, Andrei Igorevich"],
    ["Aleksei", "DYUMIN", "Alexey Gennadyevich", "aka", "DYUMIN, Aleksei Gennadyevich"],
    ["Yevgeny", "GRABCHAK", "Evgeny Petrovich", "aka", "GRABCHAK, Yevgeny Petrovich"],
    [
      "Alexander Alexandrovich",
      "ZHAROV",
      "Aleksandr Aleksandrovich",
      "aka",
      "ZHAROV, Alexander Alexandrovich",
    ],
    ["PASHENKO", "PASHCHENKO", "Natalya Aleksandrovna", "aka", "PASHENKO, Natalya Aleksandrovna"],
    ["Igor STRELKOV", "GIRKIN", "Igor", "aka", "STRELKOV, Igor"],
    ["Anisah Al Assad", "Al Assad", "Anisa", "aka", "Anisah Al Assad"],
    ["Bushra Shawkat", "Al Assad", "Bushra", "aka", "Bushra Shawkat"],
    ["Abou Ezzat", "Khallouf", "Muhammad", "aka", "Abou Ezzat"],
    ["Givi", "TOLSTYKH", "Mikhail", "weak-aka", "Givi"],
    ["Arina", "NOVOSELSKAYA", "Vera Vadimovna", "weak-aka", "Arina"],
  ])("%s for %s, %s", (alias, last, given, kind, full) => {
    expect(personAlias(alias, last, given)).toMatchObject({ kind, full });
  });
});

describe("detectCaSemaXml", () => {
  it("recognises both element naming schemes", async () => {
    expect(detectCaSemaXml((await readFile(EXCERPT, "utf8")).slice(0, 4096))).toBe(true);
    expect(detectCaSemaXml((await readFile(BILINGUAL, "utf8")).slice(0, 4096))).toBe(true);
    expect(detectCaSemaXml('<CONSOLIDATED_LIST dateGenerated="2026-02-27">')).toBe(false);
    expect(detectCaSemaXml("<data-set><row><a>1</a></row></data-set>")).toBe(false);
  });
});
