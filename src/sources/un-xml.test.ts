import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type ListEntityInput, listEntitySchema, type ParseIssue } from "../model/index.js";
import type { ParseEvent, SourceBundle } from "./types.js";
import { SourceFileError } from "./types.js";
import { detectUnXml, parseUnXml } from "./un-xml.js";

// Seven records cut unchanged from the 2026-02-27 file (data/lists/un/consolidated.xml).
const EXCERPT = fileURLToPath(new URL("./fixtures/un/excerpt.xml", import.meta.url));
const FULL = fileURLToPath(new URL("../../data/lists/un/consolidated.xml", import.meta.url));

const bundle = (file: string): SourceBundle => ({ format: "un-xml", listId: "un", files: [file] });

async function collect(file: string) {
  const events: ParseEvent[] = [];
  for await (const event of parseUnXml(bundle(file))) events.push(event);
  const entities = new Map<string, ListEntityInput>();
  const issues: ParseIssue[] = [];
  for (const event of events) {
    if (event.type === "entity") entities.set(event.entity.id, event.entity);
    if (event.type === "issue") issues.push(event.issue);
  }
  return { events, entities, issues };
}

describe("parseUnXml on an excerpt of the real file", () => {
  let result: Awaited<ReturnType<typeof collect>>;
  const entity = (id: string) => {
    const found = result.entities.get(id);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };
  beforeAll(async () => {
    result = await collect(EXCERPT);
  });

  it("emits the publication date first and one entity per record", () => {
    expect(result.events[0]).toEqual({ type: "meta", publishedAt: "2026-02-27", listId: "un" });
    expect([...result.entities.keys()]).toEqual([
      "un:CDi.001",
      "un:QDi.060",
      "un:QDi.365",
      "un:TAi.002",
      "un:QDi.129",
      "un:QDe.004",
      "un:KPe.017",
    ]);
    for (const parsed of result.entities.values()) expect(() => listEntitySchema.parse(parsed)).not.toThrow();
  });

  it("reads a simple individual field by field (CDi.001)", () => {
    const { raw, remarks, ...rest } = entity("un:CDi.001");
    expect(rest).toEqual({
      id: "un:CDi.001",
      listId: "un",
      nativeId: "CDi.001",
      schema: "Person",
      name: "ERIC BADEGE",
      names: [{ full: "ERIC BADEGE", kind: "primary" }],
      gender: "male",
      birthDates: [{ text: "1971", kind: "year", from: "1971", to: "1971" }],
      birthPlaces: [],
      nationalities: [{ text: "Democratic Republic of the Congo", code: "CD" }],
      citizenships: [],
      countries: [{ text: "Rwanda", code: "RW" }],
      addresses: [{ full: "Rwanda, as of early 2016", country: { text: "Rwanda", code: "RW" } }],
      identifiers: [],
      sanctions: [{ program: "DRC", authority: "UN Security Council", startDate: "2012-12-31" }],
      listedOn: "2012-12-31",
      links: [],
      attributes: { modifiedAt: ["2016-10-13"] },
    });
    expect(remarks).toEqual([
      expect.stringMatching(/^He fled to Rwanda in March 2013 .*View-UN-Notices-Individuals$/),
    ]);
    expect(raw).toMatchObject({
      DATAID: "6907993",
      FIRST_NAME: "ERIC",
      SECOND_NAME: "BADEGE",
      REFERENCE_NUMBER: "CDi.001",
      NATIONALITY: { VALUE: "Democratic Republic of the Congo" },
      INDIVIDUAL_ADDRESS: { COUNTRY: "Rwanda", NOTE: "as of early 2016" },
      INDIVIDUAL_DATE_OF_BIRTH: { TYPE_OF_DATE: "EXACT", YEAR: "1971" },
    });
  });

  it("reads documents, including numbers the UN wrote into notes (QDi.060)", () => {
    const person = entity("un:QDi.060");
    expect(person.name).toBe("MOHAMED BEN BELGACEM BEN ABDALLAH AL-AOUADI");
    expect(person.names).toEqual([
      { full: "MOHAMED BEN BELGACEM BEN ABDALLAH AL-AOUADI", kind: "primary" },
      { full: "محمد بن بلقاسم بن عبد الله العوادي", kind: "original-script", script: "Arab" },
      { full: "Mohamed Ben Belkacem Aouadi", kind: "aka" },
      { full: "Fathi Hannachi", kind: "aka" },
    ]);
    expect(person.birthDates).toEqual([
      { text: "1974-12-11", kind: "exact", from: "1974-12-11", to: "1974-12-11" },
    ]);
    expect(person.birthPlaces).toEqual(["Tunis, Tunisia"]);
    expect(person.addresses).toEqual([
      {
        full: "50th Street, Number 23, Zehrouni, Tunis, Tunisia",
        street: "50th Street, Number 23, Zehrouni",
        city: "Tunis",
        country: { text: "Tunisia", code: "TN" },
      },
    ]);
    expect(person.identifiers).toEqual([
      {
        type: "passport",
        value: "L 191609",
        label: "Passport; Tunisian passport number L 191609 issued on 28 Feb. 1996, expired on 27 Feb. 2001",
      },
      {
        type: "national-id",
        value: "04643632",
        label: "National Identification Number; 04643632 issued on 18 Jun. 1999",
      },
      {
        type: "tax-id",
        value: "DAOMMD74T11Z352Z",
        label: "National Identification Number; Italian Fiscal Code: DAOMMD74T11Z352Z",
      },
    ]);
    expect(person.sanctions).toEqual([
      { program: "Al-Qaida", authority: "UN Security Council", startDate: "2002-04-24" },
    ]);
    expect(person.gender).toBeUndefined();
  });

  it("reads Cyrillic original-script names from NAME_ORIGINAL_SCRIPT and alias notes (QDi.365)", () => {
    const person = entity("un:QDi.365");
    expect(person.names).toEqual([
      { full: "AKHMED RAJAPOVICH CHATAEV", kind: "primary" },
      { full: "Ахмед Ражапович Чатаев", kind: "original-script", script: "Cyrl" },
      { full: "Akhmad Shishani", kind: "aka" },
      { full: "Ахмад Шишани", kind: "original-script", script: "Cyrl" },
      { full: "David Mayer", kind: "aka" },
      { full: "Давид Майер", kind: "original-script", script: "Cyrl" },
      { full: "Elmir Sene", kind: "aka" },
      { full: "Эльмир Сене", kind: "original-script", script: "Cyrl" },
      { full: "Odnorukiy", kind: "weak-aka" },
      { full: "Однорукий", kind: "original-script", script: "Cyrl" },
    ]);
    expect(person.birthPlaces).toEqual([
      "Vedeno Village, Vedenskiy District, Republic of Chechnya, Russian Federation",
    ]);
    expect(person.nationalities).toEqual([{ text: "Russian Federation", code: "RU" }]);
    expect(person.countries).toEqual([
      { text: "Syrian Arab Republic", code: "SY" },
      { text: "Iraq", code: "IQ" },
    ]);
    // TYPE_OF_DOCUMENT says "National Identification Number"; TYPE_OF_DOCUMENT2 says it is a passport.
    expect(person.identifiers).toEqual([
      {
        type: "passport",
        value: "9600133195",
        country: { text: "Russian Federation", code: "RU" },
        label:
          "National Identification Number (national passport); in Vedensiky District, Republic of Chechnya; issued by Department of Internal Affairs",
      },
    ]);
  });

  it("reads approximate ranges of birth years, titles and designations (TAi.002)", () => {
    const person = entity("un:TAi.002");
    expect(person.birthDates).toEqual([
      { text: "approximately 1955 to 1958", kind: "range", from: "1955", to: "1958" },
      { text: "approximately 1945 to 1950", kind: "range", from: "1945", to: "1950" },
    ]);
    expect(person.names).toEqual([
      { full: "MOHAMMAD HASSAN AKHUND", kind: "primary" },
      { full: "محمد حسن آخوند", kind: "original-script", script: "Arab" },
    ]);
    expect(person.attributes).toEqual({
      title: ["Mullah", "Haji"],
      position: [
        "First Deputy, Council of Ministers under the Taliban regime",
        "Foreign Minister under the Taliban regime",
        "Governor of Kandahar under the Taliban regime",
        "Political Advisor of Mullah Mohammed Omar",
      ],
      modifiedAt: ["2011-11-29"],
    });
    expect(person.sanctions).toEqual([
      { program: "Taliban", authority: "UN Security Council", startDate: "2001-01-25" },
    ]);
  });

  it("keeps dates and places of birth given with aliases, own ones first (QDi.129)", () => {
    const person = entity("un:QDi.129");
    expect(person.birthDates?.map((date) => date.from)).toEqual([
      "1973-09-28",
      "1979-12-31",
      "1973-09-26",
      "1973-08-26",
      "1982-06-10",
      "1973-08-22",
    ]);
    expect(person.birthPlaces).toEqual([
      "Tiaret, Algeria",
      "Maskara, Algeria",
      "Mahdia, Algeria",
      "Mascara, Algeria",
      "Algiers, Algeria",
      "Morocco",
    ]);
    // Aliases repeated with several dates of birth appear once.
    expect(person.names?.filter((name) => name.full === "Djamel Mostafa")).toHaveLength(1);
    expect(person.names?.at(-1)).toEqual({ full: "Mustafa", kind: "weak-aka" });
    // NUMBER holds a description: the code is the value, the document is not a national id.
    expect(person.identifiers).toEqual([
      {
        type: "other",
        value: "20645897",
        label:
          "National Identification Number; Counterfeit Danish driving licence number 20645897; made out to Ali Barkani, born on 22 Aug. 1973 in Morocco",
      },
    ]);
    expect(result.issues).toContainEqual({
      code: "missing-document-number",
      severity: "warning",
      message:
        "document 'National Identification Number; Birth certificate; issued for Djamel Mostefa, born on 25 Sep. 1973 in Mehdia, Tiaret province, Algeria' has no number",
      file: "excerpt.xml",
      line: 401,
      record: "un:QDi.129",
      field: "NUMBER",
    });
  });

  it("reads entities: Organization, a.k.a. aliases, quotes dropped (QDe.004)", () => {
    const body = entity("un:QDe.004");
    expect(body.schema).toBe("Organization");
    expect(body.name).toBe("AL-QAIDA");
    expect(body.names?.slice(0, 4)).toEqual([
      { full: "AL-QAIDA", kind: "primary" },
      { full: "القاعدة", kind: "original-script", script: "Arab" },
      { full: "The Base", kind: "aka" },
      { full: "Al Qaeda", kind: "aka" },
    ]);
    expect(body.names).toHaveLength(12);
    expect(body.names?.at(-1)).toEqual({ full: "Al Qa’ida/Islamic Army", kind: "aka" });
    expect(body.sanctions).toEqual([
      { program: "Al-Qaida", authority: "UN Security Council", startDate: "2001-10-06" },
    ]);
    expect(body.gender).toBeUndefined();
    expect(body.birthDates).toEqual([]);
  });

  it("reads entity addresses and reports countries it cannot resolve (KPe.017)", () => {
    const body = entity("un:KPe.017");
    expect(body.names).toEqual([
      { full: "LEADER (HONG KONG) INTERNATIONAL", kind: "primary" },
      { full: "Leader International Trading Limited", kind: "aka" },
      { full: "Leader (Hong Kong) International Trading Limited", kind: "aka" },
    ]);
    const [address] = body.addresses ?? [];
    // NOTE repeats the country; it is printed once.
    expect(address?.full).toBe(
      "LM-873, RM B, 14/F, Wah Hen Commercial Centre, 383 Hennessy Road, Wanchai, China, Hong Kong Special Administrative Region",
    );
    expect(address?.street).toBe("LM-873, RM B, 14/F, Wah Hen Commercial Centre, 383 Hennessy Road, Wanchai");
    expect(address?.country?.text).toBe("China, Hong Kong Special Administrative Region");
    expect(body.listedOn).toBe("2013-01-22");
    const countryIssues = result.issues.filter((issue) => issue.record === "un:KPe.017");
    // The country table in src/model does not know this UN form yet; until it does, it is a warning.
    if (address?.country?.code === undefined) {
      expect(countryIssues).toEqual([
        {
          code: "unknown-country",
          severity: "warning",
          message: "could not resolve country 'China, Hong Kong Special Administrative Region'",
          file: "excerpt.xml",
          line: 501,
          record: "un:KPe.017",
          field: "COUNTRY",
        },
      ]);
    }
  });
});

