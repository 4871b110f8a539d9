import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import { detectOfacFileRole, parseOfacCsv } from "./ofac-csv.js";
import { SourceFileError } from "./types.js";

const fixtures = fileURLToPath(new URL("./fixtures/ofac/", import.meta.url));
const realLists = fileURLToPath(new URL("../../data/lists/", import.meta.url));
const SDN_FILES = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"];
const CONS_FILES = ["cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"];

async function parseAll(listId: string, files: string[]) {
  const entities: ListEntityInput[] = [];
  const issues: ParseIssue[] = [];
  let meta = 0;
  for await (const event of parseOfacCsv({ format: "ofac-csv", listId, files })) {
    if (event.type === "entity") entities.push(event.entity);
    else if (event.type === "issue") issues.push(event.issue);
    else meta++;
  }
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return { entities, issues, meta, byId };
}

describe("detectOfacFileRole", () => {
  it.each([
    ["sdn/sdn.csv", "primary"],
    ["sdn/alt.csv", "alt"],
    ["sdn/add.csv", "add"],
    ["sdn/sdn_comments.csv", "comments"],
    ["cons/cons_prim.csv", "primary"],
    ["cons/cons_alt.csv", "alt"],
    ["cons/cons_add.csv", "add"],
    ["cons/cons_comments.csv", "comments"],
  ])("%s → %s", async (file, role) => {
    expect(detectOfacFileRole(await readFile(join(fixtures, file), "latin1"))).toBe(role);
  });

  it.each([
    ["empty", ""],
    ["EOF mark only", "\x1a"],
    ["a CSV with a header", "id,name,schema\n1,ACME,Company\n"],
    ["prose", "Hello, world\n"],
    ["XML", '<?xml version="1.0"?><CONSOLIDATED_LIST/>'],
    [
      "a 12-column row with an unknown type",
      '1,"X","robot",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
    ],
    ["rows of mixed shapes", '36,12,"aka","AERO-CARIBBEAN",-0- \r\n36,25,-0- ,"Havana","Cuba",-0- \r\n'],
  ])("%s → undefined", (_name, text) => {
    expect(detectOfacFileRole(text)).toBeUndefined();
  });

  it("judges a head cut inside a long quoted Remarks", () => {
    expect(
      detectOfacFileRole('12300,"Z S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA, S.A. DE C.V.; Linked'),
    ).toBe("comments");
  });
});

