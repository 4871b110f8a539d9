import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import { SourceFileError } from "./types.js";
import {
  detectUkFcdoCsv,
  parseUkFcdo,
  parseUkFcdoCsv,
  parseUkFcdoOds,
  splitSurnameFirst,
} from "./uk-fcdo.js";

const fixtures = join(import.meta.dirname, "fixtures", "uk-fcdo");
const excerptCsv = join(fixtures, "uk-sanctions-list-excerpt.csv");
const excerptOds = join(fixtures, "uk-sanctions-list-excerpt.ods");
const realDir = "/work/shared/data/lists/uk-fcdo";
const realOds = join(realDir, "UK_Sanctions_List_2025-08-11.ods");
const realCsv = join(realDir, "uk-sanctions-list-2025-08-11.csv");
const haveReal = existsSync(realOds) && existsSync(realCsv);

interface Parsed {
  entities: ListEntityInput[];
  issues: ParseIssue[];
  publishedAt?: string;
}

async function parse(file: string): Promise<Parsed> {
  const parsed: Parsed = { entities: [], issues: [] };
  for await (const event of parseUkFcdo({ format: "uk-fcdo-ods", listId: "uk-fcdo", files: [file] })) {
    if (event.type === "entity") parsed.entities.push(event.entity);
    else if (event.type === "issue") parsed.issues.push(event.issue);
    else parsed.publishedAt = event.publishedAt;
  }
  return parsed;
}

function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), "uk-fcdo-test-")), name);
  writeFileSync(path, content);
  return path;
}

const byId = (entities: ListEntityInput[], nativeId: string) => {
  const entity = entities.find((candidate) => candidate.nativeId === nativeId);
  if (!entity) throw new Error(`no ${nativeId}`);
  return entity;
};

describe("detectUkFcdoCsv", () => {
  it.each([
    ["the summary header", readFileSync(excerptCsv, "utf8"), true],
    [
      "the full layout under a title row",
      readFileSync(join(fixtures, "synthetic-full-format.csv"), "utf8"),
      true,
    ],
    ["the BIS DPL", '"Name"\t"Street_Address"\t"City"\n', false],
    ["the US CSL", "source,entity_number,type,programs,name\n", false],
    ["garbage", "\u0000\u0001PK garbage", false],
  ])("%s", (_, head, expected) => {
    expect(detectUkFcdoCsv(head)).toBe(expected);
  });
});

describe("splitSurnameFirst", () => {
  it.each([
    ["Barsukov Alexander Petrovich", { last: "Barsukov", first: "Alexander", patronymic: "Petrovich" }],
    ["MOHAMMAD JAN Abdul Kabir", { last: "MOHAMMAD JAN", first: "Abdul Kabir" }],
    ["HAQQANI SAYYED MOHAMMED", { last: "HAQQANI", first: "SAYYED MOHAMMED" }],
    ["Al-HOUTHI Ali Hussein Badr Al Din", { last: "Al-HOUTHI", first: "Ali Hussein Badr Al Din" }],
    ["HIDAYATULLAH", undefined],
  ])("%s", (name, parts) => {
    expect(splitSurnameFirst(name)).toEqual(parts);
  });
});

