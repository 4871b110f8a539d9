import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ListEntity } from "../model/index.js";
import { createScreener } from "./screener.js";

const FIRST = [
  "mohammad",
  "muhammad",
  "ali",
  "hassan",
  "hussein",
  "ahmad",
  "abdul",
  "rahman",
  "omar",
  "yusuf",
  "ibrahim",
  "dmitry",
  "sergei",
  "alexander",
  "vladimir",
  "nikolai",
  "andrei",
  "olga",
  "tatiana",
  "yelena",
  "igor",
  "john",
  "maria",
  "jose",
  "carlos",
  "luis",
  "kim",
  "jong",
  "chol",
  "li",
  "wei",
  "mehdi",
  "reza",
  "hamid",
  "gholam",
  "saeed",
  "javad",
  "khalid",
  "tariq",
  "ismail",
  "yevgeny",
  "pavel",
  "viktor",
  "mikhail",
  "anna",
];
const LAST = [
  "tikriti",
  "kiselyov",
  "ivanov",
  "petrov",
  "sidorov",
  "rezaei",
  "hosseini",
  "ahmadi",
  "karimi",
  "al-masri",
  "al-baghdadi",
  "haqqani",
  "zazueta",
  "gomez",
  "fernandez",
  "gutierrez",
  "mudacumura",
  "katanga",
  "makenga",
  "rodkin",
  "timofeev",
  "ponomarev",
  "kulik",
  "shammout",
  "azari",
  "jahromi",
  "fakhrizadeh",
  "maleki",
  "akhlaghi",
  "yasin",
  "rahimi",
  "sokolov",
  "volkov",
  "morozov",
  "novikov",
  "kozlov",
  "lebedev",
  "popov",
  "nasrallah",
  "zarif",
  "soleimani",
  "qasemi",
  "mirzaei",
  "tehrani",
  "shirazi",
  "sadeghi",
  "jafari",
  "moradi",
];
const ORG = [
  "trading",
  "industrial",
  "group",
  "shipping",
  "electronics",
  "aviation",
  "research",
  "center",
  "bank",
  "international",
  "technology",
  "engineering",
  "systems",
  "components",
  "logistics",
  "export",
  "import",
  "shahed",
  "alabuga",
  "rosoboronexport",
  "kalashnikov",
  "tupolev",
  "sukhoi",
  "mikoyan",
  "almaz",
  "antey",
  "daedong",
  "fajr",
  "ghods",
  "qods",
  "sepehr",
  "energy",
  "petro",
  "marine",
  "star",
  "golden",
  "ocean",
];
const LEGAL = ["llc", "ltd", "jsc", "gmbh", "co", "limited", "company", ""];

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

const personName = fc
  .tuple(fc.constantFrom(...FIRST), fc.constantFrom(...FIRST), fc.constantFrom(...LAST), fc.boolean())
  .map(([f, m, l, middle]) => (middle ? `${l.toUpperCase()}, ${f} ${m}` : `${f} ${l}`));
const orgName = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...ORG), { minLength: 1, maxLength: 4 }), fc.constantFrom(...LEGAL))
  .map(([words, legal]) => `${words.join(" ")} ${legal}`.trim().toUpperCase());

function corpus(size: number, seed: number): ListEntity[] {
  const names = fc.sample(fc.tuple(fc.boolean(), personName, orgName, fc.option(personName)), {
    numRuns: size,
    seed,
  });
  return names.map(([person, p, o, alias], i) => {
    const primary = person ? p : o;
    const forms: { full: string; kind: "primary" | "aka" }[] = [{ full: primary, kind: "primary" }];
    if (person && alias) forms.push({ full: alias, kind: "aka" as const });
    return {
      ...base,
      id: `t:${i}`,
      listId: i % 3 === 0 ? "a" : "b",
      nativeId: String(i),
      schema: person ? "Person" : "Organization",
      name: primary,
      names: forms,
    };
  });
}

/** A typo, a dropped word, a swap, an initial: the perturbations screening must survive. */
const perturbation = fc.oneof(
  fc.record({
    op: fc.constant("typo" as const),
    at: fc.nat(),
    char: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
  }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("reorder" as const) }),
  fc.record({ op: fc.constant("initial" as const), at: fc.nat() }),
);

function perturb(name: string, ops: { op: string; at?: number; char?: string }[]): string {
  let words = name.replace(/,/g, "").split(" ").filter(Boolean);
  for (const { op, at = 0, char = "x" } of ops) {
    const w = at % words.length;
    const word = words[w]!;
    const c = at % Math.max(1, word.length);
    if (op === "typo") words[w] = word.slice(0, c) + char + word.slice(c + 1);
    else if (op === "delete" && word.length > 4) words[w] = word.slice(0, c) + word.slice(c + 1);
    else if (op === "swap" && word.length > 3 && c + 1 < word.length)
      words[w] = word.slice(0, c) + word[c + 1] + word[c] + word.slice(c + 2);
    else if (op === "drop" && words.length > 2) words = words.filter((_, i) => i !== w);
    else if (op === "reorder") words = [...words.slice(1), words[0]!];
    else if (op === "initial" && words.length > 2) words[w] = `${word[0]}.`;
  }
  return words.join(" ");
}

