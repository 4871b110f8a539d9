import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListEntity, listEntitySchema, type ParseIssue } from "../model/index.js";
import { dominantScript } from "./cells.js";
import {
  detectEuJournalCsv,
  EU_JOURNAL_COLUMNS,
  type EuJournalColumn,
  euDerivedRecordId,
  parseEuJournalCsv,
} from "./eu-journal.js";
import { SourceFileError } from "./types.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "eu-journal");
const BUNDLED = join(import.meta.dirname, "..", "..", "data", "lists", "eu-journal");
const HEADER =
  "celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,passportNumber,gender,appearance,ethnicity,fatherName,motherName,incorporationDate,legalForm,sector,registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,okpoCode,leiCode,swiftBic,ticker,imoNumber,mmsi,flag,address,phone,email,website,notes";

const csvFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith(".csv"))
    .sort()
    .map((name) => join(folder, name));

async function parse(files: string[]): Promise<{ entities: ListEntity[]; issues: ParseIssue[] }> {
  const entities: ListEntity[] = [];
  const issues: ParseIssue[] = [];
  for await (const event of parseEuJournalCsv({ format: "eu-journal-csv", listId: "eu", files })) {
    if (event.type === "entity") entities.push(listEntitySchema.parse(event.entity));
    else if (event.type === "issue") issues.push(event.issue);
  }
  return { entities, issues };
}

/** Writes one CSV with the real header and the given rows (cells in header order, missing ones empty). */
function tempCsv(rows: string[], header = HEADER): string {
  const folder = mkdtempSync(join(tmpdir(), "eu-journal-"));
  const file = join(folder, "32099R0001.csv");
  writeFileSync(file, `${[header, ...rows].join("\n")}\n`);
  return file;
}
const blankRow = (cells: Record<number, string>) =>
  Array.from({ length: 45 }, (_, index) => cells[index] ?? "").join(",");

describe("detectEuJournalCsv", () => {
  it.each([
    [HEADER, true],
    [`\uFEFF${HEADER}\n32023R1529,1,...`, true],
    ["ent_num,SDN_Name,SDN_Type,Program", false],
    ['{"id": "x", "schema": "Person"}', false],
  ])("%#", (head, expected) => expect(detectEuJournalCsv(head)).toBe(expected));
});

describe("dominantScript", () => {
  it.each([
    ["Сергей Валерьевич АКСЁНОВ", "Cyrl"],
    ["Iван Сергійович КУСОВ", "Cyrl"], // a Latin "I" in a Ukrainian name
    ["هادى ظهوریان", "Arab"],
    ["北京威旺达电子科技有限责任公司", "Hani"],
    ["서홍찬", "Hang"],
    ["Hadi ZAHOURIAN", undefined],
    ["Məhdud Məsuliyyətli Cəmiyyəti", undefined],
  ])("%s", (text, expected) => expect(dominantScript(text)).toBe(expected));
});

describe("euDerivedRecordId", () => {
  it("is stable under case, accents and punctuation", () => {
    const id = euDerivedRecordId("32002R0881", "I", "Al-Qaida");
    expect(id).toMatch(/^h-[0-9a-f]{8}$/);
    expect(euDerivedRecordId("32002R0881", "I", "AL QAIDA")).toBe(id);
    expect(euDerivedRecordId("32002R0881", "II", "Al-Qaida")).not.toBe(id);
  });
});

