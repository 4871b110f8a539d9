import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import {
  detectBisDpl,
  dplNameKey,
  dplNativeIds,
  guessPartySchema,
  parseBisDpl,
  shortHash,
  splitInlineAliases,
} from "./bis-dpl.js";
import { slugify } from "./cells.js";
import { SourceFileError } from "./types.js";

const excerpt = join(import.meta.dirname, "fixtures", "bis-dpl", "dpl-excerpt.txt");
const real = "/work/shared/data/lists/bis-dpl/dpl.txt";
const AUTHORITY = "US Department of Commerce, Bureau of Industry and Security";

async function parse(file: string): Promise<{ entities: ListEntityInput[]; issues: ParseIssue[] }> {
  const entities: ListEntityInput[] = [];
  const issues: ParseIssue[] = [];
  for await (const event of parseBisDpl({ format: "bis-dpl-tsv", listId: "bis-dpl", files: [file] })) {
    if (event.type === "entity") entities.push(event.entity);
    else if (event.type === "issue") issues.push(event.issue);
  }
  return { entities, issues };
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "dpl-test-")), "dpl.txt");
  writeFileSync(path, content);
  return path;
}

const header = readFileSync(excerpt, "utf8").split("\n")[0]!;
const row = (cells: string[]) => cells.map((cell) => `"${cell}"`).join("\t");

describe("detectBisDpl", () => {
  it.each([
    ["the DPL header", `${header}\n`, true],
    ["the US CSL", "source,entity_number,type,programs,name,alt_names,ids\n", false],
    ["an unrelated TSV", "Name\tAddress\n", false],
    ["garbage", "\u0000PK\u0003\u0004", false],
  ])("%s", (_, head, expected) => {
    expect(detectBisDpl(head)).toBe(expected);
  });
});

describe("guessPartySchema", () => {
  it.each([
    ["ARROWTRONIC, LLC", [], "Organization"],
    ["COTRICOM S.A.", [], "Organization"],
    ["YARRA ANSTALT A.G.", [], "Organization"],
    ["SYNAPTIX.NET", [], "Organization"],
    ["ABEL HERNANDEZ, JR.", [], "Person"],
    ["PROFESSOR MOJTABA ATARODI", [], "Person"],
    ["AJAY AHUJA", ["INMATE NUMBER: 13991-029, FMC ROCHESTER, P.O. BOX 4000"], "Person"],
    ["AJAY AHUJA", ["12 MAIN STREET"], "LegalEntity"],
    // A two-letter form only counts last: "SA" is also a surname.
    ["JOAO SA PEREIRA", [], "LegalEntity"],
    ["KOSARIAN FARD", [], "LegalEntity"],
  ] as const)("%s", (name, addresses, expected) => {
    expect(guessPartySchema(name, [...addresses])).toBe(expected);
  });
});

describe("splitInlineAliases", () => {
  it.each([
    ["FUYI SUN A/K/A FRANK SUN", { base: "FUYI SUN", aliases: ["FRANK SUN"] }],
    ["PEARL (A.K.A. NEI-CHIEN CHU) LI", { base: "PEARL LI", aliases: ["NEI-CHIEN CHU"] }],
    ["SIBERIAN AIRLINES D/B/A S7 AIRLINES", { base: "SIBERIAN AIRLINES", aliases: ["S7 AIRLINES"] }],
    ["SAMMY (IHSAN MEDHAT) ELASHI", { base: "SAMMY (IHSAN MEDHAT) ELASHI", aliases: [] }],
  ])("%s", (name, expected) => {
    expect(splitInlineAliases(name)).toEqual(expected);
  });
});

