import { parse as csvParse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, CsvRecordReader, CsvSyntaxError, MAX_FIELD_LENGTH } from "./csv-records.js";

/** Every record of `text` read in the given chunks (whole when none), or the error it raised. */
function read(text: string, cuts: readonly number[] = [], delimiter = ","): CsvRecord[] | CsvSyntaxError {
  const reader = new CsvRecordReader(delimiter);
  const out: CsvRecord[] = [];
  let from = 0;
  try {
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      out.push(...reader.push(text.slice(from, cut)));
      from = cut;
    }
    out.push(...reader.push(text.slice(from)));
    out.push(...reader.end());
    return out;
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
}

const records = (text: string, delimiter = ",") => {
  const result = read(text, [], delimiter);
  if (result instanceof Error) throw result;
  return result.map((r) => [r.line, r.fields]);
};

describe("CsvRecordReader", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks", () => {
    expect(records('id,name\n1,"ACME, LLC"\n2,"Say ""hi"""\n3,"two\nlines",x\n')).toEqual([
      [1, ["id", "name"]],
      [2, ["1", "ACME, LLC"]],
      [3, ["2", 'Say "hi"']],
      [4, ["3", "two\nlines", "x"]],
    ]);
  });

  it("ends a record at CRLF, LF or CR, mixed in one file, counting each break once", () => {
    expect(records("a,b\r\nc,d\ne,f\rg,h")).toEqual([
      [1, ["a", "b"]],
      [2, ["c", "d"]],
      [3, ["e", "f"]],
      [4, ["g", "h"]],
    ]);
    // A quoted CRLF stays in the field and is one line.
    expect(records('"x\r\ny",1\r\nz,2\r\n')).toEqual([
      [1, ["x\r\ny", "1"]],
      [3, ["z", "2"]],
    ]);
  });

  it("skips empty lines but keeps a line of empty fields", () => {
    expect(records("\n\na\r\n\r\n,\n\nb")).toEqual([
      [3, ["a"]],
      [5, ["", ""]],
      [7, ["b"]],
    ]);
    expect(records('""\na,\n')).toEqual([
      [1, [""]],
      [2, ["a", ""]],
    ]);
  });

  it("keeps spaces and tabs as they are, and reads tab-separated text", () => {
    expect(records(" a ,\tb\t\n")).toEqual([[1, [" a ", "\tb\t"]]]);
    expect(records('a\t"b\tc"\t\n', "\t")).toEqual([[1, ["a", "b\tc", ""]]]);
  });

  it("refuses malformed quoting, naming the line", () => {
    const cases: [string, RegExp, number][] = [
      ['id,name\n1,JOHN "JACK" DOE\n', /quote inside an unquoted field \(field 2\)/, 2],
      ['id,name\n\n1,"JOHN "DOE"\n', /text after a closing quote \(field 2\)/, 3],
      ['id,name\n1,"x" \n', /text after a closing quote/, 2],
      ['id,name\n1,"open\n2,b\n3,c\n', /not closed \(its quote opens on line 2\)/, 2],
    ];
    for (const [text, message, line] of cases) {
      const error = read(text);
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).message).toMatch(message);
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });

  it("answers the records before malformed quoting first, then throws", () => {
    const reader = new CsvRecordReader();
    expect(reader.push('id,name\n1,Jane\n2,"Bad"quote\n3,Ann\n').map((r) => r.fields)).toEqual([
      ["id", "name"],
      ["1", "Jane"],
    ]);
    expect(() => reader.push("4,Bob\n")).toThrow(/text after a closing quote \(field 2\)/);
    expect(() => reader.end()).toThrow(CsvSyntaxError);
    // With nothing before it in the chunk, the error comes at once, and stays.
    const broken = new CsvRecordReader();
    expect(() => broken.push('a"b\n')).toThrow(/quote inside an unquoted field/);
    expect(() => broken.push("c\n")).toThrow(/quote inside an unquoted field/);
    expect(() => broken.end()).toThrow(/quote inside an unquoted field/);
  });

  it("refuses a field longer than any real cell, naming the line of its opening quote", () => {
    const reader = new CsvRecordReader();
    reader.push('id,name\n1,"never closed\n');
    const chunk = "x".repeat(1024 * 1024);
    let error: unknown;
    try {
      for (let k = 0; k <= MAX_FIELD_LENGTH / chunk.length; k++) reader.push(chunk);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(2);
    expect((error as CsvSyntaxError).message).toMatch(/quoted field runs past 8 M characters from line 2/);
  });

  it("refuses a delimiter that is not one character, or a quote or line break", () => {
    expect(() => new CsvRecordReader(";;")).toThrow(RangeError);
    expect(() => new CsvRecordReader('"')).toThrow(RangeError);
    expect(() => new CsvRecordReader("\n")).toThrow(RangeError);
  });

  // Text made of the characters that matter, so quotes, breaks and delimiters meet in every order.
  const csvish = fc
    .array(fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "\r\n", "é", "\t"), { maxLength: 60 })
    .map((parts) => parts.join(""));

  it("gives the same records and errors however the text is cut into chunks", () => {
    fc.assert(
      fc.property(csvish, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const whole = read(text);
        const chunked = read(
          text,
          cuts.map((c) => c % (text.length + 1)),
        );
        if (whole instanceof Error) {
          expect(chunked).toBeInstanceOf(CsvSyntaxError);
          expect((chunked as CsvSyntaxError).message).toBe(whole.message);
          expect((chunked as CsvSyntaxError).line).toBe(whole.line);
        } else expect(chunked).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads what it writes: any table, quoted as RFC 4180 says, with any line ending", () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "Z", " ", ",", '"', "\n", "\r", "ш", "\t"),
      maxLength: 8,
    });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.constantFrom("\n", "\r\n", "\r"), fc.boolean(), (rows, eol, finalBreak) => {
        // A one-field row with an empty cell would be an empty line: quote it, as writers do.
        const quote = (c: string) => (/[",\r\n]/.test(c) || c === "" ? `"${c.replace(/"/g, '""')}"` : c);
        const lines = rows.map((row) => row.map(quote).join(","));
        const text = lines.join(eol) + (finalBreak ? eol : "");
        let line = 1;
        const expected = rows.map((row, k) => {
          const start = line;
          line += 1 + (lines[k]!.match(/\r\n|\r|\n/g)?.length ?? 0);
          return [start, row];
        });
        expect(records(text)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with csv-parse on the fields of files with one kind of line ending", () => {
    // csv-parse, which this reader replaced, is the reference where the two mean to agree: strict
    // quoting, empty lines skipped, one line ending throughout (on mixed endings the two differ on
    // purpose; see the module comment).
    const body = fc
      .array(fc.constantFrom("a", " ", ",", '"', "\n", "é"), { maxLength: 50 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(body, fc.constantFrom("\n", "\r\n"), (text, eol) => {
        const input = text.replace(/\n/g, eol);
        let expected: string[][] | undefined;
        try {
          expected = csvParse(input, { relax_column_count: true, skip_empty_lines: true }) as string[][];
        } catch {
          expected = undefined;
        }
        const ours = read(input);
        if (expected === undefined) expect(ours).toBeInstanceOf(CsvSyntaxError);
        else expect(ours instanceof Error ? ours.message : ours.map((r) => r.fields)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