describe("parseEuJournalCsv on real excerpts", () => {
  it("matches the golden output", async () => {
    const { entities, issues } = await parse(csvFiles(FIXTURES));
    const golden = entities.map(({ raw: _raw, ...entity }) => entity);
    await expect(`${JSON.stringify({ entities: golden, issues }, null, 2)}\n`).toMatchFileSnapshot(
      join(FIXTURES, "golden.json"),
    );
  });

  it("reads the drone-regime row: original script, national id in the passport column, dates", async () => {
    const { entities } = await parse([join(FIXTURES, "32023R1529.csv")]);
    const hadi = entities.find((entity) => entity.id === "eu:32023R1529:III.A:1")!;
    expect(hadi.schema).toBe("Person");
    expect(hadi.names).toEqual([
      { full: "Hadi ZAHOURIAN", kind: "primary" },
      { full: "هادى ظهوریان", kind: "original-script", script: "Arab" },
    ]);
    expect(hadi.identifiers).toEqual([
      { type: "national-id", value: "0055312047", label: "0055312047 (National ID)" },
    ]);
    expect(hadi.nationalities).toEqual([{ text: "Iranian", code: "IR" }]);
    expect(hadi.gender).toBe("male");
    expect(hadi.sanctions[0]).toMatchObject({
      program: "EU-IRN",
      act: "32023R1529",
      annex: "III.A",
      measure: "Asset freeze",
      startDate: "2023-12-11",
    });
    const ehsan = entities.find((entity) => entity.id === "eu:32023R1529:III.A:3")!;
    expect(ehsan.birthDates).toEqual([{ text: "1983", kind: "year", from: "1983", to: "1983" }]);
  });

  it("splits Latin and Cyrillic aliases given in parentheses", async () => {
    const { entities } = await parse([join(FIXTURES, "32014R0269.csv")]);
    const aksyonov = entities.find((entity) => entity.id === "eu:32014R0269:I.PERSONS:1")!;
    expect(aksyonov.names.map((name) => [name.kind, name.full])).toEqual([
      ["primary", "Sergey Valeryevich AKSYONOV"],
      ["aka", "Sergei Valerievich AKSENOV"],
      ["original-script", "Сергей Валерьевич АКСЁНОВ"],
      ["aka", "Serhiy Valeriyovych AKSYONOV"],
      ["original-script", "Сергiй Валерiйович АКСЬОНОВ"],
    ]);
  });

  it("derives ids for unnumbered rows and merges an entry printed twice", async () => {
    const { entities, issues } = await parse([join(FIXTURES, "32002R0881.csv")]);
    const himmat = entities.filter((entity) => entity.name === "Ali Ghaleb Himmat");
    expect(himmat).toHaveLength(1);
    expect(himmat[0]!.id).toBe(
      `eu:32002R0881:I:${euDerivedRecordId("32002R0881", "I", "Ali Ghaleb Himmat")}`,
    );
    expect(himmat[0]!.addresses.length).toBeGreaterThan(1);
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "duplicate-record", record: himmat[0]!.id, file: "32002R0881.csv" }),
    );
    // Aliases annotated with dates of birth keep only the name.
    const djamel = entities.find((entity) => entity.name === "Djamel Moustfa")!;
    expect(djamel.names.map((name) => name.full)).toContain("Ali Barkani");
    expect(djamel.names.every((name) => !name.full.includes("("))).toBe(true);
  });

  it("skips Asset rows and keeps '5 (a)' record ids", async () => {
    const { entities } = await parse([join(FIXTURES, "32014R0833.csv")]);
    expect(entities.some((entity) => entity.name === "Digital rouble")).toBe(false);
    expect(entities.map((entity) => entity.id)).toContain("eu:32014R0833:IV:702");
    const powerever = entities.find((entity) => entity.id === "eu:32014R0833:IV:702")!;
    expect(powerever.names).toContainEqual({
      full: "北京威旺达电子科技有限责任公司",
      kind: "original-script",
      script: "Hani",
    });
  });

  it("gives unnumbered vessels distinct stable ids", async () => {
    const { entities, issues } = await parse([join(FIXTURES, "32017R1509.csv")]);
    const vessels = entities.filter((entity) => entity.schema === "Vessel");
    expect(vessels.length).toBeGreaterThan(10);
    expect(new Set(vessels.map((entity) => entity.id)).size).toBe(vessels.length);
    const withoutImo = vessels.filter(
      (vessel) => !vessel.identifiers.some((identifier) => identifier.type === "imo"),
    );
    // The Journal prints "Does not exist" as the IMO number of MIN NING DE YOU 078.
    expect(withoutImo.map((vessel) => vessel.name)).toEqual(["MIN NING DE YOU 078"]);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: "bad-identifier",
        record: "eu:32017R1509:XIV.B:33",
        field: "imoNumber",
      }),
    );
  });
});

