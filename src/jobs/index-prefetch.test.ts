import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dropPrefetched, indexSelection, prefetchIndexCache, takePrefetched } from "./index-prefetch.js";

const dir = mkdtempSync(join(tmpdir(), "chokepoint-prefetch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("indexSelection", () => {
  it("names a selection of lists in a store, whatever the order the lists are given in", () => {
    expect(indexSelection(undefined, ["un", "eu"])).toBe(indexSelection(undefined, ["eu", "un"]));
    expect(indexSelection(undefined, undefined)).not.toBe(indexSelection(undefined, ["un"]));
    expect(indexSelection("postgres://db/x", undefined)).not.toBe(indexSelection(undefined, undefined));
    expect(indexSelection(undefined, undefined)).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe("prefetchIndexCache", () => {
  const every = indexSelection(undefined, undefined);
  const other = indexSelection(undefined, ["un"]);
  const cache = join(dir, "cache");
  mkdirSync(cache);
  writeFileSync(join(cache, `index-${every}-k1.snap`), "index bytes");
  writeFileSync(join(cache, `words-${every}-k1.snap`), "words bytes");
  writeFileSync(join(cache, `index-${other}-k2.snap`), "another selection");
  writeFileSync(join(cache, `index-${every}-k1.snap.tmp`), "a write in progress");

  it("hands out the selection's index and words once each, and nothing else", async () => {
    await prefetchIndexCache(cache, every);
    expect((await takePrefetched(join(cache, `index-${every}-k1.snap`)))?.toString()).toBe("index bytes");
    expect(await takePrefetched(join(cache, `index-${every}-k1.snap`))).toBeUndefined();
    expect((await takePrefetched(join(cache, `words-${every}-k1.snap`)))?.toString()).toBe("words bytes");
    expect(await takePrefetched(join(cache, `index-${other}-k2.snap`))).toBeUndefined();
    expect(await takePrefetched(join(cache, `index-${every}-k1.snap.tmp`))).toBeUndefined();
  });

  it("forgets what was not taken", async () => {
    await prefetchIndexCache(cache, every);
    dropPrefetched();
    expect(await takePrefetched(join(cache, `index-${every}-k1.snap`))).toBeUndefined();
  });

  it("leaves the word files out with words: false", async () => {
    await prefetchIndexCache(cache, every, { words: false });
    expect(await takePrefetched(join(cache, `words-${every}-k1.snap`))).toBeUndefined();
    expect((await takePrefetched(join(cache, `index-${every}-k1.snap`)))?.toString()).toBe("index bytes");
  });

  it("does nothing for a home without a cache, and answers undefined for a file it could not read", async () => {
    await expect(prefetchIndexCache(join(dir, "no-such-home", "cache"), every)).resolves.toBeUndefined();
    const odd = join(dir, "odd");
    // A folder where a file was expected: reading it fails (EISDIR).
    mkdirSync(join(odd, `index-${every}-k3.snap`), { recursive: true });
    await prefetchIndexCache(odd, every);
    expect(await takePrefetched(join(odd, `index-${every}-k3.snap`))).toBeUndefined();
  });
});
