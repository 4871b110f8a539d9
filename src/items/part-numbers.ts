import { normalizeMakerText, type PartFamilies, type PartFamily } from "./controls.js";

export interface PartMatch {
  family: PartFamily;
  partNumber: string;
  /** True when the line's manufacturer is one of the family's makers; null when no manufacturer was given (or the family is a multi-source standard). */
  makerAgrees: boolean | null;
}

/** A family whose pattern fits the part number but which was not taken, and why. */
export interface SkippedFamily {
  family: PartFamily;
  reason: "other-maker" | "maker-required";
}

/** What the part-number table says about one part number. */
export interface PartLookup {
  match: PartMatch | null;
  skipped: SkippedFamily[];
}

// What people write in a manufacturer cell when there is no manufacturer to name.
const NO_MAKER =
  /^(n ?a|none|nil|unknown|unbranded|generic|oem|no ?brand|no ?name|noname|various|tbd|other|china|made in china|无|无品牌|其他|нет|неизвестно|без бренда|без марки|прочие)?$/u;

/**
 * Normalises a manufacturer part number for matching: upper case, letters and digits only
 * ("NEO-M8N-0-10" → "NEOM8N010", "MT41K256M16TW-107:P" → "MT41K256M16TW107P").
 *
 * @example
 * normalizePartNumber(" mpu-6050 ") // "MPU6050"
 */
export function normalizePartNumber(raw: string): string {
  return raw
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}

/**
 * The canonical makers a manufacturer cell names ("Maxim (Analog Devices)" → analog-devices;
 * "RIGOL普源" → rigol; "ST意法半导体" → stmicroelectronics). Null when the cell names no maker
 * at all (empty, "N/A", "generic", "无"). A name the makers table does not know gives an empty
 * set: it is still a manufacturer, just not one of the families' makers.
 *
 * @example
 * resolveMakers("TI德州仪器", families) // Set { "texas-instruments" }
 */
export function resolveMakers(
  manufacturer: string | null | undefined,
  families: PartFamilies,
): Set<string> | null {
  const text = normalizeMakerText(manufacturer ?? "");
  if (NO_MAKER.test(text)) return null;
  const cached = families.makerCache.get(text);
  if (cached) return cached;
  const ids = new Set<string>();
  for (const maker of families.makers) {
    if (ids.has(maker.id)) continue;
    if (maker.word ? maker.word.test(text) : text.includes(maker.alias)) ids.add(maker.id);
  }
  if (families.makerCache.size > 10_000) families.makerCache.clear();
  families.makerCache.set(text, ids);
  return ids;
}

/**
 * Finds the family of a part number. Families are tried in table order (specific before broad).
 * The manufacturer decides between families whose patterns overlap:
 * - when the line names a manufacturer, a maker's family matches only if that maker is one of
 *   the family's (Rigol's "DS1054Z" is not Maxim's DS family); multi-source standard numbering
 *   (JEDEC, Pro Electron, ISO bearings) matches whoever made it;
 * - when it names none, a family marked `makerRequired` does not match, and a loose alternative
 *   (a prefix of three characters or less with little after it) matches only a full-length
 *   part number (eight characters or more), not a stem.
 *
 * @example
 * findPartFamily("DS1054Z", "RIGOL普源", families).match // null (the DS family is Maxim's)
 * findPartFamily("DS1054Z", "RIGOL普源", families).skipped[0]?.reason // "other-maker"
 */
export function findPartFamily(
  raw: string,
  manufacturer: string | null | undefined,
  families: PartFamilies,
): PartLookup {
  const skipped: SkippedFamily[] = [];
  const partNumber = normalizePartNumber(raw);
  if (partNumber.length < 3) return { match: null, skipped };
  const indexed = families.byFirst.get(partNumber[0]!) ?? [];
  const candidates =
    families.anyStart.length === 0
      ? indexed
      : [...indexed, ...families.anyStart].sort((a, b) => a.order - b.order);
  let makers: Set<string> | null | undefined;
  for (const family of candidates) {
    if (!family.pattern.test(partNumber)) continue;
    if (makers === undefined) makers = resolveMakers(manufacturer, families);
    const agrees = makers === null ? null : makerAgrees(family, makers, manufacturer ?? "");
    if (family.standard) {
      return { match: { family, partNumber, makerAgrees: agrees === true ? true : null }, skipped };
    }
    if (agrees === false) {
      skipped.push({ family, reason: "other-maker" });
      continue;
    }
    if (agrees === null && (family.makerRequired || !readsWithoutMaker(family, partNumber))) {
      skipped.push({ family, reason: "maker-required" });
      continue;
    }
    return { match: { family, partNumber, makerAgrees: agrees }, skipped };
  }
  return { match: null, skipped };
}

/**
 * The family of a part number, or null (see `findPartFamily` for the rules).
 *
 * @example
 * matchPartNumber("STM32F405RGT6", "ST", families)?.family.id // "st-stm32"
 */
export function matchPartNumber(
  raw: string,
  manufacturer: string | null | undefined,
  families: PartFamilies,
): PartMatch | null {
  return findPartFamily(raw, manufacturer, families).match;
}

// A full orderable part number (base type plus package, grade and packing codes) is rarely
// shorter than this; a shorter string behind a loose prefix is a stem that several makers share.
const FULL_PART_NUMBER = 8;

/**
 * Without a manufacturer, a family is read when the part number matches one of its strict
 * alternatives, or, for a loose one (a prefix of three characters or fewer, like "GRM" or "DS"),
 * when the part number is long enough to be a full orderable number rather than a shared stem.
 */
function readsWithoutMaker(family: PartFamily, partNumber: string): boolean {
  return family.strict?.test(partNumber) === true || partNumber.length >= FULL_PART_NUMBER;
}

function makerAgrees(family: PartFamily, makers: Set<string>, manufacturer: string): boolean {
  for (const id of makers) if (family.makerIds.has(id)) return true;
  // An alias the makers table does not know is matched against the cell as written.
  const text = normalizeMakerText(manufacturer);
  return family.makerAliases.some((alias) => family.makerIds.has(`=${alias}`) && makerMatches(text, alias));
}

function makerMatches(maker: string, alias: string): boolean {
  if (alias.length <= 3) return new RegExp(`(^|[^a-z])${alias}([^a-z]|$)`).test(maker);
  return maker.includes(alias);
}

/**
 * Words of a description that look like part numbers: at least five characters, letters and
 * digits mixed, no spaces ("STM32F103C8T6", "NEO-M8N"). Values such as "100nF" or "16MHz" also
 * pass this test; they simply match no family. With `bareNumbers`, 3-6 digit numbers are offered
 * too (bearing numbers such as "6205"); the caller must corroborate them.
 *
 * @example
 * partNumberCandidates("MCU STM32F103C8T6 LQFP48") // ["STM32F103C8T6", "LQFP48"]
 */
export function partNumberCandidates(text: string, bareNumbers = false): string[] {
  const out: string[] = [];
  for (const word of text.split(/[\s,;()[\]{}|"']+/)) {
    const cleaned = word.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    if (bareNumbers && /^\d{3,6}$/.test(cleaned)) out.push(cleaned);
    if (cleaned.length < 5 || !/[A-Za-z]/.test(cleaned) || !/\d/.test(cleaned)) continue;
    out.push(cleaned);
  }
  return out;
}
