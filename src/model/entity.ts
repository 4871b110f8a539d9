import { z } from "zod";

/**
 * The schemas an entity can have. `LegalEntity` is the generic party used when a list does not
 * say whether a record is a person or a body; `Company` is an `Organization` that trades.
 * Names follow FollowTheMoney so that exports and yente-style queries need no mapping.
 *
 * @example
 * const schema: EntitySchema = "Person";
 */
export const ENTITY_SCHEMAS = [
  "Person",
  "Organization",
  "Company",
  "LegalEntity",
  "Vessel",
  "Aircraft",
] as const;
export type EntitySchema = (typeof ENTITY_SCHEMAS)[number];
export const entitySchemaSchema = z.enum(ENTITY_SCHEMAS);

/**
 * How a name form relates to the party. Lists distinguish strong aliases (a.k.a., good quality)
 * from weak ones (low quality, nicknames) and former names (f.k.a.); screening weighs them differently.
 */
export const NAME_KINDS = ["primary", "aka", "weak-aka", "fka", "original-script"] as const;
export type NameKind = (typeof NAME_KINDS)[number];

/**
 * One written form of a party's name.
 *
 * @example
 * { full: "صدام حسين التكريتي", kind: "original-script", script: "Arab" }
 * { full: "KISELYOV, Dmitry Konstantinovich", kind: "primary", parts: { last: "KISELYOV", first: "Dmitry", middle: "Konstantinovich" } }
 */
export const nameFormSchema = z.object({
  full: z.string().min(1),
  kind: z.enum(NAME_KINDS),
  /** ISO 15924 code of the dominant non-Latin script (Cyrl, Arab, Hans...), when not Latin. */
  script: z.string().optional(),
  /** Name parts when the list gives them separately. */
  parts: z
    .object({
      first: z.string().optional(),
      middle: z.string().optional(),
      last: z.string().optional(),
      patronymic: z.string().optional(),
      title: z.string().optional(),
    })
    .optional(),
});
export type NameForm = z.infer<typeof nameFormSchema>;

/**
 * A country as the publisher wrote it, with its ISO 3166-1 alpha-2 code when it could be resolved.
 * The text is kept because "Burma / Birmanie" or "Iran (Islamic Republic of)" is what the analyst
 * sees in the source; the code is what screening compares.
 */
