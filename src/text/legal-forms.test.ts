import { describe, expect, it } from "vitest";
import {
  findLegalForms,
  LEGAL_FORM_KINDS,
  LEGAL_FORMS,
  type LegalFormHit,
  mistypedLegalForm,
} from "./legal-forms.js";
import { normalizeName } from "./normalize.js";

describe("findLegalForms", () => {
  const cases: Array<[string, string, LegalFormHit[]]> = [
    ["ООО «Ромашка»", "romashka", [{ kind: "llc", text: "ooo" }]],
    ["Romashka LLC", "romashka", [{ kind: "llc", text: "llc" }]],
    [
      "Общество с ограниченной ответственностью Ромашка",
      "romashka",
      [{ kind: "llc", text: "obshchestvo s ogranichennoy otvetstvennostyu" }],
    ],
    ["АО Алабуга", "alabuga", [{ kind: "jsc", text: "ao" }]],
    ["ZAO Alabuga", "alabuga", [{ kind: "jsc", text: "zao" }]],
    ["ПАО Сбербанк", "sberbank", [{ kind: "pjsc", text: "pao" }]],
    ["Sberbank PJSC", "sberbank", [{ kind: "pjsc", text: "pjsc" }]],
    ["ТОО Казахстан", "kazakhstan", [{ kind: "llc", text: "too" }]],
    ["ANGLO-CARIBBEAN CO., LTD.", "anglo caribbean", [{ kind: "co-ltd", text: "co ltd" }]],
    [
      "Aselsan Elektronik Sanayi ve Ticaret A.Ş.",
      "aselsan elektronik sanayi ve ticaret",
      [{ kind: "as", text: "a s" }],
    ],
    ["Özdemir Makine Ltd. Şti.", "ozdemir makine", [{ kind: "ltd-sti", text: "ltd sti" }]],
    ["华为技术有限公司", "huaweijishu", [{ kind: "co-ltd", text: "youxiangongsi" }]],
    ["Siemens AG", "siemens", [{ kind: "ag", text: "ag" }]],
    ["Mahan Air FZE", "mahan air", [{ kind: "fze", text: "fze" }]],
    ["FGUP Rosoboronexport", "rosoboronexport", [{ kind: "state-enterprise", text: "fgup" }]],
    ["Romashka LLC Trading", "romashka trading", [{ kind: "llc", text: "llc" }]],
    ["Sp. z o.o. Polmex", "polmex", [{ kind: "sp-zoo", text: "sp z o o" }]],
    ["Acme GmbH & Co. KG", "acme", [{ kind: "kg", text: "gmbh co kg" }]],
    ["Shahed Aviation Industries Research Center", "shahed aviation industries research center", []],
    // Ambiguous short forms only at the edges; initials of a person are not a Turkish A.Ş.
    ["Banco SA Bank", "banco sa bank", []],
    ["Ivanov A.S.", "ivanov a s", []],
    // A name that is only a legal form stays whole.
    ["Limited", "limited", []],
    ["AO", "ao", []],
  ];
  it.each(cases)("%s → %j %j", (text, rest, hits) => {
    expect(findLegalForms(normalizeName(text))).toEqual({ rest, hits });
  });

  it("uses only declared kinds", () => {
    for (const form of LEGAL_FORMS) expect(LEGAL_FORM_KINDS).toContain(form.kind);
  });
});

describe("mistypedLegalForm", () => {
  it.each([
    [
      "MABROOOKA TRADING CO L.LL.C.",
      { kind: "llc", word: "llc", text: "MABROOOKA TRADING CO llc", written: "L.LL.C." },
    ],
    ["NUUTRISHOP, S.AA.", { kind: "sa", word: "sa", text: "NUUTRISHOP, sa", written: "S.AA." }],
    ["ROMASHKA LL.C.", { kind: "llc", word: "llc", text: "ROMASHKA llc", written: "LL.C." }],
    ["FOO S.P.AA.", { kind: "spa", word: "spa", text: "FOO spa", written: "S.P.AA." }],
  ])("reads %s as a legal form", (name, expected) => {
    expect(mistypedLegalForm(name)).toEqual(expected);
  });

  it.each([
    "NUTRISHOP, S.A.", // written right: findLegalForms' business
    "CONSTRUCTORA H.L.P.", // one letter a dot: the company's own initials, one slip from L.P.
    "CONSTRUCTORA H.L.P.))", // trailing punctuation is not a two-letter group
    "BAR INC (U.S.A.),",
    "BAR INC. U.S.A.", // a place, one slip from S.A.
    "ACCESOS S.A.DE C.V.", // ends in a regular C.V.
    "CARNES LA MUNDIAL M.A", // two letters: as likely initials
    "SHAHED AVIATION", // no abbreviation
  ])("leaves %s alone", (name) => {
    expect(mistypedLegalForm(name)).toBeUndefined();
  });
});