describe("dplNativeIds", () => {
  it("slugs the name and keeps the bare slug for the plain spelling in a collision", () => {
    const ids = dplNativeIds(["AL-NASER AIRLINES", "AL NASER AIRLINES", "ABEL HERNANDEZ, JR."]);
    expect(ids.get("AL NASER AIRLINES")).toBe("al-naser-airlines");
    expect(ids.get("AL-NASER AIRLINES")).toBe(`al-naser-airlines-${shortHash("AL-NASER AIRLINES")}`);
    expect(ids.get("ABEL HERNANDEZ, JR.")).toBe("abel-hernandez-jr");
  });

  it("does not depend on order", () => {
    const keys = ["B, C", "B C", "B-C", "A"];
    const forward = dplNativeIds(keys);
    const backward = dplNativeIds([...keys].reverse());
    expect([...forward.entries()].sort()).toEqual([...backward.entries()].sort());
    expect(new Set(forward.values()).size).toBe(4);
  });

  it("groups rows by name regardless of stray spaces and case", () => {
    expect(dplNameKey(" I. ASH")).toBe(dplNameKey("I.  Ash"));
    expect(slugify("Gui’an Ñandú")).toBe("gui-an-nandu");
  });
});

describe("parseBisDpl on the excerpt", () => {
  it("merges rows per party and reads each field (golden)", async () => {
    const { entities, issues } = await parse(excerpt);
    for (const entity of entities) listEntitySchema.parse(entity);
    expect(entities.map((entity) => entity.id)).toEqual([
      "bis-dpl:i-ash",
      "bis-dpl:abdulah-al-nasser",
      "bis-dpl:abel-hernandez-jr",
      "bis-dpl:al-naser-airlines",
      `bis-dpl:al-naser-airlines-${shortHash("AL-NASER AIRLINES")}`,
      "bis-dpl:arrowtronic-llc",
      "bis-dpl:fuyi-sun-a-k-a-frank-sun",
      "bis-dpl:kosarian-fard",
      "bis-dpl:pearl-a-k-a-nei-chien-chu-li",
      "bis-dpl:stephen-edward-smith",
      "bis-dpl:adt-analog-and-digital-technik",
    ]);

    // " I. ASH" and "I. ASH": one party, three rows, three addresses, three orders.
    const ash = entities[0]!;
    expect(ash).toMatchObject({
      listId: "bis-dpl",
      nativeId: "i-ash",
      schema: "Person",
      name: "I. ASH",
      listedOn: "2002-03-04",
    });
    expect(ash.names).toEqual([{ full: "I. ASH", kind: "primary" }]);
    expect(ash.raw).toHaveLength(3);
    expect(ash.addresses?.[0]).toEqual({
      full: "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US",
      street:
        "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175",
      city: "SEAGOVILLE",
      region: "TX",
      postalCode: "75159",
      country: { text: "US", code: "US" },
    });
    expect(ash.addresses).toHaveLength(3);
    expect(ash.countries).toEqual([{ text: "US", code: "US" }]);
    expect(ash.sanctions?.[0]).toEqual({
      measure: "Denial of export privileges",
      authority: AUTHORITY,
      act: "68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07",
      startDate: "2003-06-19",
      endDate: "2056-06-29",
    });
    expect(ash.sanctions).toHaveLength(3);

    const nasser = entities[1]!;
    expect(nasser.schema).toBe("LegalEntity");
    expect(nasser.addresses?.map((address) => address.street)).toEqual([
      "605 TRAIL LAKE DRIVE",
      "908 AUDELIA ROAD, SUIE 200, PMB #245",
    ]);

    // Without a country the address has none; no end date stays absent.
    const adt = entities[10]!;
    expect(adt.schema).toBe("Organization");
    expect(adt.sanctions).toEqual([
      {
        measure: "Denial of export privileges",
        authority: AUTHORITY,
        act: "46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81",
        startDate: "1981-09-10",
      },
    ]);
    expect(entities[5]?.addresses).toEqual([
      {
        full: "7405 SW 79CT, MIAMI, FL, 33143",
        street: "7405 SW 79CT",
        city: "MIAMI",
        region: "FL",
        postalCode: "33143",
      },
    ]);

    expect(entities[6]?.names).toEqual([
      { full: "FUYI SUN A/K/A FRANK SUN", kind: "primary" },
      { full: "FUYI SUN", kind: "aka" },
      { full: "FRANK SUN", kind: "aka" },
    ]);

    // "NM" in the Country column (State empty) is New Mexico.
    expect(entities[9]?.addresses?.[0]).toMatchObject({ region: "NM", city: "ANTHONY" });
    expect(entities[9]?.addresses?.[0]?.country).toBeUndefined();
    expect(issues).toEqual([
      {
        code: "state-in-country",
        severity: "warning",
        message: "'NM' in the Country column is a US state; read as the state",
        file: "dpl-excerpt.txt",
        line: 20,
        record: "bis-dpl:stephen-edward-smith",
        field: "Country",
      },
    ]);
  });
});