export const countrySchema = z.object({
  text: z.string(),
  code: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
export type Country = z.infer<typeof countrySchema>;

export const DATE_KINDS = ["exact", "year-month", "year", "range", "circa"] as const;
export type DateKind = (typeof DATE_KINDS)[number];

/**
 * A date as lists give it: exact, year only, a range ("1960 to 1962") or approximate ("circa 1955").
 * `from`/`to` are ISO prefixes (YYYY, YYYY-MM or YYYY-MM-DD) bounding the possible dates, so a
 * comparison never needs to re-parse `text`.
 *
 * @example
 * { text: "circa 1955", kind: "circa", from: "1954", to: "1956" }
 * { text: "12 Jan 1970", kind: "exact", from: "1970-01-12", to: "1970-01-12" }
 */
export const dateValueSchema = z.object({
  text: z.string(),
  kind: z.enum(DATE_KINDS),
  from: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
  to: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
});
export type DateValue = z.infer<typeof dateValueSchema>;

export const addressSchema = z.object({
  /** The address as one line, as published. */
  full: z.string().optional(),
  street: z.string().optional(),
  city: z.string().optional(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: countrySchema.optional(),
});
export type Address = z.infer<typeof addressSchema>;

/**
 * Identifier kinds. An equal passport, IMO or INN is near-certain evidence in screening,
 * so the kind must be precise; anything unrecognised is `other` with the publisher's label in `label`.
 */
export const IDENTIFIER_TYPES = [
  "passport",
  "national-id",
  "tax-id",
  "inn",
  "ogrn",
  "kpp",
  "okpo",
  "registration-number",
  "imo",
  "mmsi",
  "swift-bic",
  "lei",
  "aircraft-registration",
  "aircraft-serial",
  "email",
  "website",
  "phone",
  "other",
] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export const identifierSchema = z.object({
  type: z.enum(IDENTIFIER_TYPES),
  value: z.string().min(1),
  country: countrySchema.optional(),
  /** The publisher's own label or note, e.g. "Passport No." or "issued 2005, expires 2015". */
  label: z.string().optional(),
});
export type Identifier = z.infer<typeof identifierSchema>;

/**
 * Why and under what a party is listed. One entity can carry several (an OFAC record under
 * SDGT and IRGC; an EU row under a given act, annex and measure).
 */
export const sanctionSchema = z.object({
  /** Programme or regime code as published: "SDGT", "RUSSIA-EO14024", "Russia", "EU-IRN". */
  program: z.string().optional(),
  /** Legal act: EU CELEX number, Federal Register citation... */
  act: z.string().optional(),
  annex: z.string().optional(),
  /** The measure: "Asset freeze", "Export control", "Investment ban", "Denial of export privileges". */
  measure: z.string().optional(),
  /** For aggregated lists such as the US CSL, the underlying list ("Entity List (EL) - Bureau of Industry and Security"). */
  sourceList: z.string().optional(),
  authority: z.string().optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  reason: z.string().optional(),
});
export type Sanction = z.infer<typeof sanctionSchema>;

/** A reference to another party ("Linked To: BANK MELLI IRAN"). */
export const entityLinkSchema = z.object({
  relation: z.string(),
  text: z.string(),
  /** Resolved id when the linked party is on the same list. */
  entityId: z.string().optional(),
});
export type EntityLink = z.infer<typeof entityLinkSchema>;

export const GENDERS = ["male", "female", "other"] as const;

/**
 * One listed party, in the one model every parser produces and every other layer consumes.
 * `id` is `<listId>:<nativeId>`, stable across imports of newer versions of the same list.
 *
 * @example
 * {
 *   id: "ofac-sdn:7843", listId: "ofac-sdn", nativeId: "7843", schema: "Person",
 *   name: "HUSSEIN AL-TIKRITI, Saddam",
 *   names: [{ full: "HUSSEIN AL-TIKRITI, Saddam", kind: "primary" }, { full: "Abu Ali", kind: "weak-aka" }],
 *   birthDates: [{ text: "28 Apr 1937", kind: "exact", from: "1937-04-28", to: "1937-04-28" }],
 *   nationalities: [{ text: "Iraq", code: "IQ" }], ...
 * }
 */
export const listEntitySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+:.+$/),
  listId: z.string(),
  nativeId: z.string().min(1),
  schema: entitySchemaSchema,
  /** The primary name as published. Also present in `names` with kind "primary". */
  name: z.string().min(1),
  names: z.array(nameFormSchema),
  gender: z.enum(GENDERS).optional(),
  birthDates: z.array(dateValueSchema).default([]),
  birthPlaces: z.array(z.string()).default([]),
  nationalities: z.array(countrySchema).default([]),
  citizenships: z.array(countrySchema).default([]),
  /** Countries the party is tied to other than by nationality (company jurisdiction, list's country column, flag). */
  countries: z.array(countrySchema).default([]),
  addresses: z.array(addressSchema).default([]),
  identifiers: z.array(identifierSchema).default([]),
  sanctions: z.array(sanctionSchema).default([]),
  listedOn: z.string().optional(),
  remarks: z.array(z.string()).default([]),
  links: z.array(entityLinkSchema).default([]),
  /**
   * Format-specific facts without a field of their own, keyed by FollowTheMoney property name
   * where one exists: title, position, callSign, vesselType, tonnage, flag, aircraftType...
   */
  attributes: z.record(z.string(), z.array(z.string())).default({}),
  /** The source record as parsed, before normalisation, for the analyst and the auditor. */
  raw: z.unknown(),
});
export type ListEntity = z.infer<typeof listEntitySchema>;
/** What a parser builds; defaults are filled by `listEntitySchema.parse`. */
export type ListEntityInput = z.input<typeof listEntitySchema>;

/**
 * Builds an entity id from a list id and the publisher's native id.
 *
 * @example
 * entityId("ofac-sdn", 7843) // "ofac-sdn:7843"
 */
export function entityId(listId: string, nativeId: string | number): string {
  return `${listId}:${String(nativeId).trim()}`;
}
