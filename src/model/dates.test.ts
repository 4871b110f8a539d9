import { describe, expect, it } from "vitest";
import { compareDates, parseDateText } from "./dates.js";

describe("parseDateText", () => {
  it.each([
    ["12 Jan 1970", "exact", "1970-01-12", "1970-01-12"],
    ["1970-01-12", "exact", "1970-01-12", "1970-01-12"],
    ["12.01.1970", "exact", "1970-01-12", "1970-01-12"],
    ["Jan 1970", "year-month", "1970-01", "1970-01"],
    ["1970", "year", "1970", "1970"],
    ["circa 1955", "circa", "1954", "1956"],
    ["1960 to 1962", "range", "1960", "1962"],
    ["Between 1960 and 1962", "range", "1960", "1962"],
    ["1960-1962", "range", "1960", "1962"],
  ])("reads %s", (text, kind, from, to) => {
    expect(parseDateText(text)).toEqual({ text, kind, from, to });
  });

  it("takes month first when told", () => {
    expect(parseDateText("03/04/1970", "mdy")?.from).toBe("1970-03-04");
  });

  it.each(["", "unknown", "31 Feb 1970", "12/13/1970x", "99"])("rejects %j", (text) => {
    expect(parseDateText(text)).toBeUndefined();
  });
});

describe("compareDates", () => {
  const d = (t: string) => parseDateText(t)!;
  it("treats a year as compatible with a day in it", () => {
    expect(compareDates(d("1970"), d("12 Jan 1970"))).toBe("same");
  });
  it("sees same year, different day", () => {
    expect(compareDates(d("1970-02-01"), d("12 Jan 1970"))).toBe("same-year");
  });
  it("sees different years", () => {
    expect(compareDates(d("1971"), d("1970"))).toBe("different");
  });
});
