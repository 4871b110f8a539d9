import type { PartFamilies, PartFamily } from "./controls.js";

export interface PartMatch {
  family: PartFamily;
  partNumber: string;
  /** True when the line's manufacturer is one of the family's makers; null when no manufacturer was given. */
  makerAgrees: boolean | null;
}

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
 * Finds the family of a part number. Families are tried in table order (specific before broad);
 * a family marked `makerRequired` (its pattern is too generic alone, like Lycoming's "O-360")
 * only matches when the manufacturer says so.
 *
 * @example
 * matchPartNumber("STM32F405RGT6", "ST", families)?.family.id // "st-stm32"
 */
export function matchPartNumber(
  raw: string,
  manufacturer: string | null | undefined,
  families: PartFamilies,
): PartMatch | null {
  const partNumber = normalizePartNumber(raw);
  if (partNumber.length < 3) return null;
  const maker = (manufacturer ?? "").toLowerCase().trim();
  const indexed = families.byFirst.get(partNumber[0]!) ?? [];
  const candidates =
    families.anyStart.length === 0
      ? indexed
      : [...indexed, ...families.anyStart].sort((a, b) => a.order - b.order);
  for (const family of candidates) {
    if (!family.pattern.test(partNumber)) continue;
    const makerAgrees = maker ? family.makerAliases.some((alias) => makerMatches(maker, alias)) : null;
    if (family.makerRequired && makerAgrees !== true) continue;
    return { family, partNumber, makerAgrees };
  }
  return null;
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
