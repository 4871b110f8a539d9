import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeOfacCountry, parseOfacRemarks } from "./ofac-remarks.js";

describe("parseOfacRemarks: dates of birth", () => {
  it.each([
    ["DOB 12 Jan 1970.", { text: "12 Jan 1970", kind: "exact", from: "1970-01-12", to: "1970-01-12" }],
    ["DOB Jan 1970.", { text: "Jan 1970", kind: "year-month", from: "1970-01", to: "1970-01" }],
    ["DOB 1970.", { text: "1970", kind: "year", from: "1970", to: "1970" }],
    ["DOB circa 1955.", { text: "circa 1955", kind: "circa", from: "1954", to: "1956" }],
    ["DOB 1960 to 1962.", { text: "1960 to 1962", kind: "range", from: "1960", to: "1962" }],
    [
      "DOB 01 Jan 1963 to 31 Dec 1964.",
      { text: "01 Jan 1963 to 31 Dec 1964", kind: "range", from: "1963-01-01", to: "1964-12-31" },
    ],
    // The one shape parseDateText does not take, seen once in sdn.csv.
    ["DOB circa 1979-1982.", { text: "circa 1979-1982", kind: "circa", from: "1979", to: "1982" }],
  ])("%s", (text, expected) => {
    const facts = parseOfacRemarks(text);
    expect(facts.birthDates).toEqual([expected]);
    expect(facts.issues).toEqual([]);
  });

  it("reads alt. values as further values of the same kind", () => {
    const facts = parseOfacRemarks("DOB 22 Jan 1958; alt. DOB 20 Jan 1958; POB Al-Madinah, Saudi Arabia.");
    expect(facts.birthDates.map((date) => date.from)).toEqual(["1958-01-22", "1958-01-20"]);
    expect(facts.birthPlaces).toEqual(["Al-Madinah, Saudi Arabia"]);
  });

  it("reports a date it cannot read, and keeps going", () => {
    const facts = parseOfacRemarks("DOB 31 Feb 1970; Gender Female.");
    expect(facts.birthDates).toEqual([]);
    expect(facts.gender).toBe("female");
    expect(facts.issues).toEqual([
      { code: "bad-date", message: "could not read date '31 Feb 1970'", clause: "DOB 31 Feb 1970" },
    ]);
  });
});

describe("parseOfacRemarks: countries", () => {
  it.each([
    ["nationality Iran.", "nationalities", { text: "Iran", code: "IR" }],
    ["nationality Korea, North.", "nationalities", { text: "Korea, North", code: "KP" }],
    ["nationality Palestinian.", "nationalities", { text: "Palestinian", code: "PS" }],
    ["citizen Iraq.", "citizenships", { text: "Iraq", code: "IQ" }],
    ["citizen Bahamas, The.", "citizenships", { text: "Bahamas, The", code: "BS" }],
    ["nationality Trinidad and Tobago.", "nationalities", { text: "Trinidad and Tobago", code: "TT" }],
    ["Nationality of Registration Russia.", "countries", { text: "Russia", code: "RU" }],
  ] as const)("%s", (text, field, expected) => {
    const facts = parseOfacRemarks(text);
    expect(facts[field]).toEqual([expected]);
    expect(facts.nationalities.length + facts.citizenships.length + facts.countries.length).toBe(1);
  });

  it("keeps an unknown country's text and reports it", () => {
    const facts = parseOfacRemarks("nationality Atlantis.");
    expect(facts.nationalities).toEqual([{ text: "Atlantis" }]);
    expect(facts.issues.map((issue) => issue.code)).toEqual(["unknown-country"]);
  });

  it("normalizeOfacCountry keeps OFAC's text", () => {
    expect(normalizeOfacCountry("Cabo Verde")).toEqual({ text: "Cabo Verde", code: "CV" });
    expect(normalizeOfacCountry("Man, Isle of")).toEqual({ text: "Man, Isle of", code: "IM" });
  });
});

