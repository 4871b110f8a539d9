import { normalizeCountry } from "../model/countries.js";
import { parseDateText } from "../model/dates.js";
import type {
  Country,
  DateValue,
  EntityLink,
  GENDERS,
  Identifier,
  IdentifierType,
  NameForm,
} from "../model/entity.js";

/**
 * The grammar of the Remarks column of OFAC's legacy CSV files (sdn.csv, cons_prim.csv).
 *
 * OFAC packs everything without a column of its own into Remarks as `; `-separated clauses,
 * each `[alt. ]LABEL VALUE`, and ends the whole text with one `.`:
 *
 * ```
 * DOB 12 Jan 1970; alt. DOB 1971; POB Baghdad, Iraq; nationality Iraq; Passport A123 (Iraq) issued
 * 01 Jan 2001 expires 01 Jan 2006; Gender Male; a.k.a. 'ABU ALI'; Linked To: BANK MELLI IRAN.
 * ```
 *
 * `alt.` marks a second value of the same kind and carries no other meaning. Every non-empty
 * Remarks in the files ends with a `.` that is the publisher's terminator, not part of the last
 * value (`Linked To: X S.A..` shows both), so one is removed. OFAC sometimes writes a single dot
 * where a name ending in "S.A." is last; the parser cannot tell, and `ofac-csv.ts` restores the dot
 * on a Linked To name when only the dotted form names a record.
 * Clauses that are prose (roles, family ties, "ICTY indictee") are kept in `unparsed`: they are
 * not errors. Only a recognised label whose value cannot be read produces an issue.
 */

export type OfacGender = (typeof GENDERS)[number];

/** A problem with one clause; the caller adds file, line and record. */
export interface OfacRemarkIssue {
  code: "bad-date" | "unknown-country" | "bad-identifier" | "bad-alias" | "bad-value";
  message: string;
  clause: string;
}

/** What the Remarks of one record say, in model terms. */
export interface OfacRemarkFacts {
  birthDates: DateValue[];
  birthPlaces: string[];
  nationalities: Country[];
  citizenships: Country[];
  /** Countries of registration of a vessel, aircraft or company ("Nationality of Registration", "Other Vessel Flag"). */
  countries: Country[];
  gender?: OfacGender;
  /** Low-quality a.k.a.s (kind `weak-aka`): the single-quoted ones OFAC keeps only in Remarks. */
  names: NameForm[];
  identifiers: Identifier[];
  links: EntityLink[];
  /** FollowTheMoney-style properties without a field of their own (model, buildDate, operator, incorporationDate...). */
  attributes: Record<string, string[]>;
  /** Clauses that are prose, kept as published (minus the `alt.` prefix). */
  unparsed: string[];
  issues: OfacRemarkIssue[];
}

const emptyFacts = (): OfacRemarkFacts => ({
  birthDates: [],
  birthPlaces: [],
  nationalities: [],
  citizenships: [],
  countries: [],
  names: [],
  identifiers: [],
  links: [],
  attributes: {},
  unparsed: [],
  issues: [],
});

/** Removes a clause-final full stop from a typed value ("Gender Male." at the end of a run of clauses). */
const stripStop = (text: string) => text.replace(/\s*\.\s*$/, "").trim();

function addAttribute(facts: OfacRemarkFacts, key: string, value: string): void {
  if (!value) return;
  const values = facts.attributes[key] ?? [];
  if (!values.includes(value)) values.push(value);
  facts.attributes[key] = values;
}

/** OFAC spellings the shared country table does not know (its names come from ICU). */
const OFAC_COUNTRY_SPELLINGS: Record<string, string> = {
  "cabo verde": "CV",
  "cabo verde. previously cape verde": "CV",
  "macedonia, the former yugoslav republic of": "MK",
  "man, isle of": "IM",
};

/**
 * `normalizeCountry` plus OFAC's own spellings: an inverted article ("Bahamas, The",
 * "Gambia, The") is read without it, "and" as ICU's "&" ("Trinidad and Tobago"), and a few
 * names ICU spells otherwise ("Cabo Verde"); the text kept is OFAC's.
 *
 * @example
 * normalizeOfacCountry("Bahamas, The") // { text: "Bahamas, The", code: "BS" }
 */
