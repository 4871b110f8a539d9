import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import { shortHash } from "./bis-dpl.js";
import { SourceFileError } from "./types.js";
import { detectUsCsl, parseCslIdGroup, parseUsCsl, repairC1 } from "./us-csl.js";

const excerpt = join(import.meta.dirname, "fixtures", "us-csl", "csl-excerpt.csv");
const real = "/work/shared/data/lists/us-csl/csl-sample.csv";

async function parse(file: string): Promise<{ entities: ListEntityInput[]; issues: ParseIssue[] }> {
  const entities: ListEntityInput[] = [];
  const issues: ParseIssue[] = [];
  for await (const event of parseUsCsl({ format: "us-csl-csv", listId: "us-csl", files: [file] })) {
    if (event.type === "entity") entities.push(event.entity);
    else if (event.type === "issue") issues.push(event.issue);
  }
  return { entities, issues };
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "csl-test-")), "csl.csv");
  writeFileSync(path, content);
  return path;
}

const header = readFileSync(excerpt, "utf8").split("\n")[0]!;
const byId = (entities: ListEntityInput[], id: string) => {
  const entity = entities.find((candidate) => candidate.id === id);
  if (!entity) throw new Error(`no ${id}`);
  return entity;
};

describe("detectUsCsl", () => {
  it.each([
    ["the CSL header", `${header}\n`, true],
    ["the DPL", '"Name"\t"Street_Address"\t"City"\n', false],
    ["the UK list", "Unique ID,OFSI Group ID,Name,Regime Name\n", false],
    ["garbage", "\u0000\u0001", false],
  ])("%s", (_, head, expected) => {
    expect(detectUsCsl(head)).toBe(expected);
  });
});

describe("parseCslIdGroup", () => {
  it.each([
    [
      "RU, 1137746390572, Registration ID",
      {
        kind: "identifier",
        identifier: {
          type: "registration-number",
          value: "1137746390572",
          label: "Registration ID",
          country: { text: "RU", code: "RU" },
        },
      },
    ],
    [
      "5030056754, Tax ID No.",
      { kind: "identifier", identifier: { type: "tax-id", value: "5030056754", label: "Tax ID No." } },
    ],
    [
      "IMO 8898831, Vessel Registration Identification",
      {
        kind: "identifier",
        identifier: { type: "imo", value: "8898831", label: "Vessel Registration Identification" },
      },
    ],
    [
      "01200175 (Bogota), Matricula Mercantil No",
      {
        kind: "identifier",
        identifier: {
          type: "registration-number",
          value: "01200175 (Bogota)",
          label: "Matricula Mercantil No",
        },
      },
    ],
    [
      "GAZPRUMM, SWIFT/BIC",
      { kind: "identifier", identifier: { type: "swift-bic", value: "GAZPRUMM", label: "SWIFT/BIC" } },
    ],
    [
      "32131525, Government Gazette Number",
      {
        kind: "identifier",
        identifier: { type: "other", value: "32131525", label: "Government Gazette Number" },
      },
    ],
    [
      "Subject to Directive 1, Executive Order 13662 Directive Determination -",
      { kind: "note", text: "Executive Order 13662 Directive Determination: Subject to Directive 1" },
    ],
    ["Panama, Former Vessel Flag", { kind: "attribute", attribute: "pastFlags", value: "Panama" }],
    ["just text", { kind: "unreadable", text: "just text" }],
  ])("%s", (group, expected) => {
    expect(parseCslIdGroup(group)).toEqual(expected);
  });
});

describe("repairC1", () => {
  it("reads C1 controls as the Windows-1252 characters they stood for", () => {
    expect(repairC1("Gui\u0092an \u0080 \u0081")).toBe("Gui\u2019an \u20ac \u0081");
  });
});