describe("parseOfacCsv on excerpts of the real files", () => {
  let sdn: Awaited<ReturnType<typeof parseAll>>;
  let cons: Awaited<ReturnType<typeof parseAll>>;
  beforeAll(async () => {
    // Order reversed on purpose: roles come from content, not position or name.
    sdn = await parseAll("ofac-sdn", SDN_FILES.map((file) => join(fixtures, "sdn", file)).reverse());
    cons = await parseAll(
      "ofac-cons",
      CONS_FILES.map((file) => join(fixtures, "cons", file)),
    );
  });

  it("reads every record, in file order, without issues or meta", () => {
    expect(sdn.entities.map((entity) => entity.id)).toEqual(
      ["306", "7263", "12300", "12927", "15036", "15117", "18150", "27307", "28263"].map(
        (id) => `ofac-sdn:${id}`,
      ),
    );
    expect(cons.entities.map((entity) => entity.id)).toEqual(
      ["9639", "9647", "17014", "17016"].map((id) => `ofac-cons:${id}`),
    );
    expect([...sdn.issues, ...cons.issues]).toEqual([]);
    expect(sdn.meta + cons.meta).toBe(0);
    for (const entity of [...sdn.entities, ...cons.entities])
      expect(listEntitySchema.safeParse(entity).success).toBe(true);
  });

  it("an organisation (-0- type): strong alias, weak alias from Remarks, addresses, raw cells", () => {
    const bank = sdn.byId.get("ofac-sdn:306")!;
    expect(bank.schema).toBe("Organization");
    expect(bank.name).toBe("BANCO NACIONAL DE CUBA");
    expect(bank.names).toEqual([
      { full: "BANCO NACIONAL DE CUBA", kind: "primary" },
      { full: "NATIONAL BANK OF CUBA", kind: "aka" },
      { full: "BNC", kind: "weak-aka" },
    ]);
    expect(bank.sanctions).toEqual([{ program: "CUBA", authority: "OFAC" }]);
    expect(bank.addresses).toHaveLength(4);
    expect(bank.addresses![0]).toEqual({
      full: "Zweierstrasse 35, Zurich CH-8022, Switzerland",
      street: "Zweierstrasse 35",
      city: "Zurich CH-8022",
      country: { text: "Switzerland", code: "CH" },
    });
    expect(bank.remarks).toEqual(["a.k.a. 'BNC'."]);
    expect(bank.attributes).toEqual({});
    const raw = bank.raw as Record<string, unknown>;
    expect(raw["sdn.csv"]).toMatchObject({ ent_num: "306", SDN_Type: "-0- ", Remarks: "a.k.a. 'BNC'." });
    expect(raw["alt.csv"]).toEqual([
      {
        ent_num: "306",
        alt_num: "220",
        alt_type: "aka",
        alt_name: "NATIONAL BANK OF CUBA",
        alt_remarks: "-0- ",
      },
    ]);
  });

  it("a person with DOB, POB, nationality, passports and a weak alias", () => {
    const person = sdn.byId.get("ofac-sdn:7263")!;
    expect(person.schema).toBe("Person");
    expect(person.names![0]).toEqual({
      full: "JULAIDAN, Wa'el Hamza Abd Al-Fatah",
      kind: "primary",
      parts: { last: "JULAIDAN", first: "Wa'el", middle: "Hamza Abd Al-Fatah" },
    });
    expect(person.names!.filter((name) => name.kind === "aka")).toHaveLength(8);
    expect(person.names!.at(-1)).toEqual({ full: "ABU AL-HASAN AL MADANI", kind: "weak-aka" });
    expect(person.birthDates).toEqual([
      { text: "22 Jan 1958", kind: "exact", from: "1958-01-22", to: "1958-01-22" },
      { text: "20 Jan 1958", kind: "exact", from: "1958-01-20", to: "1958-01-20" },
    ]);
    expect(person.birthPlaces).toEqual(["Al-Madinah, Saudi Arabia"]);
    expect(person.nationalities).toEqual([{ text: "Saudi Arabia", code: "SA" }]);
    expect(person.identifiers).toEqual([
      {
        type: "passport",
        value: "A-992535",
        label: "Passport",
        country: { text: "Saudi Arabia", code: "SA" },
      },
      { type: "passport", value: "B 524420", label: "Passport, issued 15 Jul 1998 expires 22 May 2003" },
    ]);
    expect(person.sanctions).toEqual([{ program: "SDGT", authority: "OFAC" }]);
    expect(person.gender).toBeUndefined();
  });

  it("a vessel with IMO, MMSI, flag and a resolved link", () => {
    const vessel = sdn.byId.get("ofac-sdn:15036")!;
    expect(vessel.schema).toBe("Vessel");
    expect(vessel.names).toEqual([
      { full: "ARTAVIL", kind: "primary" },
      { full: "ABADAN", kind: "fka" },
      { full: "SHONA", kind: "fka" },
      { full: "ALPHA", kind: "weak-aka" },
    ]);
    expect(vessel.identifiers).toEqual([
      { type: "imo", value: "9187629", label: "Vessel Registration Identification IMO" },
      { type: "mmsi", value: "572469210", label: "MMSI" },
    ]);
    expect(vessel.countries).toEqual([{ text: "Iran", code: "IR" }]);
    expect(vessel.attributes).toEqual({
      callSign: ["T2EU4"],
      vesselType: ["Crude/Oil Products Tanker"],
      tonnage: ["99,144"],
      grossRegisteredTonnage: ["56,068"],
      flag: ["Iran"],
      pastFlags: ["Malta", "Tuvalu", "Tanzania"],
      additionalSanctionsInformation: ["Subject to Secondary Sanctions"],
    });
    expect(vessel.links).toEqual([
      { relation: "linked-to", text: "NATIONAL IRANIAN TANKER COMPANY", entityId: "ofac-sdn:15117" },
    ]);
  });

  it("an aircraft with serial, tail number, model and programs split on '] ['", () => {
    const aircraft = sdn.byId.get("ofac-sdn:18150")!;
    expect(aircraft.schema).toBe("Aircraft");
    expect(aircraft.sanctions!.map((sanction) => sanction.program)).toEqual(["SDGT", "NPWMD", "IFSR"]);
    expect(aircraft.identifiers).toEqual([
      { type: "aircraft-serial", value: "391", label: "Aircraft Manufacturer's Serial Number (MSN)" },
      { type: "aircraft-registration", value: "EP-MMH", label: "Aircraft Tail Number" },
    ]);
    expect(aircraft.attributes).toMatchObject({ buildDate: ["2002"], model: ["Airbus A340-642"] });
    expect(aircraft.links).toEqual([
      { relation: "linked-to", text: "MAHAN AIR", entityId: "ofac-sdn:12927" },
    ]);
  });

  it("joins the sdn_comments.csv continuation to the cut Remarks", () => {
    const person = sdn.byId.get("ofac-sdn:28263")!;
    // Cut at 1,000 characters inside "a.k.a. 'snowsjohn'"; the rest comes from sdn_comments.csv.
    expect(person.remarks![0]).toMatch(
      /a\.k\.a\. 'tianyinyin0404'; a\.k\.a\. 'snowsjohn'; Linked To: LAZARUS GROUP\.$/,
    );
    expect(person.names!.filter((name) => name.kind === "weak-aka").map((name) => name.full)).toEqual([
      "tianyinyin0404",
      "snowsjohn",
    ]);
    expect(person.links).toEqual([
      { relation: "linked-to", text: "LAZARUS GROUP", entityId: "ofac-sdn:27307" },
    ]);
    expect(person.gender).toBe("male");
    expect(person.identifiers).toContainEqual({
      type: "national-id",
      value: "321284198607120616",
      label: "Identification Number",
      country: { text: "China", code: "CN" },
    });
    expect((person.raw as Record<string, unknown>)["sdn_comments.csv"]).toBe(
      "hn'; Linked To: LAZARUS GROUP.",
    );

    const cut = sdn.byId.get("ofac-sdn:12300")!;
    expect(cut.links!.map((link) => link.text)).toContain("PROMO RAIZ S.A.S.");
    // Unresolvable here (the target is not in the excerpt): the text stays as published.
    expect(cut.links!.at(-1)).toEqual({ relation: "linked-to", text: "R D I S.A" });
  });

  it("consolidated list: region-only address, Russian OKPO, Remarks continuation", () => {
    const hamas = cons.byId.get("ofac-cons:9647")!;
    expect(hamas.addresses).toEqual([{ full: "Region: Gaza", region: "Gaza" }]);
    expect(hamas.nationalities).toEqual([{ text: "Palestinian", code: "PS" }]);
    expect(hamas.sanctions!.map((sanction) => sanction.program)).toEqual(["SDGT", "NS-PLC"]);

    const bank = cons.byId.get("ofac-cons:17014")!;
    expect(bank.identifiers).toEqual([
      { type: "swift-bic", value: "RUAGRUMM", label: "SWIFT/BIC" },
      { type: "website", value: "http://www.rshb.ru", label: "Website" },
      {
        type: "okpo",
        value: "52750822",
        label: "Government Gazette Number",
        country: { text: "Russia", code: "RU" },
      },
      {
        type: "registration-number",
        value: "1027700342890",
        label: "Registration Number",
        country: { text: "Russia", code: "RU" },
      },
    ]);
    expect(bank.names!.at(-1)).toEqual({ full: "RUSAG", kind: "weak-aka" });
  });
});

