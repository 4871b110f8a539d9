import v8 from "node:v8";
import { crc32 } from "node:zlib";

/**
 * The byte format of a screener snapshot (the home's index cache, and what worker threads share).
 *
 * `v8.serialize` of the whole snapshot was simple but slow to read back: ~0.5 s of deserializing
 * plus ~0.2 s of garbage collection on every start, mostly for 78k name strings, 37k vocabulary
 * strings and 26k entity texts rebuilt one object at a time. Here the bulk goes in raw sections
 * that load without per-element work:
 *
 *   "CHKSNAP2" | u32 skeleton length | u32 CRC-32 of the rest | skeleton (v8.serialize) | padding |
 *   sections, 8-byte aligned
 *
 * - a typed array of 64+ elements is a section of its raw bytes, and comes back as a view on the
 *   file's bytes (no copy; over a SharedArrayBuffer, worker threads share one copy);
 * - an array of 64+ strings (none holding U+0000) is a section of its UTF-8 text joined by U+0000,
 *   and comes back by one decode and one split;
 * - everything else stays in the skeleton, and the skeleton lists where each section goes.
 *
 * Decoding checks the magic, the CRC-32 (~7 ms for the bundled lists' 37 MB), every section's
 * bounds and the skeleton, and throws on a damaged file: callers rebuild (see screener-cache.ts).
 * The checksum matters because entities are parsed lazily: a flipped byte in one record would
 * otherwise restore fine and fail only the screenings that reach it. Any change to the layout must
 * change MAGIC (the cache key also covers this file's code).
 */
const MAGIC = "CHKSNAP2";
const HEADER_BYTES = MAGIC.length + 8;
const SECTION_MIN_LENGTH = 64;
const SEPARATOR = "\u0000";

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** Where a section goes in the skeleton (a path of keys and indexes) and how to read it back. */
type Section =
  | { path: (string | number)[]; kind: "typed"; type: TypedArrayName; offset: number; length: number }
  | { path: (string | number)[]; kind: "strings"; offset: number; bytes: number; count: number };

interface Skeleton {
  value: unknown;
  sections: Section[];
}

const align8 = (n: number) => (n + 7) & ~7;

function typedArrayName(value: unknown): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = value.constructor.name;
  return name in TYPED_ARRAYS ? (name as TypedArrayName) : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Dense arrays of well-formed strings without U+0000 only: a hole or a lone surrogate would not come back as it went in. */
function isPackableStrings(value: unknown[]): value is string[] {
  if (value.length < SECTION_MIN_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (!(i in value) || typeof item !== "string" || item.includes(SEPARATOR) || LONE_SURROGATE.test(item))
      return false;
  }
  return true;
}

/**
 * Encodes a snapshot (plain objects, arrays, strings, numbers, typed arrays; anything else
 * `v8.serialize` takes) into the file format above. Unlike `v8.serialize`, a typed array reached
 * twice comes back as two arrays (snapshots do not share them).
 *
 * @example
 * await writeFile(file, encodeSnapshot(screener.snapshot()));
 */
export function encodeSnapshot(value: unknown): Buffer {
  const sections: Section[] = [];
  const payloads: Uint8Array[] = [];
  let offset = 0;
  const addPayload = (bytes: Uint8Array): number => {
    const at = offset;
    payloads.push(bytes);
    offset = align8(offset + bytes.byteLength);
    return at;
  };
  const strip = (node: unknown, path: (string | number)[]): unknown => {
    const type = typedArrayName(node);
    if (type && (node as AnyTypedArray).length >= SECTION_MIN_LENGTH) {
      const array = node as AnyTypedArray;
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      sections.push({ path, kind: "typed", type, offset: addPayload(bytes), length: array.length });
      return null;
    }
    if (Array.isArray(node)) {
      if (isPackableStrings(node)) {
        const bytes = Buffer.from(node.join(SEPARATOR), "utf8");
        sections.push({
          path,
          kind: "strings",
          offset: addPayload(bytes),
          bytes: bytes.length,
          count: node.length,
        });
        return null;
      }
      // Only arrays that hold objects or arrays can hide sections; leave the rest as they are.
      if (!node.some((item) => typeof item === "object" && item !== null)) return node;
      return node.map((item, i) => strip(item, [...path, i]));
    }
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) out[key] = strip(item, [...path, key]);
      return out;
    }
    return node;
  };
  const skeleton: Skeleton = { value: strip(value, []), sections };
  const head = v8.serialize(skeleton);
  const dataStart = align8(HEADER_BYTES + head.length);
  const out = Buffer.alloc(dataStart + offset);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, HEADER_BYTES);
  let at = dataStart;
  for (const payload of payloads) {
    out.set(payload, at);
    at = dataStart + align8(at - dataStart + payload.byteLength);
  }
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), MAGIC.length + 4);
  return out;
}

