// Candidate generation against a brute-force scan on the real bundled lists. For every other
// labelled query (labelled-queries.csv and script-queries.csv, screened against the lists its row
// names, negatives against all) and every hundredth synthetic negative, the entity the brute-force
// scorer ranks first at or above the lower cut-off must be among the indexed screener's results,
// or be beaten by them. The property test in src/matching/candidate-generation.test.ts proves the
// same on a synthetic corpus; this checks it where the vocabulary is real.
// Runs standalone (a few minutes: the scan scores every list name): `npx tsx scripts/check-candidates.ts`.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createScreener, type PartyQuery } from "../src/matching/index.js";
import { listsOf, loadEntities, queryOf, readCsv } from "./eval-parties.js";

/**
 * Runs the comparison and returns printable lines, misses listed.
 *
 * @example
 * for (const line of await checkCandidates()) console.log(line);
 */
export async function checkCandidates(): Promise<string[]> {
  const screener = createScreener(await loadEntities());
  const queries: { kind: string; query: PartyQuery; lists: string[] | undefined }[] = [];
  for (const file of ["labelled-queries.csv", "script-queries.csv"])
    readCsv(file).forEach((row, i) => {
      if (i % 2 === 0)
        queries.push({
          kind: row.kind ?? "?",
          query: queryOf(row),
          lists: row.kind === "negative" ? undefined : listsOf(row),
        });
    });
  readCsv("negatives-us-synthetic.csv").forEach((row, i) => {
    if (i % 100 === 0) queries.push({ kind: "synthetic-negative", query: queryOf(row), lists: undefined });
  });
  const cutoff = screener.lowerCutoff;
  let compared = 0;
  const misses: string[] = [];
  let missedAtThreshold = 0;
  const started = performance.now();
  for (const { kind, query, lists } of queries) {
    const options = { ...(lists ? { lists } : {}), threshold: 0, limit: 10 };
    const [truth] = screener.screenBruteForce(query, { ...options, limit: 1 });
    if (!truth || truth.score < cutoff) continue;
    compared++;
    // Candidate generation alone: a hit found through another list's record would hide a miss.
    const found = screener.screen(query, { ...options, viaOtherLists: false });
    if (found.some((r) => r.entityId === truth.entityId) || (found[0]?.score ?? 0) >= truth.score) continue;
    if (truth.score >= screener.threshold) missedAtThreshold++;
    misses.push(
      `  missed: ${kind} | ${query.name} → ${truth.entityId} ${truth.name} ${truth.score} (indexed best: ${found[0]?.name ?? "-"} ${found[0]?.score ?? "-"})`,
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  return [
    `candidates: ${queries.length} queries, ${compared} with a brute-force best at or above the cut-off ${cutoff}; ` +
      `${misses.length} of those missed by candidate generation (${(100 * (misses.length / Math.max(1, compared))).toFixed(1)}%), ` +
      `${missedAtThreshold} at or above the threshold ${screener.threshold} (${seconds} s)`,
    ...misses,
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const line of await checkCandidates()) console.log(line);
}
