import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { type ListEntity, listEntitySchema } from "../model/index.js";
import { mergeWordMemos } from "./name-index.js";
import { listsRead, partyQuerySchema } from "./query.js";
import { compareNames, createScreener, DEFAULT_MATCH_THRESHOLD, restoreScreener } from "./screener.js";
import { editSimilarity } from "./token-similarity.js";

const base = {
  birthDates: [],
  birthPlaces: [],
  nationalities: [],
  citizenships: [],
  countries: [],
  addresses: [],
  identifiers: [],
  sanctions: [],
  remarks: [],
  links: [],
  attributes: {},
  raw: undefined,
};

const entities: ListEntity[] = [
  {
    ...base,
    id: "ofac-sdn:7843",
    listId: "ofac-sdn",
    nativeId: "7843",
    schema: "Person",
    name: "HUSSEIN AL-TIKRITI, Saddam",
    names: [
      { full: "HUSSEIN AL-TIKRITI, Saddam", kind: "primary" },
      { full: "Abu Ali", kind: "weak-aka" },
    ],
    birthDates: [{ text: "28 Apr 1937", kind: "exact", from: "1937-04-28", to: "1937-04-28" }],
    nationalities: [{ text: "Iraq", code: "IQ" }],
    identifiers: [{ type: "passport", value: "A123456" }],
  },
  {
    ...base,
    id: "eu:1",
    listId: "eu",
    nativeId: "1",
    schema: "Person",
    name: "KISELYOV, Dmitry Konstantinovich",
    names: [
      { full: "KISELYOV, Dmitry Konstantinovich", kind: "primary" },
      { full: "Дмитрий Константинович Киселёв", kind: "original-script" },
    ],
  },
  {
    ...base,
    id: "uk-fcdo:RUS1",
    listId: "uk-fcdo",
    nativeId: "RUS1",
    schema: "Company",
    name: "ROMASHKA LLC",
    names: [{ full: "ROMASHKA LLC", kind: "primary" }],
  },
  {
    ...base,
    id: "ofac-sdn:1",
    listId: "ofac-sdn",
    nativeId: "1",
    schema: "Vessel",
    name: "SADDAM",
    names: [{ full: "SADDAM", kind: "primary" }],
  },
  {
    ...base,
    id: "uk-fcdo:IRN1",
    listId: "uk-fcdo",
    nativeId: "IRN1",
    schema: "Organization",
    name: "SHAHED AVIATION INDUSTRIES RESEARCH CENTER",
    names: [{ full: "SHAHED AVIATION INDUSTRIES RESEARCH CENTER", kind: "primary" }],
  },
];
const screener = createScreener(entities);
const top = (q: Parameters<typeof screener.screen>[0], lists?: string[]) =>
  screener.screen(q, lists ? { lists } : {})[0];

