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

/**
 * One token's side of `boundedDamerau`, compiled once to measure it against many list words, as a
 * first-sight word lookup does (some fifty words each): Hyyrö's bit-parallel optimal-string-alignment
 * distance (Hyyrö 2003, as RapidFuzz's `osa_hyrroe2003`) keeps a whole column of the table in two
 * 32-bit words, so each letter of the other word costs a dozen integer operations instead of a
 * row of cells. Tokens of more than 32 code units fall back to `boundedDamerau`. Reused: `compile`
 * replaces the token.
 *
 * @example
 * const pattern = new DamerauPattern().compile("MUHAMMAD");
 * pattern.distance("MUHAMMADD", 2) // 1, as boundedDamerau("MUHAMMAD", "MUHAMMADD", 2)
 */
export class DamerauPattern {
  private text = "";
  /** Bit i of `ascii[c]` is set when the token's code unit i is c (c < 128). */
  private readonly ascii = new Int32Array(128);
  /** The same for other code units (folded names are nearly all ASCII). */
  private readonly other = new Map<number, number>();
  private bitParallel = false;

  compile(text: string): this {
    const previous = this.text;
    for (let i = 0; i < previous.length && i < 32; i++) {
      const c = previous.charCodeAt(i);
      if (c < 128) this.ascii[c] = 0;
    }
    this.other.clear();
    this.text = text;
    this.bitParallel = text.length > 0 && text.length <= 32;
    if (!this.bitParallel) return this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) this.ascii[c]! |= 1 << i;
      else this.other.set(c, (this.other.get(c) ?? 0) | (1 << i));
    }
    return this;
  }

  /** `boundedDamerau(token, b, max)`: the distance, or `max + 1` when it exceeds `max`. */
  distance(b: string, max: number): number {
    const a = this.text;
    if (!this.bitParallel || a === b) return boundedDamerau(a, b, max);
    const lb = b.length;
    if (Math.abs(a.length - lb) > max) return max + 1;
    if (lb === 0) return a.length;
    const last = 1 << (a.length - 1);
    let vp = -1;
    let vn = 0;
    let d0 = 0;
    let previousEq = 0;
    let distance = a.length;
    for (let j = 0; j < lb; j++) {
      const c = b.charCodeAt(j);
      const eq = c < 128 ? this.ascii[c]! : (this.other.get(c) ?? 0);
      const transposed = ((~d0 & eq) << 1) & previousEq;
      d0 = ((((eq & vp) + vp) | 0) ^ vp) | eq | vn | transposed;
      let hp = vn | ~(d0 | vp);
      let hn = d0 & vp;
      if (hp & last) distance++;
      else if (hn & last) distance--;
      // The last row can fall by at most one per letter left: past the bound for good.
      if (distance - (lb - 1 - j) > max) return max + 1;
      hp = (hp << 1) | 1;
      hn <<= 1;
      vp = hn | ~(d0 | hp);
      vn = hp & d0;
      previousEq = eq;
    }
    return distance > max ? max + 1 : distance;
  }
}