describe("candidate generation against a brute-force scan", () => {
  const entities = corpus(4000, 7);
  const screener = createScreener(entities);

  it("misses fewer than 0.5% of the true best matches", () => {
    const queries = fc.sample(
      fc.oneof(
        fc
          .tuple(fc.nat(entities.length - 1), fc.array(perturbation, { minLength: 0, maxLength: 3 }))
          .map(([e, ops]) => perturb(entities[e]!.name, ops)),
        personName,
        orgName,
      ),
      { numRuns: 1500, seed: 11 },
    );
    let withTrueMatch = 0;
    const misses: string[] = [];
    for (const name of queries) {
      const [truth] = screener.screenBruteForce({ name }, { limit: 1 });
      // "True best match": the brute-force scorer's best entity at or above the lower cut-off.
      if (!truth) continue;
      withTrueMatch++;
      const found = screener.screen({ name }, { limit: 10 });
      const hit =
        found.some((r) => r.entityId === truth.entityId) || (found[0]?.score ?? 0) >= truth.score - 1e-9;
      if (!hit) misses.push(`${name} → ${truth.entityId} ${truth.name} ${truth.score}`);
    }
    const missRate = misses.length / withTrueMatch;
    expect(withTrueMatch).toBeGreaterThan(1000);
    expect(
      missRate,
      `${misses.length}/${withTrueMatch} missed:\n${misses.slice(0, 10).join("\n")}`,
    ).toBeLessThan(0.005);
  });

  it("filters by list and schema before scoring", () => {
    const person = entities.find((e) => e.schema === "Person" && e.listId === "a")!;
    expect(screener.screen({ name: person.name }, { lists: ["b"] }).every((r) => r.list === "b")).toBe(true);
    expect(
      screener.screen({ name: person.name, schema: "Vessel" }).length,
      "a person never matches a vessel query",
    ).toBe(0);
  });
});

/** One record of list "t" with a single primary name, for the cases below. */
function listed(id: string, name: string, schema: ListEntity["schema"]): ListEntity {
  return {
    ...base,
    id: `t:${id}`,
    listId: "t",
    nativeId: id,
    schema,
    name,
    names: [{ full: name, kind: "primary" }],
  };
}

describe("candidate generation with common words beyond the two rarest", () => {
  // The shape of the real case: one man listed on many lists under many aliases, so dozens of
  // names share his two rarest words; only his full name also carries the common "IBRAHIM HASAN".
  const person = (id: string, name: string) => listed(id, name, "Person");
  const given = ["AHMAD", "OMAR", "KHALID", "YUSUF", "TARIQ", "ZAID", "HAMZA", "BILAL"];
  const entities: ListEntity[] = [
    // Common words: on more names than a word beyond the two rarest is expanded through.
    ...Array.from({ length: 900 }, (_, i) =>
      person(`i${i}`, `IBRAHIM ${LAST[i % LAST.length]} ${given[i % 8]}`),
    ),
    ...Array.from({ length: 900 }, (_, i) =>
      person(`h${i}`, `HASAN ${LAST[(i + 3) % LAST.length]} ${given[(i + 5) % 8]}`),
    ),
    // Short aliases sharing the rare words: each covers more of itself than the full name does.
    ...given.flatMap((g, i) => [
      person(`s${i}`, `SABAWI ${g} AL-TIKRITI`),
      person(`t${i}`, `${g} SABAWI AL-TIKRITI`),
      person(`u${i}`, `SABAWI AL-TIKRITI ${g} ${given[(i + 1) % 8]}`),
    ]),
    person("target", "Ibrahim Sabawi Ibrahim Hasan Al-Tikriti"),
  ];
  const screener = createScreener(entities);

  it("ranks the name that also shares the common words among the candidates", () => {
    const [best] = screener.screen({ name: "IBRAHIM SABAWI IBRAHIM HASAN AL-TIKRITI" });
    expect(best?.entityId).toBe("t:target");
    expect(best?.score).toBe(1);
  });
});

describe("candidate generation across respacing", () => {
  // A name that differs from the query only in its spaces shares no word with it: "VABO" /
  // "VA BO" (OFAC lists both "VABO 2005 EOOD" and "VA BO KAMPANI EOOD"). Among many names that
  // share only the legal-form words, nothing else would rank it into the candidates.
  const company = (id: string, name: string) => listed(id, name, "Organization");
  const entities: ListEntity[] = [
    ...LAST.flatMap((last, i) => [
      company(`c${i}`, `${last} COMPANY EOOD`),
      company(`d${i}`, `${last} TRADING EOOD`),
    ]),
    company("spaced", "VA BO COMPANY EOOD"),
    company("joined", "VABO TRADING EOOD"),
    company("other", "VABO MANAGEMENT EOOD"),
  ];
  const screener = createScreener(entities);

  it("finds a name whose words are written together in the query", () => {
    const [best] = screener.screen({ name: "VABO COMPANY EOOD", schema: "Organization" });
    expect(best?.entityId).toBe("t:spaced");
    expect(best?.match).toBe(true);
  });

  it("finds a name whose word is written apart in the query", () => {
    const [best] = screener.screen({ name: "VA BO TRADING EOOD", schema: "Organization" });
    expect(best?.entityId).toBe("t:joined");
    expect(best?.match).toBe(true);
  });
});