describe("createScreener", () => {
  it.each([
    ["Saddam Hussein AL-TIKRITI", "ofac-sdn:7843"],
    ["صدام حسين التكريتي", "ofac-sdn:7843"],
    ["Kiselyov D.K.", "eu:1"],
    ["Дмитрий Киселёв", "eu:1"],
    ["ООО «Ромашка»", "uk-fcdo:RUS1"],
    ["Shahed Aviation Industries Research Centre", "uk-fcdo:IRN1"],
  ])("finds %s", (name, id) => {
    const result = top({ name });
    expect(result?.entityId).toBe(id);
    expect(result?.match).toBe(true);
  });

  it("scores a name in another script once, each word at its best transliteration", () => {
    const result = top({ name: "صدام حسين التكريتي" })!;
    expect(result.score).toBe(1);
    // The first reading spells the middle word "husayn"; the pair shows the spelling that met the list's.
    expect(result.explanation.queryForm).toBe("Saddam Husayn al-Tikriti");
    expect(result.explanation.tokens).toContainEqual({
      query: "hussein",
      list: "hussein",
      similarity: 1,
      kind: "exact",
    });
  });

  it("answers names in another script the same whatever was screened before (merged spellings are remembered)", () => {
    const names = ["صدام حسين التكريتي", "حسين التكريتي", "صدام حسين", "علي حسين"];
    const fresh = names.map((name) => createScreener(entities).screen({ name }));
    const forward = createScreener(entities);
    const backward = createScreener(entities);
    const inOrder = names.map((name) => forward.screen({ name }));
    const reversed = [...names].reverse().map((name) => backward.screen({ name }));
    expect(inOrder).toEqual(fresh);
    expect(reversed.reverse()).toEqual(fresh);
  });

  it("explains which name form matched, token by token, and what evidence did", () => {
    const result = top({
      name: "Sadam Hussein al-Tikriti",
      schema: "Person",
      dob: "1937-04-28",
      country: "Iraq",
    })!;
    const { explanation } = result;
    expect(explanation.listName).toBe("HUSSEIN AL-TIKRITI, Saddam");
    const pair = explanation.tokens.find((t) => t.query === "sadam");
    expect(pair?.list).toBe("saddam");
    expect(["edit", "phonetic"]).toContain(pair?.kind);
    expect(explanation.evidence.map((e) => e.kind)).toEqual(["birth-date", "country"]);
    expect(explanation.evidence.every((e) => e.effect > 0)).toBe(true);
    expect(explanation.summary).toContain("date of birth");
  });

  it("lowers the score for a different birth date and lifts it for an equal passport", () => {
    const plain = top({ name: "Saddam Hussein al-Tikriti", schema: "Person" })!.score;
    const otherDob = top({ name: "Saddam Hussein al-Tikriti", schema: "Person", dob: "1980-01-01" })!.score;
    expect(otherDob).toBeLessThan(plain);
    const passport = top({
      name: "S. Tikriti",
      schema: "Person",
      identifiers: [{ type: "passport", value: "a 123-456" }],
    })!;
    expect(passport.entityId).toBe("ofac-sdn:7843");
    expect(passport.score).toBeGreaterThanOrEqual(0.97);
    const otherPassport = top({
      name: "Saddam Hussein al-Tikriti",
      schema: "Person",
      identifiers: [{ type: "passport", value: "Z999999" }],
    })!;
    expect(otherPassport.score).toBeLessThan(plain);
  });

  it("never matches a person to a vessel, and honours the list filter", () => {
    expect(
      screener.screen({ name: "Saddam", schema: "Person" }).some((r) => r.entityId === "ofac-sdn:1"),
    ).toBe(false);
    expect(top({ name: "Saddam", schema: "Vessel" })?.entityId).toBe("ofac-sdn:1");
    expect(screener.screen({ name: "Kiselyov Dmitry" }, { lists: ["ofac-sdn"] })).toEqual([]);
  });

  it("weighs a weak alias less than a strong name", () => {
    const weak = top({ name: "Abu Ali", schema: "Person" })!;
    expect(weak.explanation.listNameKind).toBe("weak-aka");
    expect(weak.score).toBeLessThan(1);
  });

  it("returns near misses above the lower cut-off with match: false", () => {
    const results = screener.screen({ name: "Kiselyov" }, { threshold: 0.99 });
    expect(results[0]?.entityId).toBe("eu:1");
    expect(results[0]?.match).toBe(false);
  });

  it("does not flag unrelated names", () => {
    for (const name of ["John Smith", "Maria Alice Nathan", "Acme Trading GmbH"])
      expect(top({ name })?.match ?? false).toBe(false);
  });
});

