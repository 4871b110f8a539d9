import type { ScreenedRow } from "../jobs/screen-batch.js";

export const SCREEN_FORMATS = ["jsonl", "csv", "table"] as const;
export type ScreenFormat = (typeof SCREEN_FORMATS)[number];

/**
 * The JSON line of the screening contract: `{"id", "matches": [{"entityId", "list", "name",
 * "score", "match", "explanation"}]}`, plus `issues` when the row had any.
 *
 * @example
 * jsonLine({ id: "C-1", name: "X", matches: [], issues: [] }) // '{"id":"C-1","matches":[]}'
 */
export function jsonLine(row: ScreenedRow): string {
  return JSON.stringify({
    id: row.id,
    matches: row.matches.map((m) => ({
      entityId: m.entityId,
      list: m.list,
      name: m.name,
      score: m.score,
      match: m.match,
      explanation: m.explanation,
      // An analyst cleared this pair before and the listed record has not changed since.
      ...((m as { suppressed?: boolean }).suppressed ? { suppressed: true } : {}),
    })),
    ...(row.issues.length > 0 ? { issues: row.issues } : {}),
  });
}

const CSV_HEADER = "id,input_name,entity_id,list,listed_name,score,match,explanation,issues";

function csvCell(value: string | number | boolean): string {
  const text = String(value);
  // Cells starting with = + - @ are escaped so a spreadsheet never runs them as formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * CSV rows: one per (input row, candidate); an input with no candidate gets one row with empty
 * match columns, so every input id appears.
 *
 * @example
 * csvLines(row) // ['C-1,Saddam...,ofac-sdn:7843,ofac-sdn,"HUSSEIN...",1,true,...']
 */
export function csvLines(row: ScreenedRow): string[] {
  const issues = row.issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  if (row.matches.length === 0)
    return [[row.id, row.name, "", "", "", "", "", "", issues].map(csvCell).join(",")];
  return row.matches.map((m) =>
    [row.id, row.name, m.entityId, m.list, m.name, m.score, m.match, m.explanation.summary, issues]
      .map(csvCell)
      .join(","),
  );
}

export { CSV_HEADER };

function truncate(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/**
 * A fixed-width line for terminals: the best candidate of each row.
 *
 * @example
 * tableLine(row) // "C-001   Saddam Hussein AL-TIKRITI   MATCH  1.000 ofac-sdn:7843  HUSSEIN..."
 */
export function tableLine(row: ScreenedRow): string {
  const best = row.matches[0];
  const verdict = row.issues.some((i) => i.code === "empty-name")
    ? "ERROR "
    : best?.match && (best as { suppressed?: boolean }).suppressed
      ? "clrd  "
      : best?.match
        ? "MATCH "
        : best
          ? "near  "
          : "clear ";
  // A hit found through another list's record says which, or the analyst would see no reason for it.
  const via = best?.explanation.linkedThrough ? ` (via ${best.explanation.linkedThrough.entityId})` : "";
  const detail = best
    ? `${best.score.toFixed(3)}  ${truncate(best.entityId, 22)} ${best.name}${via}`
    : (row.issues[0]?.message ?? "");
  const more =
    row.matches.filter((m) => m.match).length > 1
      ? ` (+${row.matches.filter((m) => m.match).length - 1} more)`
      : "";
  return `${truncate(row.id, 10)} ${truncate(row.name, 34)} ${verdict} ${detail}${more}`;
}

export const TABLE_HEADER = `${"id".padEnd(10)} ${"name".padEnd(34)} result  score  best candidate`;
