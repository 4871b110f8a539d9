/**
 * Jaro and Jaro-Winkler similarity (Winkler 1990), written here so the hot path allocates nothing:
 * the "already matched" flags live in one reused buffer that grows to the longest string seen.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function ensureFlags(length: number): void {
  if (flagsA.length < length) {
    flagsA = new Uint8Array(length * 2);
    flagsB = new Uint8Array(length * 2);
  }
}

/**
 * Jaro similarity in [0, 1]: matching characters within half the longer length, minus transpositions.
 *
 * @example
 * jaro("MARTHA", "MARHTA") // 0.944...
 */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 1 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  ensureFlags(Math.max(la, lb));
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    const ca = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ca) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/**
 * Jaro-Winkler similarity: Jaro plus a bonus for a common prefix of up to 4 characters
 * (scaling factor 0.1, as in Winkler's paper and every reference implementation).
 *
 * @example
 * jaroWinkler("MARTHA", "MARHTA")   // 0.961
 * jaroWinkler("DWAYNE", "DUANE")    // 0.84
 * jaroWinkler("DIXON", "DICKSONX")  // 0.813
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const j = jaro(a, b);
  if (j === 0) return 0;
  const limit = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * prefixScale * (1 - j);
}