describe("names aligning below the cut-off", () => {
  const listed = listEntitySchema.parse({
    id: "t:1",
    listId: "t",
    nativeId: "1",
    schema: "Person",
    name: "Ivan Petrovich SIDOROV",
    names: [{ full: "Ivan Petrovich SIDOROV", kind: "primary" }],
    birthDates: [{ text: "4 Mar 1970", kind: "exact", from: "1970-03-04", to: "1970-03-04" }],
    nationalities: [{ text: "Russia", code: "RU" }],
    raw: null,
  });
  const screener = createScreener([listed], { lowerCutoff: 0.6 });

  it("come back when birth date and country lift them over it", () => {
    // The name alone aligns below 0.6; an equal birth date and nationality add 0.11.
    expect(screener.screen({ name: "Ivan Pavlovich Sidak", schema: "Person" })).toEqual([]);
    const [hit] = screener.screen({
      name: "Ivan Pavlovich Sidak",
      schema: "Person",
      dob: "1970-03-04",
      country: "RU",
    });
    expect(hit?.score).toBeGreaterThanOrEqual(0.6);
    expect(hit?.explanation.evidence.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["birth-date", "country"]),
    );
    // The scorer without candidate generation agrees.
    expect(
      screener.screenBruteForce({
        name: "Ivan Pavlovich Sidak",
        schema: "Person",
        dob: "1970-03-04",
        country: "RU",
      }),
    ).toEqual([hit]);
  });
});