describe("parseOfacCsv on bad input", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ofac-csv-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("skips a row with the wrong column count, with a warning, and reads the rest", async () => {
    const primary = join(dir, "wrong-columns.csv");
    await writeFile(
      primary,
      [
        '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '37,"SHORT ROW",-0- ,"CUBA",-0- ',
        '173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        "\x1a",
      ].join("\r\n"),
    );
    const { entities, issues } = await parseAll("ofac-sdn", [primary]);
    expect(entities.map((entity) => entity.id)).toEqual(["ofac-sdn:36", "ofac-sdn:173"]);
    expect(issues).toEqual([
      {
        code: "wrong-column-count",
        severity: "warning",
        message: "expected 12 columns, found 5; row skipped",
        file: "wrong-columns.csv",
        line: 2,
      },
    ]);
  });

  it("reports an unreadable Remarks value as a warning on the record", async () => {
    const primary = join(dir, "bad-date.csv");
    await writeFile(
      primary,
      '9,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 31 Feb 1970; nationality Iran."\r\n',
    );
    const { entities, issues } = await parseAll("ofac-sdn", [primary]);
    expect(entities[0]!.nationalities).toEqual([{ text: "Iran", code: "IR" }]);
    expect(issues).toEqual([
      {
        code: "bad-date",
        severity: "warning",
        message: "could not read date '31 Feb 1970' in 'DOB 31 Feb 1970'",
        file: "bad-date.csv",
        line: 1,
        record: "ofac-sdn:9",
        field: "Remarks",
      },
    ]);
  });

  it("reports side-file rows whose entity is missing", async () => {
    const primary = join(dir, "orphans-prim.csv");
    const alt = join(dir, "orphans-alt.csv");
    await writeFile(
      primary,
      '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
    );
    await writeFile(alt, '36,12,"aka","AERO-CARIBBEAN",-0- \r\n99,13,"aka","NOBODY",-0- \r\n');
    const { entities, issues } = await parseAll("ofac-sdn", [primary, alt]);
    expect(entities[0]!.names).toEqual([
      { full: "AEROCARIBBEAN AIRLINES", kind: "primary" },
      { full: "AERO-CARIBBEAN", kind: "aka" },
    ]);
    expect(issues.map((issue) => [issue.code, issue.record, issue.line])).toEqual([
      ["orphan-row", "ofac-sdn:99", 2],
    ]);
  });

  it("reads files under any name (roles from content)", async () => {
    const names = ["a.txt", "b.txt", "c.txt", "d.txt"];
    await Promise.all(
      SDN_FILES.map((file, index) => copyFile(join(fixtures, "sdn", file), join(dir, names[index]!))),
    );
    const { entities, issues } = await parseAll(
      "ofac-sdn",
      names.map((name) => join(dir, name)),
    );
    expect(entities).toHaveLength(9);
    expect(issues).toEqual([]);
  });

  it("throws SourceFileError for a primary file that is not OFAC at all", async () => {
    const garbage = join(dir, "garbage.csv");
    await writeFile(garbage, "id,name,country\n1,ACME,IR\n2,Foo,RU\n");
    await expect(parseAll("ofac-sdn", [garbage])).rejects.toThrow(SourceFileError);
    await expect(parseAll("ofac-sdn", [garbage])).rejects.toThrow(
      /garbage\.csv:1: not an OFAC legacy CSV file/,
    );
  });

  it("throws SourceFileError for a set without a primary file, or with two", async () => {
    await expect(parseAll("ofac-sdn", [join(fixtures, "sdn", "alt.csv")])).rejects.toThrow(
      /no OFAC primary file/,
    );
    await expect(
      parseAll("ofac-sdn", [join(fixtures, "sdn", "sdn.csv"), join(fixtures, "cons", "cons_prim.csv")]),
    ).rejects.toThrow(/a second OFAC primary file/);
  });
});