describe("parseUnXml on the full 2026-02-27 list", () => {
  it("yields 730 people and 273 organisations with unique ids", async () => {
    const { events, entities, issues } = await collect(FULL);
    const schemas = [...entities.values()].map((entity) => entity.schema);
    expect(schemas.filter((schema) => schema === "Person")).toHaveLength(730);
    expect(schemas.filter((schema) => schema === "Organization")).toHaveLength(273);
    expect(events.filter((event) => event.type === "entity")).toHaveLength(1003);
    for (const entity of entities.values()) listEntitySchema.parse(entity);
    // Oddities of the real file are warnings, never errors, and each names file, line and record.
    for (const issue of issues) {
      expect(issue).toMatchObject({ severity: "warning", file: "consolidated.xml" });
      expect(issue.line).toBeGreaterThan(0);
      expect(issue.record).toMatch(/^un:/);
    }
    expect(issues.length).toBeLessThan(20);
    const originalScripts = [...entities.values()].flatMap((entity) =>
      (entity.names ?? []).filter((name) => name.kind === "original-script"),
    );
    expect(new Set(originalScripts.map((name) => name.script))).toEqual(new Set(["Arab", "Cyrl"]));
  });
});

describe("malformed input", () => {
  it("throws SourceFileError naming file and line for a truncated file", async () => {
    const text = await readFile(EXCERPT, "utf8");
    const lines = text.split("\n");
    // Cut inside the third record, as an interrupted download would.
    const cut = lines.slice(0, 200).join("\n");
    const dir = await mkdtemp(join(tmpdir(), "un-xml-"));
    const file = join(dir, "truncated.xml");
    await writeFile(file, cut);
    const error = await collect(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceFileError);
    expect((error as SourceFileError).file).toBe("truncated.xml");
    expect((error as SourceFileError).line).toBe(200);
    expect((error as Error).message).toMatch(/^truncated\.xml:200: malformed XML: .*unclosed tag/);
  });

  it("throws for XML of another format", async () => {
    const dir = await mkdtemp(join(tmpdir(), "un-xml-"));
    const file = join(dir, "other.xml");
    await writeFile(file, "<data-set><record/></data-set>");
    await expect(collect(file)).rejects.toThrow(/other\.xml:1: not a UN consolidated list/);
  });
});

describe("detectUnXml", () => {
  it("recognises the UN root element only", async () => {
    const head = (await readFile(EXCERPT, "utf8")).slice(0, 4096);
    expect(detectUnXml(head)).toBe(true);
    expect(detectUnXml('<?xml version="1.0"?>\n<data-set>\n\t<record>')).toBe(false);
    expect(detectUnXml("ent_num,SDN_Name")).toBe(false);
  });
});