/** `bytes` as a Buffer over the same memory, once its magic says it is a snapshot. */
function snapshotBuffer(bytes: Uint8Array): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_BYTES || buffer.toString("latin1", 0, MAGIC.length) !== MAGIC)
    throw new Error("not a Chokepoint snapshot (bad magic)");
  return buffer;
}

function checkSum(buffer: Buffer): void {
  if (crc32(buffer.subarray(HEADER_BYTES)) !== buffer.readUInt32LE(MAGIC.length + 4))
    throw new Error("snapshot is damaged (checksum mismatch)");
}

/**
 * Checks that bytes are a whole, undamaged snapshot (magic and checksum) without decoding them:
 * for a caller that hands them on to others to decode (worker threads).
 *
 * @example
 * verifySnapshot(bytes); // throws on a damaged file
 */
export function verifySnapshot(bytes: Uint8Array): void {
  checkSum(snapshotBuffer(bytes));
}

/**
 * Decodes bytes written by `encodeSnapshot`. Typed arrays are views on `bytes` when its offset
 * allows (keep `bytes` unchanged while the result is in use), copies otherwise. `verify: false`
 * skips the checksum, for bytes a caller has already verified (worker threads).
 *
 * @example
 * const snapshot = decodeSnapshot(await readFile(file)) as ScreenerSnapshot;
 */
export function decodeSnapshot(bytes: Uint8Array, options: { verify?: boolean } = {}): unknown {
  const buffer = snapshotBuffer(bytes);
  const headLength = buffer.readUInt32LE(MAGIC.length);
  if (options.verify !== false) checkSum(buffer);
  if (HEADER_BYTES + headLength > buffer.length) throw new Error("snapshot truncated in its skeleton");
  const skeleton = v8.deserialize(buffer.subarray(HEADER_BYTES, HEADER_BYTES + headLength)) as Skeleton;
  if (!skeleton || !Array.isArray(skeleton.sections)) throw new Error("snapshot skeleton is damaged");
  const dataStart = align8(HEADER_BYTES + headLength);
  const root = { value: skeleton.value };
  for (const section of skeleton.sections) {
    const start = dataStart + section.offset;
    let restored: unknown;
    if (section.kind === "typed") {
      const Type = TYPED_ARRAYS[section.type];
      if (!Type) throw new Error(`snapshot section of unknown type ${String(section.type)}`);
      const end = start + section.length * Type.BYTES_PER_ELEMENT;
      if (end > buffer.length) throw new Error(`snapshot truncated in section ${section.path.join(".")}`);
      const absolute = buffer.byteOffset + start;
      if (absolute % Type.BYTES_PER_ELEMENT === 0) {
        // A SharedArrayBuffer (worker threads) is as good as an ArrayBuffer here.
        restored = new Type(buffer.buffer as ArrayBuffer, absolute, section.length);
      } else {
        const copy = new Uint8Array(end - start);
        copy.set(buffer.subarray(start, end));
        restored = new Type(copy.buffer);
      }
    } else {
      const end = start + section.bytes;
      if (end > buffer.length) throw new Error(`snapshot truncated in section ${section.path.join(".")}`);
      const strings = section.count === 0 ? [] : buffer.toString("utf8", start, end).split(SEPARATOR);
      if (strings.length !== section.count)
        throw new Error(`snapshot section ${section.path.join(".")} is damaged`);
      restored = strings;
    }
    placeAt(root, ["value", ...section.path], restored);
  }
  return root.value;
}

function placeAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    node = (node as Record<string | number, unknown>)[path[i]!];
    if (typeof node !== "object" || node === null)
      throw new Error(`snapshot path ${path.join(".")} is damaged`);
  }
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}
