import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEntitySchema } from "../model/index.js";
import { openStore } from "../store/index.js";
import { saveTestLists } from "../store/testing/lists.js";
import type { PartyRow } from "./party-rows.js";
import {
  type BatchScreenOptions,
  type ScreenedRow,
  screenRowBatches,
  WORKER_CHUNK_ROWS,
  workerChunkRows,
} from "./screen-batch.js";

// Two small lists: the company on "test-sdn" is named on "test-un" as an alias of another record.
const company = (listId: string, nativeId: string, names: string[]) =>
  listEntitySchema.parse({
    id: `${listId}:${nativeId}`,
    listId,
    nativeId,
    schema: "Company",
    name: names[0],
    names: names.map((full, i) => ({ full, kind: i === 0 ? "primary" : "aka" })),
    raw: null,
  });

const home = mkdtempSync(join(tmpdir(), "chokepoint-batch-"));
beforeAll(async () => {
  const store = await openStore({ home });
  try {
    await saveTestLists(store, {
      "test-sdn": [company("test-sdn", "100", ["GULF STAR ELECTRONICS FZE"])],
      "test-un": [company("test-un", "IRe.001", ["SEPEHR AVIATION TRADING", "GULF STAR ELECTRONICS FZE"])],
    });
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function screen(options: BatchScreenOptions): Promise<ScreenedRow[]> {
  async function* rows(): AsyncGenerator<PartyRow[]> {
    yield [{ line: 2, id: "L-1", name: "Sepehr Aviation Trading", issues: [] }];
  }
  const out: ScreenedRow[] = [];
  for await (const results of screenRowBatches(
    rows(),
    { location: { home } },
    { lists: ["test-sdn"], ...options },
  ))
    out.push(...results);
  return out;
}

describe("screenRowBatches on an input that fails part-way", () => {
  it("answers every row before the failure, in order, then throws it, threaded or not", async () => {
    for (const workers of [0, 1, 2]) {
      // Batches of 2, 1 and 4 rows: neither they nor the chunks of 3 sent to workers line up.
      async function* rows(): AsyncGenerator<PartyRow[]> {
        const row = (k: number): PartyRow => ({
          line: k + 1,
          id: `R-${k}`,
          name: `Customer ${k}`,
          issues: [],
        });
        yield [row(1), row(2)];
        yield [row(3)];
        yield [row(4), row(5), row(6), row(7)];
        throw new Error("input.csv:9: text after a closing quote (field 2)");
      }
      const answered: string[] = [];
      const run = async () => {
        const options = { workers, chunkSize: 3, keepWords: false };
        for await (const results of screenRowBatches(rows(), { location: { home } }, options))
          answered.push(...results.map((row) => row.id));
      };
      await expect(run(), `workers ${workers}`).rejects.toThrow(/input\.csv:9/);
      expect(answered, `workers ${workers}`).toEqual(["R-1", "R-2", "R-3", "R-4", "R-5", "R-6", "R-7"]);
    }
  });
});

describe("screenRowBatches on one thread", () => {
  it("hands results back chunkSize rows at a time, in order, however big the batches that come in", async () => {
    async function* rows(): AsyncGenerator<PartyRow[]> {
      yield Array.from({ length: 7 }, (_, k) => ({
        line: k + 2,
        id: `R-${k + 1}`,
        name: `Customer ${k + 1}`,
        issues: [],
      }));
      yield [{ line: 9, id: "R-8", name: "Customer 8", issues: [] }];
    }
    const sizes: number[] = [];
    const ids: string[] = [];
    for await (const results of screenRowBatches(
      rows(),
      { location: { home } },
      { workers: 0, chunkSize: 3, keepWords: false },
    )) {
      sizes.push(results.length);
      ids.push(...results.map((row) => row.id));
    }
    expect(sizes).toEqual([3, 3, 1, 1]);
    expect(ids).toEqual(["R-1", "R-2", "R-3", "R-4", "R-5", "R-6", "R-7", "R-8"]);
  });
});

const customers = (count: number, name: (k: number) => string): PartyRow[] =>
  Array.from({ length: count }, (_, k) => ({ line: k + 2, id: `R-${k + 1}`, name: name(k + 1), issues: [] }));

/** The sizes of the result arrays `screenRowBatches` hands back, and their rows' ids in order. */
async function handBacks(rows: PartyRow[], options: BatchScreenOptions) {
  async function* input(): AsyncGenerator<PartyRow[]> {
    yield rows;
  }
  const sizes: number[] = [];
  const matches: number[] = [];
  const ids: string[] = [];
  for await (const results of screenRowBatches(input(), { location: { home } }, options)) {
    sizes.push(results.length);
    matches.push(results.reduce((sum, row) => sum + row.matches.length, 0));
    ids.push(...results.map((row) => row.id));
  }
  expect(ids).toEqual(rows.map((row) => row.id));
  return { sizes, matches };
}

describe("screenRowBatches hand-backs", () => {
  it("on one thread, reads no further into a batch than the results it has handed back", async () => {
    let furthest = -1;
    const rows = customers(20, (k) => `Customer ${k}`);
    // A batch that notes the furthest row read: results must go back before the next rows are screened.
    const watched = new Proxy(rows, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) furthest = Math.max(furthest, Number(key));
        return Reflect.get(target, key, receiver);
      },
    });
    async function* input(): AsyncGenerator<PartyRow[]> {
      yield watched;
    }
    const readBefore: number[] = [];
    for await (const _ of screenRowBatches(
      input(),
      { location: { home } },
      { workers: 0, chunkSize: 5, keepWords: false },
    ))
      readBefore.push(furthest);
    expect(readBefore).toEqual([4, 9, 14, 19]);
  });

  it("on one thread, hands rows with many candidates back sooner", async () => {
    // Both test records are named GULF STAR ELECTRONICS FZE: every row has two candidates. Up to 64
    // rows a hand-back (chunkSize), results must still go back once they hold 32 candidates.
    const { sizes, matches } = await handBacks(
      customers(100, () => "Gulf Star Electronics FZE"),
      {
        workers: 0,
        chunkSize: 64,
        keepWords: false,
      },
    );
    expect(sizes[0]).toBeLessThan(64);
    expect(matches.slice(0, -1).every((m) => m >= 32 && m < 32 + 2)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("with a worker, sends small chunks first, then chunks sized by the candidates that came back", async () => {
    const clear = await handBacks(
      customers(1_000, (k) => `Customer ${k}`),
      { workers: 1, keepWords: false },
    );
    expect(clear.sizes.slice(0, 4)).toEqual([32, 32, 32, WORKER_CHUNK_ROWS]);
    const heavy = await handBacks(
      customers(400, () => "Gulf Star Electronics FZE"),
      { workers: 1, keepWords: false },
    );
    const perRow = heavy.matches[0]! / 32;
    expect(perRow).toBeGreaterThan(0);
    expect(heavy.sizes.slice(0, 3)).toEqual([32, 32, 32]);
    expect(heavy.sizes[3]).toBe(workerChunkRows(32, heavy.matches[0]!));
    expect(heavy.sizes[3]).toBeLessThan(WORKER_CHUNK_ROWS);
  });

  it("refuses a chunk size that is not a whole number above 0, threaded or not", async () => {
    for (const workers of [0, 1])
      for (const chunkSize of [0, -1, Number.NaN, 2.5])
        await expect(
          handBacks(
            customers(5, (k) => `Customer ${k}`),
            { workers, chunkSize, keepWords: false },
          ),
        ).rejects.toThrow(RangeError);
  });
});

describe("screenRowBatches with a selection of lists", () => {
  it("finds a party through another list's record on a built, a cached and a threaded screener", async () => {
    // The first run builds the index and caches it; the second restores it; workers restore it too.
    for (const workers of [0, 0, 2]) {
      const [row] = await screen({ workers, keepWords: false });
      expect(row?.matches[0]?.entityId, `workers ${workers}`).toBe("test-sdn:100");
      expect(row?.matches[0]?.explanation.linkedThrough?.entityId).toBe("test-un:IRe.001");
    }
  });

  it("finds nothing through other lists with viaOtherLists: false, threaded or not", async () => {
    for (const workers of [0, 2]) {
      const [row] = await screen({ workers, keepWords: false, viaOtherLists: false });
      expect(row?.matches).toEqual([]);
    }
  });
});

describe("workerChunkRows", () => {
  it("sends workers small chunks first, full ones while rows come back with few candidates, fewer rows as they bring more", () => {
    expect(workerChunkRows(0, 0)).toBe(32); // nothing back yet: small, in case rows are heavy
    expect(workerChunkRows(50_000, 0)).toBe(WORKER_CHUNK_ROWS);
    expect(workerChunkRows(50_000, 8_000)).toBe(WORKER_CHUNK_ROWS); // 0.16 a row
    expect(workerChunkRows(1_000, 2_000)).toBe(160); // two a row
    expect(workerChunkRows(1_000, 10_000)).toBe(32); // ten a row
    expect(workerChunkRows(10, 10_000)).toBe(16); // never fewer than 16
  });
});
