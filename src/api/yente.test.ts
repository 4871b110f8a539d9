import { describe, expect, it } from "vitest";
import { roleAllows, tokenFromHeader } from "./auth.js";
import { isInside } from "./import-paths.js";
import { partyFromExample, type YenteEntityExample } from "./yente.js";

describe("partyFromExample", () => {
  const valid: Array<[string, YenteEntityExample, object]> = [
    [
      "a person with date and nationality",
      {
        schema: "Person",
        properties: { name: ["John Doe"], birthDate: ["1975-04-21"], nationality: ["us"] },
      },
      { name: "John Doe", schema: "Person", dob: "1975-04-21", country: "us" },
    ],
    [
      "a single string value",
      { schema: "Company", properties: { name: "ACME" } },
      { name: "ACME", schema: "Company" },
    ],
    [
      "several names and an alias as one query",
      { schema: "Person", properties: { name: ["A B", "A B"], alias: ["C; D"] } },
      { name: "A B ; C  D", schema: "Person" },
    ],
    [
      "name parts when there is no name",
      { schema: "Person", properties: { firstName: ["Saddam"], lastName: ["Hussein"] } },
      { name: "Saddam Hussein", schema: "Person" },
    ],
    ["Thing as any party", { schema: "Thing", properties: { name: ["X"] } }, { name: "X" }],
    [
      "Airplane as our Aircraft",
      { schema: "Airplane", properties: { name: ["EP-ABC"] } },
      { name: "EP-ABC", schema: "Aircraft" },
    ],
    [
      "identifiers by FtM property",
      {
        schema: "Company",
        properties: {
          name: ["X"],
          innCode: ["7700000000"],
          registrationNumber: [12345],
          jurisdiction: ["ru"],
        },
      },
      {
        name: "X",
        schema: "Company",
        country: "ru",
        identifiers: [
          { type: "inn", value: "7700000000" },
          { type: "registration-number", value: "12345" },
        ],
      },
    ],
  ];
  it.each(valid)("reads %s", (_label, example, query) => {
    expect(partyFromExample("q", example)).toEqual({ query });
  });

  const invalid: Array<[string, YenteEntityExample, string]> = [
    ["an unknown schema", { schema: "Persn", properties: { name: ["X"] } }, "body.queries.q.schema"],
    ["a non-party schema", { schema: "Sanction", properties: { name: ["X"] } }, "body.queries.q.schema"],
    ["no name", { schema: "Person", properties: { birthDate: ["1970"] } }, "body.queries.q.properties.name"],
    ["blank names", { schema: "Person", properties: { name: [" ", ""] } }, "body.queries.q.properties.name"],
  ];
  it.each(invalid)("refuses %s naming the field", (_label, example, path) => {
    const result = partyFromExample("q", example);
    expect("issues" in result && result.issues.map((issue) => issue.path)).toEqual([path]);
  });
});

describe("auth helpers", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["ApiKey abc", "abc"],
    ["bearer   abc  ", "abc"],
    [undefined, undefined],
    ["", undefined],
  ])("reads %s", (header, token) => {
    expect(tokenFromHeader(header)).toBe(token);
  });
  it.each(["Basic abc", "Bearer", "Bearer a b", "abc"])("refuses %s", (header) => {
    expect(() => tokenFromHeader(header)).toThrow(/Bearer KEY/);
  });
  it("orders roles", () => {
    expect(roleAllows("admin", "viewer")).toBe(true);
    expect(roleAllows("analyst", "analyst")).toBe(true);
    expect(roleAllows("viewer", "analyst")).toBe(false);
    expect(roleAllows("analyst", "admin")).toBe(false);
  });
});

describe("isInside", () => {
  it.each([
    ["/srv/imports", "/srv/imports", true],
    ["/srv/imports", "/srv/imports/un/x.xml", true],
    ["/srv/imports", "/srv/imports-other/x", false],
    ["/srv/imports", "/srv", false],
    ["/srv/imports", "/etc/passwd", false],
  ])("%s contains %s: %s", (root, path, inside) => {
    expect(isInside(root, path)).toBe(inside);
  });
});