describe("links through the records of other lists", () => {
  const record = (id: string, schema: ListEntity["schema"], names: ListEntity["names"]) =>
    listEntitySchema.parse({
      id,
      listId: id.split(":")[0],
      nativeId: id.split(":")[1],
      schema,
      name: names[0]!.full,
      names,
      raw: null,
    });
  // The UN and OFAC records of one group share only an English alias (eval kind "shared alias").
  const linked = createScreener([
    record("un:QDe.139", "Organization", [
      { full: "AL MOUAKAOUNE BIDDAM", kind: "primary" },
      { full: "Les Signataires par le Sang", kind: "aka" },
      { full: "Those Who Sign in Blood", kind: "aka" },
      { full: "Belmokhtar Group", kind: "weak-aka" },
    ]),
    record("ofac-sdn:16446", "Organization", [
      { full: "AL-MULATHAMUN BATTALION", kind: "primary" },
      { full: "THOSE WHO SIGN IN BLOOD", kind: "aka" },
    ]),
    record("ofac-sdn:1", "Organization", [{ full: "BELMOKHTAR GROUP", kind: "primary" }]),
    record("eu:1", "Person", [{ full: "SIGN BLOOD, Those Who", kind: "primary" }]),
    record("eu:2", "Person", [{ full: "Those Who Sign in Blood", kind: "primary" }]),
  ]);
  const query = { name: "Al Mouakaoune Biddam", schema: "Organization" } as const;

  it("finds a party on the selected list through its record on another list, and says so", () => {
    const [hit] = linked.screen(query, { lists: ["ofac-sdn"] });
    expect(hit?.entityId).toBe("ofac-sdn:16446");
    expect(hit?.match).toBe(true);
    expect(hit?.explanation.linkedThrough).toEqual({
      entityId: "un:QDe.139",
      list: "un",
      name: "AL MOUAKAOUNE BIDDAM",
      score: 1,
      alias: "Those Who Sign in Blood",
    });
    expect(hit?.explanation.listName).toBe("THOSE WHO SIGN IN BLOOD");
    expect(hit?.explanation.evidence.map((e) => e.kind)).toContain("linked-record");
    expect(hit?.explanation.summary).toMatch(
      /^"Al Mouakaoune Biddam" is un:QDe.139 .*"Those Who Sign in Blood"/,
    );
  });

  it("links the same on a screener restored from a snapshot (which keeps no entity names)", () => {
    const restored = restoreScreener(v8.deserialize(v8.serialize(linked.snapshot())));
    const [hit] = restored.screen(query, { lists: ["ofac-sdn"] });
    expect(hit?.entityId).toBe("ofac-sdn:16446");
    expect(hit?.explanation.linkedThrough?.alias).toBe("Those Who Sign in Blood");
  });

  it("screens a linked record's names as the record's schema when the query has none", () => {
    const hits = linked.screen({ name: query.name }, { lists: ["ofac-sdn", "eu"] });
    expect(hits.map((h) => h.entityId)).toEqual(["ofac-sdn:16446"]);
  });

  it("scores a linked hit as the product of the two matches", () => {
    const typo = { ...query, name: "Al Mouakaoune Bidam" };
    const [viaRecord] = linked.screen(typo, { lists: ["un"] });
    const [hit] = linked.screen(typo, { lists: ["ofac-sdn"] });
    expect(viaRecord!.score).toBeGreaterThanOrEqual(0.9);
    expect(viaRecord!.score).toBeLessThan(1);
    expect(hit?.explanation.linkedThrough?.score).toBe(viaRecord!.score);
    expect(hit?.score).toBeCloseTo(viaRecord!.score, 2);
  });

  it("follows no weak alias, no other schema, no record matched below 0.9, and nothing on request", () => {
    const hits = linked.screen(query, { lists: ["ofac-sdn", "eu"] });
    expect(hits.map((h) => h.entityId)).toEqual(["ofac-sdn:16446"]);
    expect(linked.screen({ ...query, name: "Al Mouakaoune" }, { lists: ["ofac-sdn"] })).toEqual([]);
    expect(linked.screen(query, { lists: ["ofac-sdn"], viaOtherLists: false })).toEqual([]);
  });

  it("follows only the records of the lists it may link through", () => {
    expect(linked.screen(query, { lists: ["ofac-sdn"], linkThrough: ["eu"] })).toEqual([]);
    const [hit] = linked.screen(query, { lists: ["ofac-sdn"], linkThrough: ["un", "eu"] });
    expect(hit?.explanation.linkedThrough?.entityId).toBe("un:QDe.139");
    // What a case records as read: the selection and the lists linked through.
    expect(listsRead({ lists: ["ofac-sdn"], linkThrough: ["un"] })).toEqual(["ofac-sdn", "un"]);
    expect(listsRead({ lists: ["ofac-sdn"] })).toBeUndefined();
    expect(listsRead({ lists: ["ofac-sdn"], linkThrough: ["un"], viaOtherLists: false })).toEqual([
      "ofac-sdn",
    ]);
  });

  it("looks for no link when the selected lists hold a near-certain match", () => {
    const withDirect = createScreener([
      record("un:QDe.139", "Organization", [
        { full: "AL MOUAKAOUNE BIDDAM", kind: "primary" },
        { full: "Those Who Sign in Blood", kind: "aka" },
      ]),
      record("ofac-sdn:16446", "Organization", [{ full: "THOSE WHO SIGN IN BLOOD", kind: "primary" }]),
      record("ofac-sdn:2", "Organization", [{ full: "AL MOUAKAOUNE BIDDAM", kind: "primary" }]),
    ]);
    const hits = withDirect.screen(query, { lists: ["ofac-sdn"] });
    expect(hits.map((h) => h.entityId)).toEqual(["ofac-sdn:2"]);
  });

  it("links nothing when every list is selected: the record itself is the hit", () => {
    const hits = linked.screen(query);
    expect(hits.map((h) => h.entityId)).toEqual(["un:QDe.139"]);
    expect(hits.every((h) => h.explanation.linkedThrough === undefined)).toBe(true);
  });
});

describe("compareNames", () => {
  it.each([
    ["Person", "Kiselyov D.K.", "KISELYOV, Dmitry Konstantinovich", true],
    ["Person", "Dmitry Kiselev", "Дмитрий Константинович Киселёв", true],
    ["Organization", "GREEN SHIPPING LTD", "GREEN SHIPPING LIMITED", true],
    ["Person", "John Smith", "Jane Doe", false],
    ["Person", "Ali", "Alina", false],
  ] as const)("%s: %s ~ %s → %s", (schema, a, b, match) => {
    expect(compareNames(schema, a, b).match).toBe(match);
  });
});

