import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot, verifySnapshot } from "./snapshot-file.js";

const words = Array.from({ length: 100 }, (_, i) => `word${i} «ä» 名${i}`);
const sample = {
  ids: Int32Array.from({ length: 300 }, (_, i) => i * 7 - 50),
  weights: Float32Array.from({ length: 70 }, (_, i) => i / 3),
  keys: Float64Array.from({ length: 65 }, (_, i) => i * 2 ** 40 + 0.5),
  bytes: Uint8Array.from({ length: 99 }, (_, i) => i),
  small: new Int32Array([1, 2, 3]),
  words,
  withHoles: [...words.slice(0, 70), undefined],
  withNul: Array.from({ length: 80 }, (_, i) => `a\u0000${i}`),
  nested: { pairs: words.map((w) => [w, w.toUpperCase()]), empty: [] as string[], n: 3, flag: true },
  map: new Map([["k", [1, 2]]]),
};

describe("snapshot file", () => {
  it("round-trips typed arrays, string arrays and everything else", () => {
    const decoded = decodeSnapshot(encodeSnapshot(sample));
    expect(decoded).toEqual(sample);
    const d = decoded as typeof sample;
    expect(d.ids).toBeInstanceOf(Int32Array);
    expect(d.keys).toBeInstanceOf(Float64Array);
    expect(d.withHoles[70]).toBeUndefined();
  });

  it("puts big typed arrays and string arrays in raw sections, leaving a small skeleton", () => {
    const bulk = {
      table: { ids: new Int32Array(10_000), words: Array.from({ length: 1000 }, (_, i) => `w${i}`) },
    };
    const bytes = encodeSnapshot(bulk);
    // The skeleton only says where the 40,000 bytes of ids and ~5,800 bytes of words go.
    expect(bytes.readUInt32LE(8)).toBeLessThan(500);
    expect(bytes.length).toBeGreaterThan(45_000);
    expect(decodeSnapshot(bytes)).toEqual(bulk);
  });

  it("returns views on the bytes, shared memory included, without copying", () => {
    const encoded = encodeSnapshot(sample);
    const shared = new SharedArrayBuffer(encoded.length);
    new Uint8Array(shared).set(encoded);
    const decoded = decodeSnapshot(new Uint8Array(shared)) as typeof sample;
    expect(decoded.ids.buffer).toBe(shared);
    expect(decoded).toEqual(sample);
  });

  it("copies a section that the bytes' offset leaves misaligned", () => {
    const encoded = encodeSnapshot(sample);
    const shifted = new Uint8Array(encoded.length + 1);
    shifted.set(encoded, 1);
    const decoded = decodeSnapshot(shifted.subarray(1)) as typeof sample;
    expect(decoded).toEqual(sample);
    expect(decoded.keys.buffer).not.toBe(shifted.buffer);
  });

  it("keeps arrays with holes or lone surrogates out of the packed sections", () => {
    const holes: (string | undefined)[] = words.slice(0, 70);
    holes[71] = "x"; // index 70 is a hole
    const odd = { holes, surrogate: [...words.slice(0, 70), "a\uD800b"] };
    const decoded = decodeSnapshot(encodeSnapshot(odd)) as typeof odd;
    expect(70 in decoded.holes).toBe(false);
    expect(decoded.surrogate[70]).toBe("a\uD800b");
  });

  it("refuses a file with one byte changed anywhere after the header", () => {
    const encoded = encodeSnapshot(sample);
    expect(() => verifySnapshot(encoded)).not.toThrow();
    for (const at of [20, Math.floor(encoded.length / 2), encoded.length - 1]) {
      const damaged = Buffer.from(encoded);
      damaged[at] = damaged[at]! ^ 0x20;
      expect(() => decodeSnapshot(damaged)).toThrow(/checksum/);
      expect(() => verifySnapshot(damaged)).toThrow(/checksum/);
      // Worker threads skip the check on bytes the main thread verified.
      if (at === encoded.length - 1) expect(() => decodeSnapshot(damaged, { verify: false })).not.toThrow();
    }
  });

  it.each([
    ["another file", Buffer.from("not a snapshot at all"), /bad magic/],
    ["an empty file", Buffer.alloc(0), /bad magic/],
    ["a file cut short", encodeSnapshot(sample).subarray(0, 2000), /checksum/],
  ])("refuses %s", (_, bytes, error) => {
    expect(() => decodeSnapshot(bytes)).toThrow(error);
  });

  it("checks section bounds even without the checksum", () => {
    expect(() => decodeSnapshot(encodeSnapshot(sample).subarray(0, 2000), { verify: false })).toThrow(
      /truncated/,
    );
  });
});