describe("parseBisDpl on bad input", () => {
  const good = row([
    "JANE ROE",
    "1 MAIN ST",
    "AUSTIN",
    "TX",
    "US",
    "78701",
    "01/02/2020",
    "01/02/2030",
    "Y",
    "2020-01-05",
    "",
    "85 F.R. 1 1/5/2020",
  ]);

  it("skips a row with the wrong column count, with a warning", async () => {
    const short = row(["JOHN DOE", "2 MAIN ST", "AUSTIN"]);
    const { entities, issues } = await parse(tempFile(`${header}\n${short}\n${good}\n`));
    expect(entities.map((entity) => entity.name)).toEqual(["JANE ROE"]);
    expect(issues).toMatchObject([{ code: "column-count", line: 2, file: "dpl.txt" }]);
  });

  it("warns about a bad date and an unknown country", async () => {
    const odd = row(["JOHN DOE", "1 RUE X", "PARIS", "", "ATLANTIS", "", "13/45/2020", "", "Y", "", "", ""]);
    const { entities, issues } = await parse(tempFile(`${header}\n${odd}\n`));
    expect(entities).toHaveLength(1);
    expect(entities[0]?.sanctions).toEqual([
      { measure: "Denial of export privileges", authority: AUTHORITY },
    ]);
    expect(issues.map((issue) => [issue.code, issue.field, issue.record])).toEqual([
      ["unknown-country", "Country", "bis-dpl:john-doe"],
      ["bad-date", "Effective_Date", "bis-dpl:john-doe"],
    ]);
  });

  it.each([
    ["garbage", "\u0000\u0001\u0002 garbage\n".repeat(50)],
    ["another list", "source,entity_number,type,programs,name\nx,1,Entity,,NAME\n"],
    ["an empty file", ""],
  ])("refuses %s with SourceFileError", async (_, content) => {
    await expect(parse(tempFile(content))).rejects.toBeInstanceOf(SourceFileError);
  });

  it("refuses malformed quoting with SourceFileError", async () => {
    await expect(parse(tempFile(`${header}\n"JOHN "DOE"\t"x"\n`))).rejects.toBeInstanceOf(SourceFileError);
  });
});

describe.skipIf(!existsSync(real))("parseBisDpl on the published file", () => {
  it("reads 581 rows into 459 parties", async () => {
    const { entities, issues } = await parse(real);
    for (const entity of entities) listEntitySchema.parse(entity);
    expect(entities).toHaveLength(459);
    expect(new Set(entities.map((entity) => entity.id)).size).toBe(459);
    expect(entities.reduce((rows, entity) => rows + (entity.raw as unknown[]).length, 0)).toBe(581);
    const schemas: Record<string, number> = {};
    for (const entity of entities) schemas[entity.schema] = (schemas[entity.schema] ?? 0) + 1;
    expect(schemas).toEqual({ Person: 148, LegalEntity: 203, Organization: 108 });
    expect(issues.map((issue) => issue.code)).toEqual(["state-in-country"]);
  });
});
