import type { DateValue } from "./entity.js";

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** Numeric day/month order for ambiguous `01/02/1970`: lists from the US write month first. */
export type NumericDateOrder = "dmy" | "mdy";

const pad = (value: number) => String(value).padStart(2, "0");

function isoDate(year: number, month?: number, day?: number): string | undefined {
  if (year < 1000 || year > 2999) return undefined;
  if (month === undefined) return String(year);
  if (month < 1 || month > 12) return undefined;
  if (day === undefined) return `${year}-${pad(month)}`;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > lastDay) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function kindOf(iso: string): DateValue["kind"] {
  if (iso.length === 10) return "exact";
  if (iso.length === 7) return "year-month";
  return "year";
}

const monthNumber = (name: string) => MONTHS[name.toLowerCase()];

/** Plain date shapes, tried in order; each returns an ISO prefix or undefined. */
const PLAIN_DATE_PATTERNS: Array<
  [RegExp, (m: RegExpMatchArray, order: NumericDateOrder) => string | undefined]
> = [
  // 1970-01-12, 1970-01, 1970/01/12, 1970-01-12T00:00:00
  [
    /^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:T.*)?$/,
    (m) => isoDate(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])),
  ],
  // 12.01.1970, 12/01/1970, 12-01-1970 (day/month order from the caller)
  [
    /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/,
    (m, order) => {
      const [a, b] = [Number(m[1]), Number(m[2])];
      const [day, month] = order === "dmy" ? [a, b] : [b, a];
      return isoDate(Number(m[3]), month, day);
    },
  ],
  // 01.1970, 01/1970
  [/^(\d{1,2})[-/.](\d{4})$/, (m) => isoDate(Number(m[2]), Number(m[1]))],
  // 1970
  [/^(\d{4})$/, (m) => isoDate(Number(m[1]))],
  // 12 Jan 1970, 12 January 1970, 12-Jan-1970
  [
    /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-,]+(\d{4})$/,
    (m) => {
      const month = monthNumber(m[2]!);
      return month ? isoDate(Number(m[3]), month, Number(m[1])) : undefined;
    },
  ],
  // Jan 12, 1970
  [
    /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/,
    (m) => {
      const month = monthNumber(m[1]!);
      return month ? isoDate(Number(m[3]), month, Number(m[2])) : undefined;
    },
  ],
  // Jan 1970
  [
    /^([A-Za-z]{3,9})\.?[\s-,]+(\d{4})$/,
    (m) => {
      const month = monthNumber(m[1]!);
      return month ? isoDate(Number(m[2]), month) : undefined;
    },
  ],
];

/** Parses one plain date (no "circa", no range) into an ISO prefix. */
function parsePlainDate(text: string, order: NumericDateOrder): string | undefined {
  const trimmed = text.trim().replace(/\.$/, "");
  for (const [pattern, build] of PLAIN_DATE_PATTERNS) {
    const match = trimmed.match(pattern);
    if (match) return build(match, order);
  }
  return undefined;
}

/**
 * Parses a date as lists print it: exact, month and year, year only, a range or "circa".
 * Returns undefined when the text is not a date, so the caller can record a parse issue.
 * "circa YYYY" is taken as one year either side, the reading OFAC and the UN give it.
 *
 * @example
 * parseDateText("12 Jan 1970")      // { text, kind: "exact", from: "1970-01-12", to: "1970-01-12" }
 * parseDateText("circa 1955")       // { text, kind: "circa", from: "1954", to: "1956" }
 * parseDateText("1960 to 1962")     // { text, kind: "range", from: "1960", to: "1962" }
 * parseDateText("03/04/1970", "mdy") // { kind: "exact", from: "1970-03-04", ... }
 */
export function parseDateText(text: string, order: NumericDateOrder = "dmy"): DateValue | undefined {
  const cleaned = text.replace(/\s+/g, " ").trim();
  if (!cleaned) return undefined;
  const circa = cleaned.match(/^(?:circa|ca\.?|c\.|approx(?:imately)?\.?|about|around)\s*(.+)$/i);
  if (circa) {
    const inner = parsePlainDate(circa[1]!, order);
    if (!inner) return undefined;
    if (inner.length === 4) {
      const year = Number(inner);
      return { text: cleaned, kind: "circa", from: String(year - 1), to: String(year + 1) };
    }
    return { text: cleaned, kind: "circa", from: inner, to: inner };
  }
  const range = cleaned.match(
    /^(?:between\s+|from\s+)?(.+?)\s*(?:\bto\b|\band\b|–|—|\s-\s|-(?=\d{4}$))\s*(.+)$/i,
  );
  if (range) {
    const from = parsePlainDate(range[1]!, order);
    const to = parsePlainDate(range[2]!, order);
    if (from && to && from <= to) return { text: cleaned, kind: "range", from, to };
  }
  const plain = parsePlainDate(cleaned, order);
  if (!plain) return undefined;
  return { text: cleaned, kind: kindOf(plain), from: plain, to: plain };
}

/**
 * Compares two dates of birth for screening: `same` when they can be the same day,
 * `same-year` when only the year agrees, `different` otherwise.
 *
 * @example
 * compareDates(parseDateText("1970")!, parseDateText("12 Jan 1970")!) // "same"
 */
export function compareDates(a: DateValue, b: DateValue): "same" | "same-year" | "different" {
  const overlaps = (x: DateValue, y: DateValue) =>
    x.from <= y.to.padEnd(10, "\uffff") && y.from <= x.to.padEnd(10, "\uffff");
  if (overlaps(a, b)) return "same";
  const years = (d: DateValue) => [Number(d.from.slice(0, 4)), Number(d.to.slice(0, 4))] as const;
  const [aFrom, aTo] = years(a);
  const [bFrom, bTo] = years(b);
  if (aFrom <= bTo && bFrom <= aTo) return "same-year";
  return "different";
}
