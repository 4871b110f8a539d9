import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { restoreScreener, type ScreenerSnapshot } from "../matching/index.js";
import { openSqliteStore } from "../store/index.js";
import { BUNDLED_LISTS_DIR, importLists } from "./import-lists.js";
import { indexSelection, prefetchIndexCache, takePrefetched } from "./index-prefetch.js";
import { loadScreener, readWordMemo, saveWordMemo, sharedScreenerSnapshot } from "./screener-cache.js";
import { decodeSnapshot } from "./snapshot-file.js";

const home = mkdtempSync(join(tmpdir(), "chokepoint-index-cache-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function importUn(path: string) {
  const store = await openSqliteStore(join(home, "chokepoint.sqlite"));
  try {
    return await importLists(store, [path]);
  } finally {
    await store.close();
  }
}

describe("loadScreener", () => {
  it("builds once, then restores the same index from the home's cache until the lists change", async () => {
    await importUn(join(BUNDLED_LISTS_DIR, "un"));
    const query = { name: "Saddam Hussein al-Tikriti", dob: "1937" };
    const first = await loadScreener({ home }, undefined);
    expect(first.index).toBe("built");
    const second = await loadScreener({ home }, undefined);
    expect(second.index).toBe("hit");
    expect(second.screener.screen(query)).toEqual(first.screener.screen(query));

    // A new version of the list (one record edited) must not be served from the old index.
    const xml = readFileSync(join(BUNDLED_LISTS_DIR, "un", "consolidated.xml"), "utf8");
    const changed = join(home, "consolidated.xml");
    writeFileSync(changed, xml.replace("<FIRST_NAME>SADDAM</FIRST_NAME>", "<FIRST_NAME>SADAM</FIRST_NAME>"));
    expect((await importUn(changed)).results[0]?.status).toBe("created");
    const third = await loadScreener({ home }, undefined);
    expect(third.index).toBe("built");
    expect(readdirSync(join(home, "cache")).filter((f) => f.startsWith("index-"))).toHaveLength(1);
  });

  it("keeps one file per selection of lists, so alternating selections do not evict each other", async () => {
    expect((await loadScreener({ home }, ["un"])).index).toBe("built");
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
    expect((await loadScreener({ home }, ["un"])).index).toBe("hit");
    expect(readdirSync(join(home, "cache")).filter((f) => f.startsWith("index-"))).toHaveLength(2);
  });

  it("rebuilds when the cache file is damaged", async () => {
    const cache = join(home, "cache");
    for (const file of readdirSync(cache)) writeFileSync(join(cache, file), "not a snapshot");
    expect((await loadScreener({ home }, undefined)).index).toBe("built");
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
  });

  it("rebuilds when one byte inside the file changed (entities are parsed lazily, so restoring alone would not notice)", async () => {
    const cache = join(home, "cache");
    for (const file of readdirSync(cache)) {
      const bytes = readFileSync(join(cache, file));
      const at = Math.floor(bytes.length * 0.6);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(join(cache, file), bytes);
    }
    expect((await loadScreener({ home }, undefined)).index).toBe("built");
  });
});

describe("loadScreener with the CLI's read-ahead (index-prefetch.ts)", () => {
  const cache = join(home, "cache");
  const indexFiles = () =>
    readdirSync(cache).filter((f) => f.startsWith(`index-${indexSelection(undefined, undefined)}-`));

  it("restores from the bytes read ahead, and checks them as it checks the file", async () => {
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
    const [file] = indexFiles();
    const good = readFileSync(join(cache, file!));
    // Read ahead, then damaged on disk: the bytes read ahead are the ones restored.
    await prefetchIndexCache(cache, indexSelection(undefined, undefined));
    writeFileSync(join(cache, file!), "not a snapshot");
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
    // Read ahead while damaged, then mended on disk: the damaged bytes are refused and rebuilt from.
    await prefetchIndexCache(cache, indexSelection(undefined, undefined));
    writeFileSync(join(cache, file!), good);
    expect((await loadScreener({ home }, undefined)).index).toBe("built");
  });

  it("reads the file itself when the guess was another file, and forgets the guess", async () => {
    await prefetchIndexCache(cache, indexSelection(undefined, ["un"]));
    const guessed = readdirSync(cache).find((f) =>
      f.startsWith(`index-${indexSelection(undefined, ["un"])}-`),
    );
    expect(guessed).toBeDefined();
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
    expect(await takePrefetched(join(cache, guessed!))).toBeUndefined();
  });

  it("shares the bytes read ahead with worker threads too", async () => {
    const query = { name: "Saddam Hussein al-Tikriti", dob: "1937" };
    const { screener } = await loadScreener({ home }, undefined);
    const [file] = indexFiles();
    const good = readFileSync(join(cache, file!));
    await prefetchIndexCache(cache, indexSelection(undefined, undefined));
    writeFileSync(join(cache, file!), "not a snapshot");
    try {
      const shared = await sharedScreenerSnapshot({ home }, undefined);
      const restored = restoreScreener(decodeSnapshot(new Uint8Array(shared.snapshot)) as ScreenerSnapshot);
      expect(restored.screen(query)).toEqual(screener.screen(query));
      expect(readFileSync(join(cache, file!)).toString()).toBe("not a snapshot");
    } finally {
      writeFileSync(join(cache, file!), good);
    }
  });
});

describe("sharedScreenerSnapshot", () => {
  const query = { name: "Saddam Hussein al-Tikriti", dob: "1937" };
  const restore = ({ snapshot }: { snapshot: SharedArrayBuffer }) =>
    restoreScreener(decodeSnapshot(new Uint8Array(snapshot)) as ScreenerSnapshot);

  it("shares the cached index, screening as the cache's own screener does", async () => {
    const { screener } = await loadScreener({ home }, undefined);
    const shared = await sharedScreenerSnapshot({ home }, undefined);
    expect(shared.snapshot).toBeInstanceOf(SharedArrayBuffer);
    expect(restore(shared).screen(query)).toEqual(screener.screen(query));
  });

  it("builds, saves and shares the index when the cache file is damaged", async () => {
    const cache = join(home, "cache");
    for (const file of readdirSync(cache)) writeFileSync(join(cache, file), "not a snapshot");
    const shared = await sharedScreenerSnapshot({ home }, undefined);
    expect(restore(shared).screen(query)[0]?.match).toBe(true);
    expect((await loadScreener({ home }, undefined)).index).toBe("hit");
  });
});

describe("word lookups kept beside the index", () => {
  const queries = ["Saddam Hussein al-Tikriti", "Jane Marie Thompson", "عزت ابراهيم الدوري", "Kim Jong Un"];

  it("gives the next screener over the same index the words the last one looked up", async () => {
    const first = await loadScreener({ home }, ["un"]);
    const answers = queries.map((name) => first.screener.screen({ name }));
    await saveWordMemo(first.wordsFile, first.screener.lookedUpWords());
    const looked = first.screener.lookedUpWords().words.length;
    expect(looked).toBeGreaterThan(5);

    const second = await loadScreener({ home }, ["un"]);
    expect(second.wordsRemembered).toBe(looked);
    expect(queries.map((name) => second.screener.screen({ name }))).toEqual(answers);
    expect(second.screener.lookedUpWords().words).toHaveLength(looked);
    // Worker threads get them with the shared index.
    const shared = await sharedScreenerSnapshot({ home }, ["un"]);
    expect(shared.words?.words).toHaveLength(looked);
    // Another selection of lists is another index: its words are its own.
    expect((await loadScreener({ home }, undefined)).wordsRemembered).toBe(0);
  });

  it("ignores a damaged word file: the words are looked up again", async () => {
    const { wordsFile } = await loadScreener({ home }, ["un"]);
    writeFileSync(wordsFile, "not a snapshot");
    expect(await readWordMemo(wordsFile)).toBeUndefined();
    const again = await loadScreener({ home }, ["un"]);
    expect(again.index).toBe("hit");
    expect(again.wordsRemembered).toBe(0);
    expect(again.screener.screen({ name: queries[0]! })[0]?.match).toBe(true);
  });
});