describe("parseOfacRemarks: identifiers", () => {
  it.each([
    [
      "Passport A123456 (Iraq) issued 01 Jan 2001 expires 01 Jan 2006",
      {
        type: "passport",
        value: "A123456",
        country: { text: "Iraq", code: "IQ" },
        label: "Passport, issued 01 Jan 2001 expires 01 Jan 2006",
      },
    ],
    ["alt. Passport B 524420", { type: "passport", value: "B 524420", label: "Passport" }],
    [
      "Diplomatic Passport D9004309 (Iran)",
      {
        type: "passport",
        value: "D9004309",
        country: { text: "Iran", code: "IR" },
        label: "Diplomatic Passport",
      },
    ],
    [
      "National ID No. 0077348341 (Iran)",
      {
        type: "national-id",
        value: "0077348341",
        country: { text: "Iran", code: "IR" },
        label: "National ID No.",
      },
    ],
    [
      "Cedula No. 7548733 (Colombia)",
      {
        type: "national-id",
        value: "7548733",
        country: { text: "Colombia", code: "CO" },
        label: "Cedula No.",
      },
    ],
    [
      "C.U.R.P. CIVJ650513HNEFLR06 (Mexico)",
      {
        type: "national-id",
        value: "CIVJ650513HNEFLR06",
        country: { text: "Mexico", code: "MX" },
        label: "C.U.R.P.",
      },
    ],
    // Russia's "Tax ID No." is its INN; the kind stays what OFAC's label says.
    [
      "Tax ID No. 7744001497 (Russia)",
      { type: "tax-id", value: "7744001497", country: { text: "Russia", code: "RU" }, label: "Tax ID No." },
    ],
    [
      "R.F.C. CIVJ650513LJA (Mexico)",
      { type: "tax-id", value: "CIVJ650513LJA", country: { text: "Mexico", code: "MX" }, label: "R.F.C." },
    ],
    [
      "NIT # 800160353-2 (Colombia)",
      { type: "tax-id", value: "800160353-2", country: { text: "Colombia", code: "CO" }, label: "NIT #" },
    ],
    // Russian Government Gazette Number = OKPO; elsewhere a registry number.
    [
      "Government Gazette Number 52750822 (Russia)",
      {
        type: "okpo",
        value: "52750822",
        country: { text: "Russia", code: "RU" },
        label: "Government Gazette Number",
      },
    ],
    [
      "Government Gazette Number 121212121 (Bulgaria)",
      {
        type: "registration-number",
        value: "121212121",
        country: { text: "Bulgaria", code: "BG" },
        label: "Government Gazette Number",
      },
    ],
    [
      "Registration Number 1027700342890 (Russia)",
      {
        type: "registration-number",
        value: "1027700342890",
        country: { text: "Russia", code: "RU" },
        label: "Registration Number",
      },
    ],
    [
      "Registration ID 12345 (Iran)",
      {
        type: "registration-number",
        value: "12345",
        country: { text: "Iran", code: "IR" },
        label: "Registration ID",
      },
    ],
    [
      "Matricula Mercantil No 30401904 (Medellin)",
      { type: "registration-number", value: "30401904", label: "Matricula Mercantil No (Medellin)" },
    ],
    [
      "Legal Entity Number 253400WSS48YWMBUA688",
      { type: "lei", value: "253400WSS48YWMBUA688", label: "Legal Entity Number" },
    ],
    ["SWIFT/BIC RUAGRUMM", { type: "swift-bic", value: "RUAGRUMM", label: "SWIFT/BIC" }],
    [
      "Vessel Registration Identification IMO 9187629",
      { type: "imo", value: "9187629", label: "Vessel Registration Identification IMO" },
    ],
    [
      "Identification Number IMO 5357101",
      { type: "imo", value: "5357101", label: "Identification Number IMO" },
    ],
    ["MMSI 572469210", { type: "mmsi", value: "572469210", label: "MMSI" }],
    [
      "Aircraft Tail Number EP-MMH",
      { type: "aircraft-registration", value: "EP-MMH", label: "Aircraft Tail Number" },
    ],
    [
      "Previous Aircraft Tail Number YI-NAE",
      { type: "aircraft-registration", value: "YI-NAE", label: "Previous Aircraft Tail Number" },
    ],
    [
      "Aircraft Manufacturer's Serial Number (MSN) 391",
      { type: "aircraft-serial", value: "391", label: "Aircraft Manufacturer's Serial Number (MSN)" },
    ],
    ["Email Address info@example.ir", { type: "email", value: "info@example.ir", label: "Email Address" }],
    ["Website www.example.ir", { type: "website", value: "www.example.ir", label: "Website" }],
    ["Telephone (98)(21)(66153220)", { type: "phone", value: "(98)(21)(66153220)", label: "Telephone" }],
    ["ISIN RU000A0JP5V6", { type: "other", value: "RU000A0JP5V6", label: "ISIN" }],
    [
      "Digital Currency Address - XBT 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak",
      { type: "other", value: "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak", label: "Digital Currency Address - XBT" },
    ],
    // An unknown label that announces a number is kept as `other` with OFAC's label.
    [
      "Istanbul Chamber of Comm. No. 123456 (Turkey)",
      {
        type: "other",
        value: "123456",
        country: { text: "Turkey", code: "TR" },
        label: "Istanbul Chamber of Comm. No.",
      },
    ],
  ])("%s", (text, expected) => {
    const facts = parseOfacRemarks(`${text}.`);
    expect(facts.identifiers).toEqual([expected]);
    expect(facts.issues).toEqual([]);
    expect(facts.unparsed).toEqual([]);
  });

  it("reports a numbered identifier without a number and keeps the clause", () => {
    const facts = parseOfacRemarks("NIT # Provisional (Colombia).");
    expect(facts.identifiers).toEqual([]);
    expect(facts.issues.map((issue) => issue.code)).toEqual(["bad-identifier"]);
    expect(facts.unparsed).toEqual(["NIT # Provisional (Colombia)"]);
  });

  it("leaves prose that starts with a label alone", () => {
    const facts = parseOfacRemarks("Passport and National ID were issued in Ulm, Germany.");
    expect(facts.identifiers).toEqual([]);
    expect(facts.issues).toEqual([]);
    expect(facts.unparsed).toEqual(["Passport and National ID were issued in Ulm, Germany"]);
  });
});