describe("partyQuerySchema", () => {
  it.each([
    [{ name: "x" }, true],
    [{ name: "  " }, false],
    [{ name: "x".repeat(1001) }, false],
    [{ name: "x", schema: "Ship" }, false],
    [{ name: "x", identifiers: [{ type: "passport", value: "A1" }] }, true],
  ])("%j valid: %s", (input, valid) => {
    expect(partyQuerySchema.safeParse(input).success).toBe(valid);
  });
  it("has one documented default threshold", () => {
    expect(DEFAULT_MATCH_THRESHOLD).toBeGreaterThan(0.5);
  });
});

describe("snapshot", () => {
  it("restores a screener that screens the same, through structured clone and v8 serialization", () => {
    const cloned = restoreScreener(structuredClone(screener.snapshot()));
    const serialized = restoreScreener(v8.deserialize(v8.serialize(screener.snapshot())));
    for (const query of [
      { name: "Saddam Hussein AL-TIKRITI", dob: "1937-04-28", country: "Iraq" },
      { name: "Kiselyov D.K." },
      { name: "ООО «Ромашка»" },
      { name: "Tikrity Sadam" },
    ]) {
      const expected = screener.screen(query);
      expect(cloned.screen(query)).toEqual(expected);
      expect(serialized.screen(query)).toEqual(expected);
    }
  });
  it("refuses a damaged snapshot", () => {
    const { table, ...indexes } = screener.snapshot();
    expect(() =>
      restoreScreener({
        ...indexes,
        table: {
          ...table,
          entityRecords: { ...table.entityRecords, start: table.entityRecords.start.slice(1) },
        },
      }),
    ).toThrow(/snapshot/);
  });
});

