import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvRowBatches, csvRows, decodeText, decodeWindows1252, readText } from "./io.js";

const dir = mkdtempSync(join(tmpdir(), "chokepoint-io-"));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
async function rows(path: string) {
  const out = [];
  for await (const row of csvRows(path)) out.push(row);
  return out;
}

describe("text decoding", () => {
  it("decodes Windows-1252 punctuation", () => {
    expect(decodeWindows1252(Buffer.from([0x92, 0x80, 0xe9]))).toBe("’€é");
  });
  it("falls back to Windows-1252 for a file that is not UTF-8, with one warning", async () => {
    const issues: unknown[] = [];
    const text = await readText(file("latin.txt", Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x92, 0x73])), (i) =>
      issues.push(i),
    );
    expect(text).toBe("José’s");
    expect(issues).toHaveLength(1);
  });
});

describe("text decoding across chunks (files are read 256 KB at a time)", () => {
  const CHUNK = 256 * 1024;
  const read = async (name: string, bytes: Buffer) => {
    const issues: unknown[] = [];
    const text = await readText(file(name, bytes), (issue) => issues.push(issue));
    return { text, warnings: issues.length };
  };
  it("keeps a UTF-8 character cut by a chunk's end whole, with no warning", async () => {
    const bytes = Buffer.concat([Buffer.alloc(CHUNK - 1, "a"), Buffer.from("é€z", "utf8")]);
    expect(await read("split-utf8.txt", bytes)).toEqual({ text: `${"a".repeat(CHUNK - 1)}é€z`, warnings: 0 });
  });
  it("keeps a Latin-1 letter that ends a chunk when the file turns out not to be UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.alloc(CHUNK - 1, "a"), Buffer.from([0xe9]), Buffer.from("z")]);
    expect(await read("split-latin1.txt", bytes)).toEqual({
      text: `${"a".repeat(CHUNK - 1)}éz`,
      warnings: 1,
    });
  });
  it("reads a Latin-1 file that ends in an accented letter, without a final line break", async () => {
    expect(await read("end-latin1.csv", Buffer.from("id,name\nC-1,Jos\xe9", "latin1"))).toEqual({
      text: "id,name\nC-1,José",
      warnings: 1,
    });
  });
});

describe("files mixing UTF-8 and Latin-1 lines", () => {
  const CHUNK = 256 * 1024;
  const utf8Line = "C-1,José Pérez\n";
  const latin1Line = Buffer.from("C-2,Fran\xe7ois M\xfcller\r\n", "latin1");
  it("reads each line in its own encoding, before and after the first Latin-1 line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`id,name\n${utf8Line}`),
      latin1Line,
      Buffer.from(utf8Line.replace("C-1", "C-3")),
    ]);
    const issues: unknown[] = [];
    const text = await readText(file("mixed.csv", bytes), (issue) => issues.push(issue));
    expect(text).toBe("id,name\nC-1,José Pérez\nC-2,François Müller\r\nC-3,José Pérez\n");
    expect(issues).toHaveLength(1);
    expect(decodeText(bytes)).toEqual({ text, latin1: true });
  });
  it("reads them so across chunk ends too, however the lines fall", async () => {
    // UTF-8 lines fill the first chunk but a few bytes; a Latin-1 line straddles the chunk end;
    // UTF-8 lines follow, one of them cut inside its "é".
    const lines: Buffer[] = [];
    let length = 0;
    while (length < CHUNK - 10) {
      const line = Buffer.from(`C-${lines.length},José Pérez\n`);
      lines.push(line);
      length += line.length;
    }
    lines.push(latin1Line);
    for (let k = 0; k < 5; k++) lines.push(Buffer.from(`D-${k},José\n`));
    const bytes = Buffer.concat(lines);
    const text = await readText(file("mixed-chunks.csv", bytes));
    expect(
      text
        .split("\n")
        .filter((line) => line.includes("Jos"))
        .every((line) => line.endsWith("José Pérez") || line.endsWith("José")),
    ).toBe(true);
    expect(text).toContain("C-2,François Müller\r\n");
    expect(text).not.toContain("Ã");
    expect(text).toBe(decodeText(bytes).text);
  });
  it("cuts a line over 1 MB at a character boundary and still reads it", async () => {
    const long = `${"é".repeat(700_000)}\n`;
    const text = await readText(file("long-line.txt", Buffer.from(long)));
    expect(text).toBe(long);
  });
  it("reads a Latin-1 line over 1 MB, with its letter before or just after the 1 MB cut", async () => {
    for (const at of [0, 1024 * 1024 - 10, 1024 * 1024 + 5]) {
      const bytes = Buffer.alloc(1_200_000, "a");
      bytes[at] = 0xe9;
      const issues: unknown[] = [];
      const text = await readText(file(`long-latin1-${at}.txt`, bytes), (issue) => issues.push(issue));
      expect(text.length).toBe(bytes.length);
      expect(text.indexOf("é")).toBe(at);
      expect(issues).toHaveLength(1);
      expect(decodeText(bytes).text).toBe(text);
    }
  });
});

describe("decodeText (uploads received whole)", () => {
  it("reads UTF-8 without its byte order mark, and other bytes as Windows-1252", () => {
    expect(decodeText(Buffer.from("\ufeffJosé", "utf8"))).toEqual({ text: "José", latin1: false });
    expect(decodeText(Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x92, 0x73]))).toEqual({
      text: "José’s",
      latin1: true,
    });
  });
});

describe("csvRows", () => {
  it("numbers records by the line they start on", async () => {
    const result = await rows(file("multi.csv", 'a,b\n"x\ny",2\n\nz,3\n'));
    expect(result.map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [2, ["x\ny", "2"]],
      [5, ["z", "3"]],
    ]);
  });
  it("fails with file and line on broken quoting instead of hanging", async () => {
    const big = `${"a,b\n".repeat(50_000)}"unterminated,1\n${"c,d\n".repeat(50_000)}`;
    await expect(rows(file("broken.csv", big))).rejects.toThrow(/broken\.csv:\d+/);
  });
});

describe("csvRowBatches", () => {
  it("hands over every record before a syntax error in the middle of a read, then fails with file and line", async () => {
    // 40,000 records of 11 bytes: the error at line 30,001 lies in the second 256 KB read.
    const lines = Array.from({ length: 40_000 }, (_, i) =>
      i === 30_000 ? 'x"y,1' : `row${String(i).padStart(5, "0")},1`,
    );
    const path = file("midread.csv", `${lines.join("\n")}\n`);
    const seen: number[] = [];
    const run = async () => {
      for await (const batch of csvRowBatches(path)) seen.push(...batch.map((record) => record.line));
    };
    await expect(run()).rejects.toThrow(/midread\.csv:30001: /);
    // The read holding the error still hands over the records it completed before it.
    expect(seen).toEqual(Array.from({ length: 30_000 }, (_, i) => i + 1));
  });

  it("never yields an empty batch: empty file, header alone with or without a final line break", async () => {
    for (const content of ["", "id,name", "id,name\n"]) {
      const batches = [];
      for await (const batch of csvRowBatches(file("small.csv", content))) batches.push(batch);
      expect(batches.flat().length).toBe(content ? 1 : 0);
      expect(batches.every((batch) => batch.length > 0)).toBe(true);
    }
  });
});
