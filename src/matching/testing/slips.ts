/**
 * One slip of a typist: 0 inserts `letter` before position `at`, 1 deletes the letter at `at`,
 * 2 replaces it with `letter`, 3 swaps it with the next one (`at` is taken modulo the word's
 * length + 1, so any number fits). At the end of the word a deletion or a swap does nothing and a
 * replacement appends the letter.
 */
export type Slip = readonly [op: number, at: number, letter: string];

/**
 * `word` with `slips` applied in order, for property tests of edit distances and word lookups.
 *
 * @example
 * withSlips("kalashnikov", [[3, 0, ""], [3, 4, ""]]) // "aklahsnikov"
 */
export function withSlips(word: string, slips: readonly Slip[]): string {
  let out = word;
  for (const [op, at, letter] of slips) {
    const i = at % (out.length + 1);
    if (op % 4 === 0) out = out.slice(0, i) + letter + out.slice(i);
    else if (op % 4 === 1) out = out.slice(0, i) + out.slice(i + 1);
    else if (op % 4 === 2) out = out.slice(0, i) + letter + out.slice(i + 1);
    else if (i + 1 < out.length) out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
  }
  return out;
}