describe("spelling slips", () => {
  const person = (id: string, name: string): ListEntity => ({
    ...base,
    id: `ofac-sdn:${id}`,
    listId: "ofac-sdn",
    nativeId: id,
    schema: "Person",
    name,
    names: [{ full: name, kind: "primary" }],
  });
  const slips = createScreener([
    { ...person("10489", "ORIENTAL OIL KISH"), schema: "Organization" },
    person("31137", "DWE, Aung Lin"),
    person("12750", "CHIZARI, Mohsen"),
    person("9001", "ABUGHAITH, Sulayman"),
    { ...person("19254", "MABROOKA TRADING CO L.L.C."), schema: "Organization" },
    { ...person("19175", "NUTRISHOP, S.A."), schema: "Organization" },
    person("15557", "MINA'I, Mohammad"),
  ]);
  const best = (name: string, schema: "Person" | "Organization" = "Person") =>
    slips.screen({ name, schema })[0];

  it("also reads a word with a comma typed inside it whole", () => {
    // "MINA'I," with the M lost and the comma swapped into the word.
    const mina = best("INA',I Mohammad")!;
    expect(mina.entityId).toBe("ofac-sdn:15557");
    expect(mina.match).toBe(true);
    expect(mina.explanation.tokens).toContainEqual(expect.objectContaining({ query: "inai", list: "minai" }));
    // A comma between whole words is a separator without its space, not a slip: no joined reading.
    const separated = createScreener([person("15557", "MINA'I, Mohammad")]);
    expect(separated.screen({ name: "Mohammad,MINA'I", schema: "Person" })[0]?.score).toBe(1);
    expect(separated.lookedUpWords().words).not.toContain("mohammadminai");
    separated.screen({ name: "INA',I Mohammad", schema: "Person" });
    expect(separated.lookedUpWords().words).toContain("inai");
  });

  it("pairs words spaced differently on the two sides, and explains it as one compound", () => {
    const oil = best("ORIENTAL OI LLISH", "Organization")!;
    expect(oil.match).toBe(true);
    expect(oil.explanation.tokens).toContainEqual(
      expect.objectContaining({ query: "oi llish", list: "oil kish", kind: "compound" }),
    );
    expect(best("DW,E Aung Lin")?.entityId).toBe("ofac-sdn:31137");
    expect(best("DW,E Aung Lin")?.match).toBe(true);
    // A one-word name met through a respacing agrees as well as its joined spelling: no short-name cut.
    expect(compareNames("Organization", "PETROCHINA", "PETRO CHINA").score).toBe(1);
    expect(compareNames("Organization", "VABOX", "VA BO").match).toBe(false);
    const abu = best("Sulayman Abu Ghaith")!;
    expect(abu.match).toBe(true);
    expect(abu.explanation.tokens).toContainEqual(
      expect.objectContaining({ query: "abu ghaith", list: "abughaith", kind: "compound" }),
    );
  });

  it("reads a mistyped closing legal form as one, not as stray letters", () => {
    for (const [slipped, written] of [
      ["MABROOOKA TRADING CO L.LL.C.", "MABROOOKA TRADING CO L.L.C."],
      ["NUUTRISHOP, S.AA.", "NUUTRISHOP, S.A."],
    ] as const) {
      const slip = best(slipped, "Organization")!;
      const right = best(written, "Organization")!;
      expect(slip.entityId).toBe(right.entityId);
      expect(slip.match).toBe(true);
      // The slip costs about what a legal-form word weighs, not what three unexplained words do.
      expect(right.score - slip.score).toBeLessThan(0.05);
    }
    expect(best("MABROOOKA TRADING CO L.LL.C.", "Organization")!.explanation.tokens).toContainEqual(
      expect.objectContaining({ query: "llc", list: "llc", kind: "exact" }),
    );
    // The analyst is told the legal form was read from a slip, not typed.
    expect(best("MABROOOKA TRADING CO L.LL.C.", "Organization")!.explanation.evidence).toContainEqual(
      expect.objectContaining({
        kind: "legal-form",
        detail: expect.stringContaining('"L.LL.C." read as llc'),
      }),
    );
    // A person's degree has the same shape ("LL.M.", one slip from LLC): without a schema, the
    // query stays a possible person and finds him.
    const khalil = createScreener([person("1", "KHALIL, Mohammed Ahmad")]);
    expect(khalil.screen({ name: "Mohammed Ahmad KHALIL LL.M." })[0]?.entityId).toBe("ofac-sdn:1");
  });

  it("lets a one-word name of eight letters or more through two slips, and a shorter one through none", () => {
    expect(compareNames("Organization", "CALCIARN", "CALCIMIN").match).toBe(true);
    expect(compareNames("Organization", "ROSOBORONEKSPORD", "ROSOBORONEXPORT").match).toBe(true);
    // Five letters, one slip: another name as often as a typo.
    expect(compareNames("Organization", "PEDRO", "PEDCO").match).toBe(false);
    expect(compareNames("Organization", "GREEN", "AREEN").match).toBe(false);
    // Seven letters, two slips: still cut.
    expect(compareNames("Organization", "KARIBOS", "KARIMOV").match).toBe(false);
  });

  it("allows two edits in a five-letter word, but not in a short one or a one-word name", () => {
    expect(best("CHIZARI, Mhoen")?.match).toBe(true);
    expect(compareNames("Person", "Li Wei", "Lu Wei").match).toBe(false);
    expect(compareNames("Person", "Mhoen", "Mohsen").match).toBe(false);
    expect(compareNames("Person", "Ahmad Saleh", "Ahmad Sahel").match).toBe(true);
  });

  it("allows two edits between a four- and a five-letter word only when their first three letters agree", () => {
    expect(editSimilarity("munu", "munoz")).toBeCloseTo(0.68, 2);
    expect(editSimilarity("umnu", "munoz")).toBe(0);
    // Four letters against six ("JOSE" / "JOSEPH") keep the four-letter budget of one edit.
    expect(editSimilarity("jose", "joseph")).toBe(0);
    expect(compareNames("Person", "Munu Hoyos, German", "MUNOZ HOYOS, German").match).toBe(true);
  });
});

