// Han-script names against Latin-only records: the eval data has no Han-script positives, so this
// takes the ones the lists give. Every EU record that prints a name in Han characters (`scriptOf`: no Hangul or kana) and whose
// Latin primary name matches records of other lists at 0.9 or more (its counterparts; a name match
// alone, so a namesake can pass for one: read the cases with `-v`) is screened by its Han name
// against the other lists, on a screener built without the EU's records (a Han name must be found
// by its reading, not through its own record). Found: any counterpart matched at the threshold.
// Runs standalone (~10 s): `npx tsx scripts/check-han-names.ts [-v]`.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createScreener } from "../src/matching/index.js";
import { transliterate } from "../src/text/index.js";
import { loadEntities, scriptOf } from "./eval-parties.js";

/** Score at which a Latin name's best match on another list is taken for the same party. */
const COUNTERPART_SCORE = 0.9;

/**
 * Runs the check and returns printable lines.
 *
 * @example
 * for (const line of await checkHanNames(true)) console.log(line);
 */
export async function checkHanNames(verbose = false): Promise<string[]> {
  const entities = await loadEntities();
  const everything = createScreener(entities);
  const withoutEu = createScreener(entities.filter((e) => e.listId !== "eu"));
  const others = [...new Set(entities.map((e) => e.listId))].filter((list) => list !== "eu");
  const lines: string[] = [];
  let cases = 0;
  let found = 0;
  for (const entity of entities) {
    if (entity.listId !== "eu") continue;
    const hanNames = entity.names.map((n) => n.full).filter((full) => scriptOf(full) === "Han");
    if (hanNames.length === 0) continue;
    const counterparts = everything
      .screen({ name: entity.name, schema: entity.schema }, { lists: others })
      .filter((r) => r.score >= COUNTERPART_SCORE);
    if (counterparts.length === 0) continue;
    const ids = new Set(counterparts.map((r) => r.entityId));
    for (const name of hanNames) {
      cases++;
      const results = withoutEu.screen({ name, schema: entity.schema }, { lists: others });
      const hit = results.find((r) => ids.has(r.entityId));
      if (hit?.match) found++;
      if (verbose)
        lines.push(
          `${hit?.match ? "found" : "missed"} ${name} (${entity.schema}, read "${transliterate(name)}") → ${counterparts.map((r) => r.name).join(" / ")}: ${hit ? `${hit.name} ${hit.score}` : "no counterpart among the candidates"}; top ${results[0] ? `${results[0].name} ${results[0].score}` : "none"}`,
        );
    }
  }
  lines.push(
    `Han-script names of EU records with a Latin counterpart on another list: ${cases}; counterpart found at the threshold: ${found}`,
  );
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const line of await checkHanNames(process.argv.includes("-v"))) console.log(line);
}