describe("parseUkFcdo on the excerpt", () => {
  it("reads each field of the summary sheet (golden)", async () => {
    const { entities, issues, publishedAt } = await parse(excerptOds);
    expect(publishedAt).toBeUndefined();
    expect(entities.map((entity) => entity.nativeId)).toEqual([
      "AFG0007",
      "AFG0012",
      "BEL0174",
      "DPR0075",
      "GUB0009",
      "INU0011",
      "RUS2080",
      "RUS2534",
      "YEM0018",
    ]);
    for (const entity of entities) listEntitySchema.parse(entity);

    const alabuga = byId(entities, "RUS2080");
    expect(alabuga.id).toBe("uk-fcdo:RUS2080");
    expect(alabuga.listId).toBe("uk-fcdo");
    expect(alabuga.schema).toBe("Organization");
    expect(alabuga.name).toBe(
      "JOINT STOCK COMPANY ALABUGA SPECIAL ECONOMIC ZONE PRODUCTION AND INDUSTRIAL TYPE",
    );
    expect(alabuga.names).toEqual([{ full: alabuga.name, kind: "primary" }]);
    expect(alabuga.listedOn).toBe("2024-02-22");
    expect(alabuga.attributes).toEqual({ ofsiGroupId: ["16407"] });
    expect(alabuga.sanctions).toEqual(
      ["Asset freeze", "Director Disqualification Sanction", "Trust Services Sanctions"].map((measure) => ({
        program: "Russia",
        measure,
        authority: "UK",
        startDate: "2024-02-22",
      })),
    );
    expect(alabuga.raw).toEqual([
      {
        "Unique ID": "RUS2080",
        "OFSI Group ID": "16407",
        Name: "JOINT STOCK COMPANY ALABUGA SPECIAL ECONOMIC ZONE PRODUCTION AND INDUSTRIAL TYPE",
        "Regime Name": "Russia",
        Type: "Entity",
        "Designation source": "UK",
        "Date Designated": "22-02-2024",
        "Sanctions Imposed": "Asset freeze, Director Disqualification Sanction, Trust Services Sanctions",
      },
    ]);

    const person = byId(entities, "AFG0007");
    expect(person.schema).toBe("Person");
    expect(person.names).toEqual([
      {
        full: "MOHAMMAD JAN Abdul Kabir",
        kind: "primary",
        parts: { last: "MOHAMMAD JAN", first: "Abdul Kabir" },
      },
    ]);
    expect(person.sanctions?.map((sanction) => sanction.measure)).toEqual(["Asset freeze", "Travel Ban"]);
    expect(person.sanctions?.[0]).toMatchObject({
      program: "Afghanistan",
      authority: "UN",
      startDate: "2001-01-25",
    });

    // Double space in the published name is collapsed in both forms.
    expect(byId(entities, "AFG0012").name).toBe("ABDUL ZAHIR Shams Ur-Rahman");

    const ship = byId(entities, "DPR0075");
    expect(ship.schema).toBe("Vessel");
    expect(ship.name).toBe("Petrel 8");
    expect(ship.attributes).toEqual({});
    expect(ship.sanctions).toEqual([
      {
        program: "Democratic People's Republic of Korea",
        measure: "Prohibition of port entry",
        authority: "UN",
        startDate: "2017-10-03",
      },
    ]);

    expect(byId(entities, "GUB0009").sanctions?.[0]?.authority).toBe("UK|UN");

    // Published without a name: kept, the Unique ID stands in, nothing to index.
    const nameless = byId(entities, "BEL0174");
    expect(nameless.name).toBe("BEL0174");
    expect(nameless.names).toEqual([]);

    // "-, Asset freeze, ..." : the dash is dropped, with a warning.
    expect(byId(entities, "RUS2534").sanctions?.map((sanction) => sanction.measure)).toEqual([
      "Asset freeze",
      "Director Disqualification Sanction",
      "Trust Services Sanctions",
    ]);
    expect(issues.map(({ code, record, field, line }) => ({ code, record, field, line }))).toEqual([
      { code: "empty-measure", record: "uk-fcdo:RUS2534", field: "Sanctions Imposed", line: 9 },
      { code: "missing-name", record: "uk-fcdo:BEL0174", field: "Name", line: 4 },
    ]);
  });

  it("gives identical entities from the .ods and the CSV", async () => {
    const ods = await parse(excerptOds);
    const csv = await parse(excerptCsv);
    expect(csv.entities).toEqual(ods.entities);
    // Issue lines: the sheet row in the .ods, the file line (cells span lines) in the CSV.
    expect(ods.issues.map((issue) => issue.line)).toEqual([9, 4]);
    expect(csv.issues[0]?.line).toBe(11);
  });

  it("exports one parser under both format names", () => {
    expect(parseUkFcdoOds).toBe(parseUkFcdo);
    expect(parseUkFcdoCsv).toBe(parseUkFcdo);
  });
});

describe("parseUkFcdo on the full layout (synthetic)", () => {
  it("merges rows by Unique ID and reads the date in the title row", async () => {
    const { entities, issues, publishedAt } = await parse(join(fixtures, "synthetic-full-format.csv"));
    expect(issues).toEqual([]);
    expect(publishedAt).toBe("2025-08-11");
    expect(entities).toHaveLength(2);
    const person = byId(entities, "TST0001");
    listEntitySchema.parse(person);
    expect(person.schema).toBe("Person");
    expect(person.name).toBe("EXAMPLEV Ivan Petrovich");
    expect(person.names).toEqual([
      {
        full: "EXAMPLEV Ivan Petrovich",
        kind: "primary",
        parts: { last: "EXAMPLEV", first: "Ivan", middle: "Petrovich", title: "Mr" },
      },
      { full: "ЭКЗЕМПЛЕВ Иван", kind: "original-script" },
      { full: "EKZEMPLEV Ivan", kind: "weak-aka", parts: { last: "EKZEMPLEV", first: "Ivan" } },
    ]);
    expect(person.addresses).toEqual([
      {
        full: "1 Test Street, Testgrad, 101000, Russia",
        postalCode: "101000",
        country: { text: "Russia", code: "RU" },
      },
      { full: "2 Other Street, Samplesk, Russia", country: { text: "Russia", code: "RU" } },
    ]);
    expect(person.birthDates).toEqual([
      { text: "01/02/1970", kind: "exact", from: "1970-02-01", to: "1970-02-01" },
    ]);
    expect(person.nationalities).toEqual([{ text: "Russia", code: "RU" }]);
    expect(person.identifiers).toEqual([{ type: "passport", value: "123456789", label: "issued 2015" }]);
    expect(person.remarks).toEqual(["Fictitious record for tests."]);
    expect(person.attributes).toEqual({ ofsiGroupId: ["90001"], position: ["Director"] });
    expect(person.sanctions).toEqual(
      ["Asset freeze", "Travel Ban"].map((measure) => ({
        program: "Russia",
        measure,
        authority: "UK",
        startDate: "2022-03-15",
        reason: "Involved in testing.",
      })),
    );
    expect(person.raw).toHaveLength(2);

    const ship = byId(entities, "TST0002");
    expect(ship.schema).toBe("Vessel");
    expect(ship.identifiers).toEqual([{ type: "imo", value: "9999999" }]);
  });
});

