/**
 * Bounded optimal-string-alignment distance (Damerau-Levenshtein restricted to adjacent
 * transpositions, which is what typists produce). Bounded because screening only cares whether two
 * tokens are within a small edit budget: rows stop early once every cell exceeds the bound.
 */

let prev2 = new Int32Array(64);
let prev = new Int32Array(64);
let curr = new Int32Array(64);

/**
 * Edit distance with adjacent transpositions, or `max + 1` as soon as it is known to exceed `max`.
 *
 * @example
 * boundedDamerau("MUHAMMAD", "MUHAMMADD", 2) // 1
 * boundedDamerau("ABCD", "BACD", 1)          // 1 (one transposition)
 * boundedDamerau("KITTEN", "SITTING", 1)     // 2 (> max)
 */
export function boundedDamerau(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  if (prev.length <= lb) {
    prev2 = new Int32Array(lb * 2 + 2);
    prev = new Int32Array(lb * 2 + 2);
    curr = new Int32Array(lb * 2 + 2);
  }
  // Only cells within `max` of the diagonal can hold a distance ≤ max (Ukkonen's band); cells
  // outside it are treated as max + 1, so a row costs O(max), not O(length).
  const big = max + 1;
  for (let j = 0; j <= lb; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(lb, i + max);
    curr[lo - 1] = lo === 1 && i <= max ? i : big;
    if (hi < lb) curr[hi + 1] = big;
    let rowMin = curr[lo - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = prev[j - 1]! + cost;
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = curr[j - 1]! + 1;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const tr = prev2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      if (v > big) v = big;
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return big;
    const t = prev2;
    prev2 = prev;
    prev = curr;
    curr = t;
  }
  const d = prev[lb]!;
  return d > max ? max + 1 : d;
}