describe("parseOfacRemarks: names and links", () => {
  it.each([
    ["a.k.a. 'ABU ALI'.", ["ABU ALI"]],
    ["a.k.a. 'TARIQ'; a.k.a. 'ABDELLAH'.", ["TARIQ", "ABDELLAH"]],
    // Quotes inside the quoted name: the name runs to the last quote.
    ["a.k.a. 'ABU 'ABD AL-RAHMAN'.", ["ABU 'ABD AL-RAHMAN"]],
    ["f.k.a. 'ALPHA'.", ["ALPHA"]],
  ])("%s → weak aliases", (text, expected) => {
    const facts = parseOfacRemarks(text);
    expect(facts.names).toEqual(expected.map((full) => ({ full, kind: "weak-aka" })));
    expect(facts.issues).toEqual([]);
  });

  it.each([
    ["Linked To: BANK MELLI IRAN.", ["BANK MELLI IRAN"]],
    // The terminator after a name that ends in a dot: one dot each.
    [
      "Linked To: GRUPO MUNDO MARINO, S.A.; Linked To: HOTELES Y BIENES S.A..",
      ["GRUPO MUNDO MARINO, S.A.", "HOTELES Y BIENES S.A."],
    ],
  ])("%s → links", (text, expected) => {
    expect(parseOfacRemarks(text).links).toEqual(
      expected.map((name) => ({ relation: "linked-to", text: name })),
    );
  });
});

describe("parseOfacRemarks: attributes and prose", () => {
  it("reads a vessel's and an aircraft's clauses", () => {
    const facts = parseOfacRemarks(
      "Former Vessel Flag Malta; alt. Former Vessel Flag None Identified; Other Vessel Type General Cargo; " +
        "Aircraft Manufacture Date 15 Feb 2002; Aircraft Model Airbus A340-642; Aircraft Operator MAHAN AIR.",
    );
    expect(facts.attributes).toEqual({
      pastFlags: ["Malta"],
      vesselType: ["General Cargo"],
      buildDate: ["2002-02-15"],
      model: ["Airbus A340-642"],
      operator: ["MAHAN AIR"],
    });
    expect(facts.unparsed).toEqual([]);
  });

  it("reads organisation and sanctions clauses", () => {
    const facts = parseOfacRemarks(
      "Organization Established Date 1995; Organization Type: Construction of buildings; Target Type Financial Institution; " +
        "Additional Sanctions Information - Subject to Secondary Sanctions; " +
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; " +
        "Executive Order 13662 Directive Determination - Subject to Directive 1; " +
        "For more information on directives, please visit the following link: http://www.treasury.gov/x.aspx#directives.",
    );
    expect(facts.attributes).toEqual({
      incorporationDate: ["1995"],
      sector: ["Construction of buildings"],
      targetType: ["Financial Institution"],
      additionalSanctionsInformation: ["Subject to Secondary Sanctions"],
      secondarySanctionsRisk: ["North Korea Sanctions Regulations, sections 510.201 and 510.210"],
      sanctionsInformation: ["Executive Order 13662 Directive Determination - Subject to Directive 1"],
      sourceUrl: ["http://www.treasury.gov/x.aspx#directives"],
    });
    expect(facts.issues).toEqual([]);
  });

  it("keeps prose clauses without reporting them", () => {
    const facts = parseOfacRemarks("Minister of Finance; wife of Izzat Ibrahim Al-Duri; Gender Male.");
    expect(facts.unparsed).toEqual(["Minister of Finance", "wife of Izzat Ibrahim Al-Duri"]);
    expect(facts.gender).toBe("male");
    expect(facts.issues).toEqual([]);
  });

  it.each(["", "-0-", "-0- ", "   "])("%j is empty", (text) => {
    const facts = parseOfacRemarks(text);
    expect(facts.unparsed).toEqual([]);
    expect(facts.names).toEqual([]);
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parseOfacRemarks(text);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("DOB ", "a.k.a. '", "Passport ", "(", ")", ";", ".", "'", "x", "1"), {
          maxLength: 30,
        }),
        (parts) => {
          parseOfacRemarks(parts.join(""));
        },
      ),
    );
  });
});