describe("word lookups carried between screeners", () => {
  const queries = [
    "Saddam Hussein AL-TIKRITI",
    "Kiselyov D.K.",
    "صدام حسين التكريتي",
    "ROMASHKA L.L.C.",
    "Dmitri Kiselev",
    "Jane Doe",
  ];

  it("gives a new screener over the same index the same answers without looking the words up again", () => {
    const first = createScreener(entities);
    const expected = queries.map((name) => first.screen({ name }));
    const saved = v8.deserialize(v8.serialize(first.lookedUpWords()));
    const later = restoreScreener(structuredClone(first.snapshot()));
    expect(later.rememberWords(saved)).toBe(saved.words.length);
    expect(saved.words.length).toBeGreaterThan(10);
    // Weights travel exactly (an initial's 0.3 is not a float32).
    expect(saved.weight[saved.words.indexOf("d")]).toBe(0.3);
    expect(queries.map((name) => later.screen({ name }))).toEqual(expected);
    // Nothing was looked up anew: the memo holds exactly the remembered words.
    expect(later.lookedUpWords().words).toEqual(saved.words);
    // Remembering the same words twice adds nothing.
    expect(later.rememberWords(saved)).toBe(0);
  });

  it("hands over the words it looked up since the last hand-over, for a sibling screener to take", () => {
    const [a, b] = [createScreener(entities), createScreener(entities)];
    // The first call starts collecting; nothing was collected before it.
    expect(a.takeNewLookups()).toBeUndefined();
    a.screen({ name: queries[0]! });
    const first = a.takeNewLookups()!;
    expect(first.words).toEqual(expect.arrayContaining(["saddam", "hussein", "tikriti"]));
    expect(a.takeNewLookups()).toBeUndefined(); // handed over once
    a.screen({ name: queries[0]! }); // known words: nothing new
    expect(a.takeNewLookups()).toBeUndefined();
    a.screen({ name: "Dmitri Kiselev" });
    const second = a.takeNewLookups()!;
    expect(second.words).toEqual(expect.arrayContaining(["dmitri", "kiselev"]));
    expect(second.words.some((word) => first.words.includes(word))).toBe(false);
    // The sibling takes both and answers the same without looking any of those words up.
    b.rememberWords(first);
    b.rememberWords(second);
    expect(b.screen({ name: "Dmitri Kiselev" })).toEqual(a.screen({ name: "Dmitri Kiselev" }));
    expect(b.screen({ name: queries[0]! })).toEqual(a.screen({ name: queries[0]! }));
    expect(b.freshLookups).toBe(0);
    // Words it was given are not handed on again as its own.
    b.takeNewLookups();
    b.screen({ name: "Dmitri Kiselev" });
    expect(b.takeNewLookups()).toBeUndefined();
  });

  it("passes on the saved words it did not meet, with the ones it met last", () => {
    const first = createScreener(entities);
    for (const name of queries) first.screen({ name });
    const saved = first.lookedUpWords();
    const later = createScreener(entities);
    later.rememberWords(saved);
    later.screen({ name: "Zebulon Quartermaine" });
    const carried = later.lookedUpWords();
    expect(new Set(carried.words)).toEqual(new Set([...saved.words, "zebulon", "quartermaine"]));
    expect(carried.words.slice(-2)).toEqual(["zebulon", "quartermaine"]);
    // With a limit, the oldest saved words are the ones left out.
    expect(later.lookedUpWords(3).words).toEqual([saved.words.at(-1), "zebulon", "quartermaine"]);
    // "met": only the words met since it started; two of them it looked up itself.
    expect(later.lookedUpWords(undefined, "met").words).toEqual(["zebulon", "quartermaine"]);
    expect(later.freshLookups).toBe(2);
    later.screen({ name: queries[0]! });
    expect(later.freshLookups).toBe(2); // taken from the remembered words, not looked up
  });

  it("keeps the words a run met when several memos are merged under a limit", () => {
    const saved = createScreener(entities);
    for (const name of queries) saved.screen({ name });
    const file = saved.lookedUpWords();
    const [a, b] = [createScreener(entities), createScreener(entities)];
    a.rememberWords(file);
    b.rememberWords(file);
    a.screen({ name: "Zebulon Quartermaine" });
    b.screen({ name: "Ottoline Fairweather" });
    const merged = mergeWordMemos(
      [file, a.lookedUpWords(undefined, "met"), b.lookedUpWords(undefined, "met")],
      4,
    );
    expect(merged.words).toEqual(["zebulon", "quartermaine", "ottoline", "fairweather"]);
  });

  it("merges the memos of several screeners (worker threads) into one, each word once", () => {
    const [a, b] = [createScreener(entities), createScreener(entities)];
    for (const name of queries.slice(0, 4)) a.screen({ name });
    for (const name of queries.slice(2)) b.screen({ name });
    const [wordsA, wordsB] = [a.lookedUpWords(), b.lookedUpWords()];
    const merged = mergeWordMemos([wordsA, wordsB], 10_000);
    const union = new Set([...wordsA.words, ...wordsB.words]);
    expect(new Set(merged.words)).toEqual(union);
    expect(merged.words).toHaveLength(union.size);
    const later = createScreener(entities);
    expect(later.rememberWords(merged)).toBe(union.size);
    const fresh = createScreener(entities);
    expect(queries.map((name) => later.screen({ name }))).toEqual(
      queries.map((name) => fresh.screen({ name })),
    );
    // A limit keeps the words that come last.
    expect(mergeWordMemos([wordsA, wordsB], 3).words).toEqual(merged.words.slice(-3));
  });

  it("refuses lookups made against another index, and malformed ones, adding none", () => {
    const first = createScreener(entities);
    first.screen({ name: "Saddam Hussein AL-TIKRITI" });
    const saved = first.lookedUpWords();
    const other = createScreener(entities.slice(1));
    expect(() => other.rememberWords(saved)).toThrow(/another index/);
    // Same number of words, other words: refused by the vocabulary's fingerprint.
    const one = (name: string) =>
      createScreener([{ ...entities[0]!, name, names: [{ full: name, kind: "primary" }] }]);
    const alpha = one("ALPHA BRAVO");
    alpha.screen({ name: "Alpha Bravo" });
    expect(() => one("ALPHA CHARLIE").rememberWords(alpha.lookedUpWords())).toThrow(/another index/);
    const fresh = createScreener(entities);
    const badIds = { ...saved, ids: saved.ids.map(() => saved.vocabSize + 5) };
    expect(() => fresh.rememberWords(badIds)).toThrow(/malformed/);
    const badStart = { ...saved, start: saved.start.slice(1) };
    expect(() => fresh.rememberWords(badStart)).toThrow(/malformed/);
    expect(fresh.lookedUpWords().words).toEqual([]);
  });
});

describe("ranking of equal scores", () => {
  const company = (nativeId: string, names: ListEntity["names"]): ListEntity => ({
    ...base,
    id: `ofac-sdn:${nativeId}`,
    listId: "ofac-sdn",
    nativeId,
    schema: "Company",
    name: names[0]!.full,
    names,
  });

  it("puts a record matched on its own name before one matched on an alias of the same text", () => {
    // Entered first (a lower index), the record that only carries the name as an alias.
    const screener = createScreener([
      company("26996", [
        { full: "GROUP GRAND LIMITED", kind: "primary" },
        { full: "GROUP GRAND LIMITED GENERAL TRADING", kind: "aka" },
      ]),
      company("26997", [{ full: "GROUP GRAND LIMITED GENERAL TRADING", kind: "primary" }]),
    ]);
    const results = screener.screen({ name: "GROUP GRAND GENERAL TRADING", schema: "Organization" });
    expect(results.map((r) => [r.entityId, r.explanation.listNameKind])).toEqual([
      ["ofac-sdn:26997", "primary"],
      ["ofac-sdn:26996", "aka"],
    ]);
    expect(results[0]!.score).toBe(results[1]!.score);
  });
});
