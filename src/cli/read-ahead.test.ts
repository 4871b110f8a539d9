import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { indexSelection } from "../jobs/index-prefetch.js";
import { screenReadAhead } from "./read-ahead.js";

const argv = (...args: string[]) => ["node", "chokepoint", ...args];

describe("screenReadAhead", () => {
  const env = { CHOKEPOINT_HOME: "/srv/chokepoint" };
  const every = indexSelection(undefined, undefined);

  it("guesses the home's cache and the selection of every list, as the store will name them", () => {
    expect(screenReadAhead(argv("screen", "a.csv"), env)).toEqual({
      cacheDir: join("/srv/chokepoint", "cache"),
      selection: every,
      words: true,
    });
    // A selection of lists still screens with the index of every list.
    expect(screenReadAhead(argv("screen", "a.csv", "--lists", "un"), env)?.selection).toBe(every);
  });

  it("follows --home and --database-url wherever they are given, and DATABASE_URL", () => {
    expect(screenReadAhead(argv("--home", "h1", "screen", "a.csv"), env)?.cacheDir).toBe(
      resolve("h1", "cache"),
    );
    expect(screenReadAhead(argv("screen", "a.csv", "--home=h2"), env)?.cacheDir).toBe(resolve("h2", "cache"));
    const url = "postgres://db/chokepoint";
    expect(screenReadAhead(argv("screen", "a.csv"), { ...env, DATABASE_URL: url })?.selection).toBe(
      indexSelection(url, undefined),
    );
    expect(
      screenReadAhead(argv("--database-url", url, "screen", "a.csv"), {
        ...env,
        DATABASE_URL: "postgres://other",
      })?.selection,
    ).toBe(indexSelection(url, undefined));
    // An empty DATABASE_URL means none, as in storeLocation.
    expect(screenReadAhead(argv("screen", "a.csv"), { ...env, DATABASE_URL: "" })?.selection).toBe(every);
  });

  it("leaves the words out with --no-word-cache, and reads nothing for help or other commands", () => {
    expect(screenReadAhead(argv("screen", "a.csv", "--no-word-cache"), env)?.words).toBe(false);
    expect(screenReadAhead(argv("screen", "--help"), env)).toBeUndefined();
    expect(screenReadAhead(argv("screen", "-h"), env)).toBeUndefined();
    expect(screenReadAhead(argv("compare", "pairs.csv"), env)).toBeUndefined();
    expect(screenReadAhead(argv("serve"), env)).toBeUndefined();
    expect(screenReadAhead(argv(), env)).toBeUndefined();
  });
});