describe("parseEuJournalCsv on bad input", () => {
  it("throws for an empty file", async () => {
    const file = tempCsv([], "");
    writeFileSync(file, "");
    await expect(parse([file])).rejects.toBeInstanceOf(SourceFileError);
  });

  it("throws for a file without the EU header", async () => {
    await expect(parse([tempCsv(["1,2,3"], "a,b,c")])).rejects.toThrow(/not an EU journal annex CSV/);
  });

  it("throws with file and line for broken quoting", async () => {
    const file = tempCsv([blankRow({ 0: "32099R0001", 7: "Person", 8: '"Unclosed name' })]);
    await expect(parse([file])).rejects.toBeInstanceOf(SourceFileError);
  });

  it("reports recoverable oddities as warnings with file, line, record and field", async () => {
    const file = tempCsv([
      blankRow({ 0: "32099R0001", 1: "1", 3: "I", 7: "Spaceship", 8: "Odd One" }),
      blankRow({ 0: "32099R0001", 1: "2", 3: "I", 7: "Person", 8: "" }),
      blankRow({
        0: "32099R0001",
        1: "3",
        3: "I",
        7: "Person",
        8: "Dated Person",
        15: "sometime last century",
      }),
      "32099R0001,4,EU-X,I,Asset freeze,,,Person,Short Row",
      blankRow({ 0: "32099R0001", 1: "5", 3: "I", 7: "Person", 8: "Moon Person", 13: "Lunar" }),
    ]);
    const { entities, issues } = await parse([file]);
    expect(entities.map((entity) => entity.id)).toEqual([
      "eu:32099R0001:I:1",
      "eu:32099R0001:I:3",
      "eu:32099R0001:I:4",
      "eu:32099R0001:I:5",
    ]);
    expect(entities[0]!.schema).toBe("LegalEntity");
    expect(issues.map((found) => [found.code, found.line, found.record, found.field])).toEqual([
      ["unknown-schema", 2, "eu:32099R0001:I:1", "schema"],
      ["missing-name", 3, "eu:32099R0001:I:2", "name"],
      ["bad-date", 4, "eu:32099R0001:I:3", "birthDate"],
      ["column-count", 5, undefined, undefined],
      ["unknown-country", 6, "eu:32099R0001:I:5", "nationality"],
    ]);
    expect(issues.every((found) => found.file === "32099R0001.csv" && found.severity === "warning")).toBe(
      true,
    );
  });

  it("keeps apart two parties under one record id", async () => {
    const file = tempCsv([
      blankRow({ 0: "32099R0001", 1: "7", 3: "I", 7: "Person", 8: "First Person", 15: "1.1.1960" }),
      blankRow({ 0: "32099R0001", 1: "7", 3: "I", 7: "Person", 8: "Second Person", 15: "1.1.1970" }),
    ]);
    const { entities, issues } = await parse([file]);
    expect(entities.map((entity) => entity.id)).toEqual(["eu:32099R0001:I:7", "eu:32099R0001:I:7#2"]);
    expect(issues.map((found) => found.code)).toEqual(["duplicate-id"]);
  });
});

describe("parseEuJournalCsv on the bundled snapshot", () => {
  it("reads every act with unique ids", async () => {
    const { entities, issues } = await parse(csvFiles(BUNDLED));
    // 8,017 rows: 29 Asset rows skipped, 2 rows printed twice merged.
    expect(entities).toHaveLength(7986);
    expect(new Set(entities.map((entity) => entity.id)).size).toBe(entities.length);
    expect(issues.every((found) => found.severity === "warning")).toBe(true);
    expect(issues.length).toBeLessThan(60);
    // The transcription types every natural person Person: its LegalEntity rows are bodies, read
    // as organisations (no person is screened against them), and none carries a person's facts.
    const schemas = new Set(entities.map((entity) => entity.schema));
    expect(schemas.has("LegalEntity")).toBe(false);
    const bodies = entities.filter((entity) => entity.schema === "Organization");
    expect(bodies.length).toBeGreaterThan(2500);
    expect(bodies.filter((entity) => entity.birthDates.length > 0)).toEqual([]);
  }, 30_000);

  it("reads a LegalEntity row as an Organization unless it carries a person's facts", async () => {
    const column = (name: string) => EU_JOURNAL_COLUMNS.indexOf(name as EuJournalColumn);
    const file = tempCsv([
      blankRow({ 0: "32099R0001", 1: "1", 3: "I.B", 7: "LegalEntity", 8: "Press Bureau" }),
      blankRow({
        0: "32099R0001",
        1: "2",
        3: "I.B",
        7: "LegalEntity",
        8: "Ivan Odd",
        [column("birthDate")]: "1970-01-02",
        [column("gender")]: "male",
      }),
      blankRow({ 0: "32099R0001", 1: "3", 3: "I.B", 7: "Spaceship", 8: "Odd One" }),
    ]);
    const { entities, issues } = await parse([file]);
    expect(entities.map((entity) => entity.schema)).toEqual(["Organization", "LegalEntity", "LegalEntity"]);
    expect(issues.map((found) => [found.code, found.record, found.message])).toEqual([
      [
        "legal-entity-with-person-facts",
        "eu:32099R0001:I.B:2",
        "LegalEntity row with a person's birthDate, gender; kept as LegalEntity (a person or an organisation)",
      ],
      ["unknown-schema", "eu:32099R0001:I.B:3", "unknown schema 'Spaceship'; read as LegalEntity"],
    ]);
  });
});