describe("parseUsCsl on the excerpt", () => {
  it("reads each field (golden)", async () => {
    const { entities, issues } = await parse(excerpt);
    for (const entity of entities) listEntitySchema.parse(entity);
    expect(entities).toHaveLength(16);

    // A DPL row: no entity_number and no type.
    const dpl = byId(entities, "us-csl:dpl-adrian-manuel-hernandez");
    expect(dpl).toMatchObject({
      listId: "us-csl",
      nativeId: "dpl-adrian-manuel-hernandez",
      schema: "LegalEntity",
    });
    expect(dpl.name).toBe("ADRIAN MANUEL HERNANDEZ");
    expect(dpl.addresses).toEqual([{ full: "3037 S. 69TH DRIVE, PHONEIX, AZ, 85043" }]);
    expect(dpl.sanctions).toEqual([
      {
        sourceList: "Denied Persons List (DPL) - Bureau of Industry and Security",
        authority: "Bureau of Industry and Security",
        act: "82 F.R. 48792 10/20/2017",
        startDate: "2017-10-16",
        endDate: "2020-10-13",
      },
    ]);
    expect(dpl.listedOn).toBe("2017-10-16");
    expect(dpl.remarks).toEqual(["FR NOTICE ADDED"]);
    expect(dpl.attributes).toEqual({
      standardOrder: ["Y"],
      sourceListUrl: ["http://bit.ly/1Qi5heF"],
      sourceUrl: ["http://bit.ly/1iwxiF0"],
    });

    // An SDN entity with a country-qualified identifier.
    const sdn = byId(entities, "us-csl:20264");
    expect(sdn.schema).toBe("Organization");
    expect(sdn.addresses).toEqual([
      { full: "80 SW 8th Street Suite 2000, Miami, FL, 33130, US", country: { text: "US", code: "US" } },
    ]);
    expect(sdn.countries).toEqual([{ text: "US", code: "US" }]);
    expect(sdn.identifiers).toEqual([
      { type: "tax-id", value: "80-0890696", label: "Tax ID No.", country: { text: "US", code: "US" } },
    ]);
    expect(sdn.sanctions).toEqual([
      {
        sourceList: "Specially Designated Nationals (SDN) - Treasury Department",
        program: "SDNTK",
        authority: "Treasury Department",
      },
    ]);

    // A vessel: flag, former flag, IMO, alias.
    const tanker = byId(entities, "us-csl:27304");
    expect(tanker.schema).toBe("Vessel");
    expect(tanker.names).toEqual([
      { full: "ADRIAN DARYA 1", kind: "primary" },
      { full: "GRACE 1", kind: "aka" },
    ]);
    expect(tanker.identifiers).toEqual([
      { type: "imo", value: "9116412", label: "Vessel Registration Identification" },
    ]);
    expect(tanker.attributes).toMatchObject({
      vesselType: ["Crude Oil Tanker"],
      flag: ["Iran"],
      pastFlags: ["Panama"],
    });
    expect(tanker.countries).toEqual([{ text: "Iran", code: "IR" }]);

    // Sanctions notes in `ids` and "Linked To" in remarks.
    const vessel = byId(entities, "us-csl:23156");
    expect(vessel.links).toEqual([{ relation: "Linked To", text: "YUSONG SHIPPING CO" }]);
    expect(vessel.remarks).toEqual([
      "(Linked To: YUSONG SHIPPING CO)",
      "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
    ]);

    // An individual with a year of birth and a place of birth.
    const person = byId(entities, "us-csl:9652");
    expect(person.schema).toBe("Person");
    expect(person.names).toEqual([
      { full: "ZBOUN, Anwar Mohammed", kind: "primary" },
      { full: "AL-ZBOUN, Anwar Muhammad", kind: "aka" },
    ]);
    expect(person.birthDates).toEqual([{ text: "1968", kind: "year", from: "1968", to: "1968" }]);
    expect(person.birthPlaces).toEqual(["Ilar"]);
    expect(person.sanctions?.[0]?.sourceList).toBe(
      "Palestinian Legislative Council List (PLC) - Treasury Department",
    );

    // Five Entity List rows for one name, one per address: five entities, ids from the addresses.
    const migeotte = entities.filter((entity) => entity.name === "Gunther Migeotte");
    expect(migeotte.map((entity) => entity.nativeId)).toEqual(
      [
        "1 River Street, Rosebank, Cape Town, 7700, ZA; P.O. Box 36623, Menlo Park, 102, ZA; 16 Manu Rua, 262 Sprite Avenue, Faerie Glen, 81, ZA; Suite 17-106, The Waverley Business Park, Wyecroft Rd., Cape Town, 7925, ZA",
        "Titangata 1, 1630 , Fredrikstad, NO",
        "Holsneset 19, 6030, Langevad, NO",
        "Titangata 1, N-1630, Gamle, Fredrikstad, NO",
        "H Evjes vei 8A, Gressvik, NO",
      ].map((addresses) => `el-gunther-migeotte-${shortHash(addresses.toUpperCase())}`),
    );
    expect(migeotte[0]?.addresses).toHaveLength(4);

    // A DPL prisoner is a person.
    expect(byId(entities, "us-csl:dpl-adrian-jesus-reyna").schema).toBe("Person");

    // Mojibake repaired, with a warning on the record.
    const huawei = byId(entities, "us-csl:el-gui-an-new-district-huawei-investment-co-ltd-guiyang-guizhou");
    expect(huawei.name).toBe("Gui\u2019an New District Huawei Investment Co., Ltd., Guiyang, Guizhou");
    expect(issues).toEqual([
      {
        code: "mojibake",
        severity: "warning",
        message: `control characters read as Windows-1252 in '${huawei.name}'`,
        file: "csl-excerpt.csv",
        line: 11,
        record: huawei.id,
        field: "name",
      },
    ]);
  });

  it("gives the same ids whatever the row order", async () => {
    const lines = readFileSync(excerpt, "utf8").trimEnd().split("\n");
    const reversed = tempFile(`${[lines[0], ...lines.slice(1).reverse()].join("\n")}\n`);
    const forward = (await parse(excerpt)).entities.map((entity) => entity.id).sort();
    const backward = (await parse(reversed)).entities.map((entity) => entity.id).sort();
    expect(backward).toEqual(forward);
  });
});