export function normalizeOfacCountry(text: string): Country {
  const country = normalizeCountry(text);
  if (country.code) return country;
  const code =
    OFAC_COUNTRY_SPELLINGS[country.text.toLowerCase().replace(/\.$/, "")] ??
    normalizeCountry(country.text.replace(/,\s*the$/i, "").replace(/\band\b/g, "&")).code;
  return code ? { text: country.text, code } : country;
}

function readCountry(facts: OfacRemarkFacts, text: string, clause: string): Country | undefined {
  const cleaned = stripStop(text);
  if (!cleaned) {
    facts.issues.push({ code: "bad-value", message: "country is empty", clause });
    return undefined;
  }
  const country = normalizeOfacCountry(cleaned);
  if (!country.code) {
    facts.issues.push({ code: "unknown-country", message: `unknown country '${cleaned}'`, clause });
  }
  return country;
}

/**
 * `parseDateText` plus the one OFAC shape it does not take: an approximate range
 * ("circa 1979-1982"), read as the range itself.
 */
function parseOfacDate(text: string): DateValue | undefined {
  const date = parseDateText(text);
  if (date) return date;
  const circa = text.match(/^circa\s+(.+)$/i);
  const range = circa ? parseDateText(circa[1]!) : undefined;
  return range?.kind === "range" ? { ...range, text, kind: "circa" } : undefined;
}

function readDate(facts: OfacRemarkFacts, text: string, clause: string): DateValue | undefined {
  const date = parseOfacDate(stripStop(text));
  if (!date)
    facts.issues.push({ code: "bad-date", message: `could not read date '${stripStop(text)}'`, clause });
  return date;
}

/** A date for a string attribute: the ISO prefix when it is one date, the text for a range or circa. */
function dateAttribute(date: DateValue): string {
  return date.from === date.to && date.kind !== "circa" ? date.from : date.text;
}

/**
 * Identifier labels as OFAC prints them, mapped to the model's kinds. Order matters where one
 * label is a prefix of another ("Passport Booklet" before "Passport").
 * - Russian "Government Gazette Number" is the OKPO statistical code (8 or 10 digits); for other
 *   countries it is a registry number, so its kind depends on the country (see `identifierKind`).
 * - "Tax ID No." stays `tax-id` for every country, Russia included (where it is the INN): the
 *   label is what OFAC says; equating a Russian tax-id with an INN is the matcher's call.
 * - IMO numbers hide behind three labels ("Vessel Registration Identification IMO 9187629",
 *   "Identification Number IMO ...", "Company Number IMO ..."), recognised from the value.
 */