describe("parseOfacCsv on the full published files", () => {
  it("ofac-sdn: 8,976 entities, all valid, links resolved", async () => {
    const { entities, issues } = await parseAll(
      "ofac-sdn",
      SDN_FILES.map((file) => join(realLists, "ofac-sdn", file)),
    );
    expect(entities).toHaveLength(8976);
    expect(new Set(entities.map((entity) => entity.id)).size).toBe(8976);
    const schemas: Record<string, number> = {};
    for (const entity of entities) schemas[entity.schema] = (schemas[entity.schema] ?? 0) + 1;
    expect(schemas).toEqual({ Organization: 3673, Person: 4620, Vessel: 406, Aircraft: 277 });
    for (const entity of entities) expect(listEntitySchema.safeParse(entity).success).toBe(true);
    // Every alias row lands on its entity (11,910 rows, two of them repeats of a row for the same
    // entity); weak aliases only come from Remarks.
    const names = entities.flatMap((entity) => entity.names);
    expect(names.filter((name) => name.kind === "aka" || name.kind === "fka")).toHaveLength(11908);
    expect(names.filter((name) => name.kind === "weak-aka").length).toBeGreaterThan(2400);
    const links = entities.flatMap((entity) => entity.links ?? []);
    expect(links).toHaveLength(3408);
    expect(links.filter((link) => link.entityId).length).toBeGreaterThan(3390);
    // Measured: 3 warnings (two "Netherlands Antilles" addresses, one "NIT # Provisional").
    expect(issues.every((issue) => issue.severity === "warning")).toBe(true);
    expect(issues.length).toBeLessThanOrEqual(5);
  });

  it("ofac-cons: 442 entities, all valid", async () => {
    const { entities, issues } = await parseAll(
      "ofac-cons",
      CONS_FILES.map((file) => join(realLists, "ofac-cons", file)),
    );
    expect(entities).toHaveLength(442);
    for (const entity of entities) expect(listEntitySchema.safeParse(entity).success).toBe(true);
    expect(entities.every((entity) => entity.id.startsWith("ofac-cons:"))).toBe(true);
    expect(issues).toEqual([]);
  });
});