describe("parseUsCsl on bad input", () => {
  const columns = header.split(",").length;
  const cells = (values: Record<number, string>) =>
    Array.from({ length: columns }, (_, index) => values[index] ?? "").join(",");

  it("skips a row with the wrong column count, with a warning", async () => {
    const { entities, issues } = await parse(
      tempFile(`${header}\nx,1,Entity,,SHORT ROW\n${cells({ 0: "X (X) - Y", 4: "GOOD ROW" })}\n`),
    );
    expect(entities.map((entity) => entity.name)).toEqual(["GOOD ROW"]);
    expect(issues).toMatchObject([{ code: "column-count", line: 2, file: "csl.csv" }]);
  });

  it("warns about bad dates, unknown types and countries, unreadable ids", async () => {
    const row = cells({
      0: "List (XL) - Agency",
      1: "77",
      2: "Robot",
      4: "ODD ROW",
      8: "sometime",
      23: "not a date",
      24: "Atlantis",
      27: "garbage",
    });
    const { entities, issues } = await parse(tempFile(`${header}\n${row}\n`));
    expect(entities).toHaveLength(1);
    expect(entities[0]).toMatchObject({
      id: "us-csl:77",
      schema: "LegalEntity",
      nationalities: [{ text: "Atlantis" }],
      remarks: ["garbage"],
    });
    expect(issues.map((issue) => [issue.code, issue.field, issue.record])).toEqual([
      ["unknown-type", "type", "us-csl:77"],
      ["bad-date", "start_date", "us-csl:77"],
      ["bad-date", "dates_of_birth", "us-csl:77"],
      ["unknown-country", "nationalities", "us-csl:77"],
      ["unreadable-id", "ids", "us-csl:77"],
    ]);
  });

  it("reports a repeated entity_number and keeps ids unique", async () => {
    const row = (name: string) => cells({ 0: "List (XL) - Agency", 1: "5", 4: name, 6: name });
    const { entities, issues } = await parse(tempFile(`${header}\n${row("ONE")}\n${row("TWO")}\n`));
    expect(new Set(entities.map((entity) => entity.id)).size).toBe(2);
    expect(issues.map((issue) => issue.code)).toEqual(["duplicate-id", "duplicate-id"]);
  });

  it.each([
    ["garbage", "\u0000\u0001\u0002 garbage\n".repeat(50)],
    ["another list", "Unique ID,OFSI Group ID,Name,Regime Name\nA,1,B,Russia\n"],
    ["an empty file", ""],
  ])("refuses %s with SourceFileError", async (_, content) => {
    await expect(parse(tempFile(content))).rejects.toBeInstanceOf(SourceFileError);
  });

  it("refuses malformed quoting with SourceFileError", async () => {
    await expect(parse(tempFile(`${header}\n"a"b,c\n`))).rejects.toBeInstanceOf(SourceFileError);
  });
});

describe.skipIf(!existsSync(real))("parseUsCsl on the published sample", () => {
  it("reads 115 entities, each keeping its source list", async () => {
    const { entities, issues } = await parse(real);
    for (const entity of entities) listEntitySchema.parse(entity);
    expect(entities).toHaveLength(115);
    expect(new Set(entities.map((entity) => entity.id)).size).toBe(115);
    expect(entities.every((entity) => entity.sanctions?.every((sanction) => sanction.sourceList))).toBe(true);
    const schemas: Record<string, number> = {};
    for (const entity of entities) schemas[entity.schema] = (schemas[entity.schema] ?? 0) + 1;
    expect(schemas).toEqual({ LegalEntity: 19, Organization: 71, Vessel: 2, Person: 23 });
    expect(issues.map((issue) => issue.code)).toEqual(["mojibake", "mojibake"]);
  });
});