describe("parseUkFcdo on bad input", () => {
  const header = readFileSync(excerptCsv, "utf8").split("\r\n")[0];

  it("skips a row with the wrong column count, with a warning", async () => {
    const file = tempFile(
      "uk.csv",
      `${header}\r\nAFG0001,12703,SOME EXCHANGE,Afghanistan,Entity,UN,29-06-2012\r\nAFG0002,12704,OTHER EXCHANGE,Afghanistan,Entity,UN,29-06-2012,Asset freeze\r\n`,
    );
    const { entities, issues } = await parse(file);
    expect(entities.map((entity) => entity.nativeId)).toEqual(["AFG0002"]);
    expect(issues).toMatchObject([{ code: "column-count", severity: "warning", file: "uk.csv", line: 2 }]);
  });

  it("warns about a bad date, an unknown type and a missing id", async () => {
    const file = tempFile(
      "uk.csv",
      `${header}\r\nX1,1,A NAME,Russia,Robot,UK,31-02-2020,Asset freeze\r\n,2,NO ID,Russia,Entity,UK,01-01-2020,Asset freeze\r\n`,
    );
    const { entities, issues } = await parse(file);
    expect(entities).toHaveLength(1);
    expect(entities[0]?.schema).toBe("LegalEntity");
    expect(entities[0]?.listedOn).toBeUndefined();
    expect(issues.map((issue) => [issue.code, issue.field])).toEqual([
      ["unknown-type", "Type"],
      ["bad-date", "Date Designated"],
      ["missing-id", "Unique ID"],
    ]);
  });

  it.each([
    ["garbage text", "\u0000\u0001 this is not a list\n".repeat(30)],
    ["another list's CSV", "source,entity_number,type,programs,name\nx,1,Entity,,NAME\n"],
    ["an empty file", ""],
  ])("refuses %s with SourceFileError", async (_, content) => {
    await expect(parse(tempFile("bad.csv", content))).rejects.toBeInstanceOf(SourceFileError);
  });

  it("refuses a header without the UK columns", async () => {
    await expect(parse(tempFile("bad.csv", "Unique ID,Foo\r\nA,B\r\n"))).rejects.toThrow(
      /lacks Name, Type or Regime Name/,
    );
  });

  it("refuses a truncated .ods", async () => {
    const bytes = readFileSync(excerptOds);
    await expect(parse(tempFile("bad.ods", bytes.subarray(0, bytes.length - 40)))).rejects.toBeInstanceOf(
      SourceFileError,
    );
  });
});

describe.skipIf(!haveReal)("parseUkFcdo on the published files", () => {
  it("reads 5,302 entities, equal from the .ods and the CSV", async () => {
    const ods = await parse(realOds);
    const csv = await parse(realCsv);
    expect(ods.entities).toHaveLength(5302);
    expect(new Set(ods.entities.map((entity) => entity.id)).size).toBe(5302);
    expect(csv.entities).toEqual(ods.entities);
    for (const entity of ods.entities) listEntitySchema.parse(entity);

    const schemas: Record<string, number> = {};
    for (const entity of ods.entities) schemas[entity.schema] = (schemas[entity.schema] ?? 0) + 1;
    expect(schemas).toEqual({ Person: 3754, Organization: 1087, Vessel: 461 });
    expect(ods.entities.filter((entity) => entity.sanctions?.[0]?.program === "Russia")).toHaveLength(2710);

    const codes = (issues: ParseIssue[]) => issues.map((issue) => issue.code).sort();
    expect(codes(ods.issues)).toEqual([...Array(5).fill("empty-measure"), "missing-name", "missing-name"]);
    expect(codes(csv.issues)).toEqual(codes(ods.issues));
    expect(ods.publishedAt).toBeUndefined();
  });
});