const IDENTIFIER_LABELS: Array<[string, IdentifierType]> = [
  ["Diplomatic Passport", "passport"],
  ["British National Overseas Passport", "passport"],
  ["Stateless Person Passport", "passport"],
  ["Stateless Person ID Card", "national-id"],
  ["CNP (Personal Numerical Code)", "national-id"],
  ["UAE Identification", "national-id"],
  ["N.I.E.", "national-id"],
  ["Passport Booklet", "passport"],
  ["U.S.A. Passport", "passport"],
  ["Passport No.", "passport"],
  ["Passport", "passport"],
  ["National Foreign ID Number", "national-id"],
  ["National ID No.", "national-id"],
  ["National ID", "national-id"],
  ["Cedula No.", "national-id"],
  ["C.U.R.P. #", "national-id"],
  ["C.U.R.P.", "national-id"],
  ["D.N.I.", "national-id"],
  ["Personal ID Card", "national-id"],
  ["Kenyan ID No.", "national-id"],
  ["Moroccan Personal ID No.", "national-id"],
  ["Turkish Identification Number", "national-id"],
  ["Tazkira National ID Card", "national-id"],
  ["Numero de Identidad", "national-id"],
  ["Citizen's Card Number", "national-id"],
  ["Electoral Registry No.", "national-id"],
  ["Credencial electoral", "national-id"],
  ["I.F.E.", "national-id"],
  ["SSN", "national-id"],
  ["Identification Number", "national-id"],
  ["Tax ID No.", "tax-id"],
  ["Paraguayan tax identification number", "tax-id"],
  ["Romanian Tax Registration", "tax-id"],
  ["RSIN", "tax-id"],
  ["R.F.C. #", "tax-id"],
  ["R.F.C.", "tax-id"],
  ["RFC", "tax-id"],
  ["NIT #", "tax-id"],
  ["RUC #", "tax-id"],
  ["RIF #", "tax-id"],
  ["C.U.I.T.", "tax-id"],
  ["C.U.I.P.", "tax-id"],
  ["C.U.I.", "tax-id"],
  ["C.I.F.", "tax-id"],
  ["V.A.T. Number", "tax-id"],
  ["US FEIN", "tax-id"],
  ["Italian Fiscal Code", "tax-id"],
  ["RTN", "tax-id"],
  ["Numero Unico de Identificacao Tributaria (NUIT)", "tax-id"],
  ["Legal Entity Number", "lei"],
  ["SWIFT/BIC", "swift-bic"],
  ["Government Gazette Number", "registration-number"],
  ["Unified Social Credit Code (USCC)", "registration-number"],
  ["United Social Credit Code Certificate (USCCC)", "registration-number"],
  ["Business Registration Document #", "registration-number"],
  ["Business Registration Number", "registration-number"],
  ["Public Registration Number", "registration-number"],
  ["Commercial Registry Number", "registration-number"],
  ["Certificate of Incorporation Number", "registration-number"],
  ["Dubai Chamber of Commerce Membership No.", "registration-number"],
  ["Chamber of Commerce Number", "registration-number"],
  ["Registered Charity No.", "registration-number"],
  ["Folio Mercantil No.", "registration-number"],
  ["Matricula Mercantil No", "registration-number"],
  ["Registration Number", "registration-number"],
  ["Registration ID", "registration-number"],
  ["UK Company Number", "registration-number"],
  ["Company Number", "registration-number"],
  ["Enterprise Number", "registration-number"],
  ["Business Number", "registration-number"],
  ["Branch Unit Number", "registration-number"],
  ["Trade License No.", "registration-number"],
  ["C.R. No.", "registration-number"],
  ["Romanian C.R.", "registration-number"],
  ["Vessel Registration Identification", "imo"],
  ["MMSI", "mmsi"],
  ["Previous Aircraft Tail Number", "aircraft-registration"],
  ["Aircraft Tail Number", "aircraft-registration"],
  ["Aircraft Manufacturer's Serial Number (MSN)", "aircraft-serial"],
  ["Aircraft Construction Number (also called L/N or S/N or F/N)", "aircraft-serial"],
  ["Aircraft Serial Identification", "aircraft-serial"],
  ["Email Address", "email"],
  ["Email", "email"],
  ["Website", "website"],
  ["Telephone No.", "phone"],
  ["Telephone", "phone"],
  ["Phone Number", "phone"],
  ["Phone No.", "phone"],
  ["Phone", "phone"],
  ["Fax No.", "phone"],
  ["Fax", "phone"],
  ["ISIN", "other"],
  ["Equity Ticker", "other"],
  ["D-U-N-S Number", "other"],
  ["BIK (RU)", "other"],
  ["BIK", "other"],
  ["Driver's License No.", "other"],
  ["Travel Document Number", "other"],
  ["Refugee ID Card", "other"],
  ["Seafarer's Identification Document", "other"],
  ["Tarjeta Profesional", "other"],
  ["Residency Number", "other"],
  ["Birth Certificate Number", "other"],
  ["VisaNumberID", "other"],
  ["Pilot License Number", "other"],
  ["Public Security and Immigration No.", "other"],
  ["Immigration No.", "other"],
  ["Cartilla de Servicio Militar Nacional", "other"],
  ["LE Number", "other"],
  ["Chinese Commercial Code", "other"],
  ["Afghan Money Service Provider License Number", "other"],
  ["SRE Permit No.", "other"],
  ["Aircraft Mode S Transponder Code", "other"],
  ["UN/LOCODE", "other"],
  ["File Number", "other"],
  ["Serial No.", "other"],
  ["License", "other"],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

// One alternation, longest label first, so "Passport Booklet X" never reads as "Passport" + "Booklet X".
const IDENTIFIER_PATTERN = new RegExp(
  `^(${[...IDENTIFIER_LABELS]
    .map(([label]) => label)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|")})(?=[\\s:#]|$)\\s*:?\\s*(.*)$`,
  "i",
);
const IDENTIFIER_TYPE_BY_LABEL = new Map(
  IDENTIFIER_LABELS.map(([label, type]) => [label.toLowerCase(), type]),
);

/** "Digital Currency Address - XBT 1A2b..." names the currency in the label. */
const DIGITAL_CURRENCY = /^(Digital Currency Address - [A-Z0-9]+)\s+(\S+)$/i;
/** An IMO number, whatever label precedes it. */
const IMO_VALUE = /^IMO\s+(\d{5,7})$/;
/** Unknown labels that still announce an identifier; anything else unknown is prose. */
const GENERIC_ID_LABEL =
  /^([A-Z][A-Za-z .'/&()-]*?(?:No\.?|Number|#|ID|Code))\s+([A-Z0-9][A-Z0-9 ./-]*\d[A-Z0-9./-]*)(?:\s+\(([^)]+)\))?$/;

/** Kinds whose values always contain a digit; a value without one is a note, not a number. */
const NUMBERED_TYPES = new Set<IdentifierType>([
  "passport",
  "national-id",
  "tax-id",
  "registration-number",
  "mmsi",
  "lei",
]);

function identifierKind(type: IdentifierType, label: string, country?: Country): IdentifierType {
  if (label.toLowerCase() === "government gazette number" && country?.code === "RU") return "okpo";
  return type;
}

/**
 * Reads `VALUE [(COUNTRY)] [issued DATE] [expires DATE] [note]` after an identifier label.
 * The issue and expiry dates and any note stay in `label` ("Passport, issued 01 Jan 2001"),
 * the model's place for the publisher's wording.
 */
function readIdentifier(
  facts: OfacRemarkFacts,
  type: IdentifierType,
  publisherLabel: string,
  rest: string,
  clause: string,
): boolean {
  const text = stripStop(rest);
  let label = publisherLabel;
  // Contacts are one token; anything after it ("www.x.org. Offices Worldwide") is prose.
  if (type === "email" || type === "website") {
    const [value, ...more] = text.split(/\s+/);
    const cleaned = stripStop(value ?? "");
    if (!cleaned) return false;
    facts.identifiers.push({ type, value: cleaned, label });
    if (more.length) facts.unparsed.push(more.join(" "));
    return true;
  }
  const imo = text.match(IMO_VALUE);
  if (imo) {
    facts.identifiers.push({ type: "imo", value: imo[1]!, label: `${label} IMO` });
    return true;
  }
  // "(98)(21)(66153220)" is a dialling code, not a country.
  if (type === "phone") {
    facts.identifiers.push({ type, value: text, label });
    return true;
  }
  const match = text.match(
    /^(.*?)(?:\s*\(([^()]+)\))?(?:\s+(issued|expires|Issue Date|Expir\w* Date)\b(.*))?$/i,
  );
  const value = match?.[1]?.trim() ?? "";
  if (!value || (NUMBERED_TYPES.has(type) && !/\d/.test(value))) {
    // "NIT # Provisional (Colombia)" says there is no number yet.
    facts.issues.push({ code: "bad-identifier", message: `no ${label} number in '${text}'`, clause });
    facts.unparsed.push(clause);
    return false;
  }
  const countryText = match?.[2];
  let country: Country | undefined;
  // Colombian commercial registrations may name the chamber's city in brackets: "(Medellin)".
  if (countryText && /^Matricula Mercantil/i.test(label) && !normalizeOfacCountry(countryText).code) {
    label = `${label} (${countryText})`;
  } else if (countryText) {
    country = readCountry(facts, countryText, clause);
  }
  const note = match?.[3] ? `${match[3]}${match[4] ?? ""}`.trim() : "";
  if (note) {
    for (const dateMatch of note.matchAll(
      /(?:issued|expires)\s+((?:\d{1,2}\s+)?(?:[A-Za-z]{3}\s+)?\d{4})/g,
    )) {
      readDate(facts, dateMatch[1]!, clause);
    }
  }
  const identifier: Identifier = {
    type: identifierKind(type, label, country),
    value,
    label: note ? `${label}, ${note}` : label,
  };
  if (country) identifier.country = country;
  facts.identifiers.push(identifier);
  return true;
}

/** Clauses that qualify the sanctions rather than the party, kept as attributes by key. */
const SANCTIONS_NOTES: Array<[RegExp, string]> = [
  [/^Additional Sanctions Information\s*-\s*(.+)$/i, "additionalSanctionsInformation"],
  [/^Secondary sanctions risk:\s*(.+)$/i, "secondarySanctionsRisk"],
  [
    /^(Transactions Prohibited For Persons Owned or Controlled By U\.S\. Financial Institutions:.+)$/i,
    "sanctionsInformation",
  ],
  [
    /^(Executive Order \d+ (?:Directive Determination|Directive Information|information).*)$/i,
    "sanctionsInformation",
  ],
  [/^(CAATSA Section \d+ Information:.+)$/i, "sanctionsInformation"],
  [/^(IFCA Determination.+)$/i, "sanctionsInformation"],
  [/^((?:Listing Date|Effective Date|Purchase\/Sales For Divestment Date) \(.+)$/i, "sanctionsInformation"],
];

/** Plain-text properties: label → attribute key (FollowTheMoney names where they exist). */
const TEXT_ATTRIBUTES: Array<[RegExp, string]> = [
  [/^Aircraft Model\s+(.+)$/i, "model"],
  [/^Aircraft Operator\s+(.+)$/i, "operator"],
  [/^Former Vessel Flag\s+(.+)$/i, "pastFlags"],
  [/^Other Vessel Type\s+(.+)$/i, "vesselType"],
  [/^Other Vessel Call Sign\s+(.+)$/i, "callSign"],
  [/^Organization Type:\s*(.+)$/i, "sector"],
  [/^Target Type\s+(.+)$/i, "targetType"],
  [/^Issuer Name\s+(.+)$/i, "issuerName"],
  [/^Position:\s*(.+)$/i, "position"],
];

/** Date properties: label → attribute key; the value is an ISO prefix when it is one date. */
const DATE_ATTRIBUTES: Array<[RegExp, string]> = [
  [/^Organization Established Date\s+(.+)$/i, "incorporationDate"],
  [/^Aircraft Manufacture Date\s+(.+)$/i, "buildDate"],
];

type ClauseRule = [RegExp, (facts: OfacRemarkFacts, match: RegExpMatchArray, clause: string) => void];

function pushCountry(list: (facts: OfacRemarkFacts) => Country[]): ClauseRule[1] {
  return (facts, match, clause) => {
    const country = readCountry(facts, match[1]!, clause);
    if (country) list(facts).push(country);
  };
}

/**
 * The clause grammar, tried in order; the first pattern that matches owns the clause.
 * Identifier labels come after the specific rules so "Aircraft Model" or "Nationality of
 * Registration" are never read as identifiers.
 */
const CLAUSE_RULES: ClauseRule[] = [
  [
    /^DOB\s+(.+)$/i,
    (facts, m, clause) => {
      const date = readDate(facts, m[1]!, clause);
      if (date) facts.birthDates.push(date);
    },
  ],
  [/^POB\s+(.+)$/i, (facts, m) => void facts.birthPlaces.push(stripStop(m[1]!))],
  // OFAC's placeholder for an unknown flag says nothing.
  [/^(?:Former|Other) Vessel Flag None Identified$/i, () => {}],
  [/^Nationality of Registration\s+(.+)$/i, pushCountry((facts) => facts.countries)],
  [/^nationality\s+(?:possibly\s+)?(.+)$/i, pushCountry((facts) => facts.nationalities)],
  [/^citizen\s+(.+)$/i, pushCountry((facts) => facts.citizenships)],
  [
    /^Other Vessel Flag\s+(.+)$/i,
    (facts, m, clause) => {
      pushCountry((f) => f.countries)(facts, m, clause);
      addAttribute(facts, "flag", stripStop(m[1]!));
    },
  ],
  [
    /^Gender\s+(.+)$/i,
    (facts, m, clause) => {
      const gender = stripStop(m[1]!).toLowerCase();
      if (gender === "male" || gender === "female") facts.gender = gender;
      else facts.issues.push({ code: "bad-value", message: `unknown gender '${m[1]}'`, clause });
    },
  ],
  // OFAC's "weak" a.k.a.s: low-quality aliases (nicknames, partial names) are never in alt.csv; the
  // published files carry them only here, single-quoted (none of the 2,441 in the SDN file repeats an
  // alt.csv name). The quotes may hold apostrophes ('ABU 'ABD'), so the name runs to the last quote.
  // A quoted f.k.a. is a weak former name; the model has no weaker kind than `weak-aka` for it.
  [
    /^[afn]\.k\.a\.,?\s*(.*)$/i,
    (facts, m, clause) => {
      const body = stripStop(m[1]!.trim());
      const quoted = body.match(/^'(.*)'$/s);
      const name = (quoted ? quoted[1]! : body).trim();
      if (!name) {
        facts.issues.push({ code: "bad-alias", message: "empty a.k.a.", clause });
        return;
      }
      if (!quoted)
        facts.issues.push({ code: "bad-alias", message: `a.k.a. without quotes: '${body}'`, clause });
      facts.names.push({ full: name, kind: "weak-aka" });
    },
  ],
  [
    /^Linked To:?\s*(.+)$/i,
    (facts, m) => void facts.links.push({ relation: "linked-to", text: m[1]!.trim() }),
  ],
  [
    /^For more information.*?link:?\s*(https?:\/\/\S+?)\.?$/i,
    (facts, m) => addAttribute(facts, "sourceUrl", m[1]!),
  ],
  ...SANCTIONS_NOTES.map(
    ([pattern, key]): ClauseRule => [pattern, (facts, m) => addAttribute(facts, key, stripStop(m[1]!))],
  ),
  ...DATE_ATTRIBUTES.map(
    ([pattern, key]): ClauseRule => [
      pattern,
      (facts, m, clause) => {
        const date = readDate(facts, m[1]!, clause);
        if (date) addAttribute(facts, key, dateAttribute(date));
      },
    ],
  ),
  [
    DIGITAL_CURRENCY,
    (facts, m) => void facts.identifiers.push({ type: "other", value: stripStop(m[2]!), label: m[1]! }),
  ],
  // Old records give bare contacts, sometimes tagged: "info@x.org (email)", "http://x.org (website)".
  [
    /^((?:https?:\/\/|www\.)\S+)(?:\s+\(website\))?$/i,
    (facts, m) => void facts.identifiers.push({ type: "website", value: stripStop(m[1]!), label: "Website" }),
  ],
  [
    /^([^\s@]+@[^\s@]+\.\w+)(?:\s+\(email\))?\.?$/i,
    (facts, m) => void facts.identifiers.push({ type: "email", value: stripStop(m[1]!), label: "Email" }),
  ],
  [
    IDENTIFIER_PATTERN,
    (facts, m, clause) => {
      const label =
        IDENTIFIER_LABELS.find(([known]) => known.toLowerCase() === m[1]!.toLowerCase())?.[0] ?? m[1]!;
      const type = IDENTIFIER_TYPE_BY_LABEL.get(label.toLowerCase()) ?? "other";
      // "Passport and National ID were issued in Ulm" is prose that starts with a label.
      if (!m[2] || /^(?:and|issued|were|was|of|in|place)\b/i.test(m[2])) facts.unparsed.push(clause);
      else readIdentifier(facts, type, label, m[2], clause);
    },
  ],
  ...TEXT_ATTRIBUTES.map(
    ([pattern, key]): ClauseRule => [pattern, (facts, m) => addAttribute(facts, key, stripStop(m[1]!))],
  ),
  [
    GENERIC_ID_LABEL,
    (facts, m, clause) => {
      const country = m[3] ? readCountry(facts, m[3], clause) : undefined;
      const identifier: Identifier = { type: "other", value: m[2]!.trim(), label: m[1]! };
      if (country) identifier.country = country;
      facts.identifiers.push(identifier);
    },
  ],
];

function parseClause(facts: OfacRemarkFacts, clause: string): void {
  for (const [pattern, apply] of CLAUSE_RULES) {
    const match = clause.match(pattern);
    if (match) {
      apply(facts, match, clause);
      return;
    }
  }
  facts.unparsed.push(clause);
}

/**
 * Parses the Remarks of one OFAC legacy CSV record (with the sdn_comments.csv continuation already
 * appended) into structured facts. Pure; never throws: an unreadable value is an issue, prose is
 * returned in `unparsed`.
 *
 * @example
 * parseOfacRemarks("DOB 12 Jan 1970; alt. DOB 1971; nationality Iran; Passport A123 (Iran); a.k.a. 'ABU ALI'.")
 * // { birthDates: [{ text: "12 Jan 1970", kind: "exact", ... }, { text: "1971", kind: "year", ... }],
 * //   nationalities: [{ text: "Iran", code: "IR" }],
 * //   identifiers: [{ type: "passport", value: "A123", country: { text: "Iran", code: "IR" }, label: "Passport" }],
 * //   names: [{ full: "ABU ALI", kind: "weak-aka" }], ... }
 */
export function parseOfacRemarks(text: string): OfacRemarkFacts {
  const facts = emptyFacts();
  const trimmed = text.trim();
  if (!trimmed || /^-0-$/.test(trimmed)) return facts;
  // One terminal full stop belongs to the whole text (see the module comment).
  const body = trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
  for (const part of body.split(";")) {
    const clause = part
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^alt\.\s*/i, "");
    if (clause) parseClause(facts, clause);
  }
  return facts;
}
