import { doubleMetaphone } from "double-metaphone";

/**
 * Both Double Metaphone keys of a token (primary, alternate); equal when the word has one reading.
 * Meant for normalised tokens (`tokenizeName`), where the input is ASCII lower case.
 *
 * @example
 * phoneticKeys("schmidt") // ["XMT", "SMT"]
 * phoneticKeys("tikriti") // ["TKRT", "TKRT"]
 */
export function phoneticKeys(token: string): [string, string] {
  if (!token) return ["", ""];
  const [primary, alternate] = doubleMetaphone(token);
  return [primary, alternate];
}

/**
 * The primary Double Metaphone key of a token: "hussein" and "husayn" share "HSN".
 *
 * @example
 * phoneticKey("hussein") === phoneticKey("husayn") // true
 */
export function phoneticKey(token: string): string {
  return token ? doubleMetaphone(token)[0] : "";
}
