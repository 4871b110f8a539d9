import { describe, expect, it } from "vitest";
import { buildProgram, commandNamed, programOption } from "./main.js";

describe("commandNamed", () => {
  it.each([
    [["node", "chokepoint", "screen", "a.csv"], "screen"],
    [["node", "chokepoint", "--home", "/tmp/screen", "lists", "status"], "lists"],
    [["node", "chokepoint", "--database-url", "postgres://x/cases", "cases", "list"], "cases"],
    [["node", "chokepoint", "--home=/tmp/h", "compare", "p.csv"], "compare"],
    [["node", "chokepoint", "--help"], undefined],
    [["node", "chokepoint", "--help", "screen"], undefined],
    [["node", "chokepoint", "-h", "worker"], undefined],
    [["node", "chokepoint", "--home", "/tmp/x", "--help", "lists"], undefined],
    [["node", "chokepoint", "--bogus", "screen", "a.csv"], undefined],
    [["node", "chokepoint", "--", "screen", "a.csv"], "screen"],
    [["node", "chokepoint", "help", "screen"], undefined],
    [["node", "chokepoint", "scren", "a.csv"], undefined],
    [["node", "chokepoint"], undefined],
  ])("reads %j as %s", (argv, name) => {
    expect(commandNamed(argv)).toBe(name);
  });
});

describe("buildProgram", () => {
  it("loads only the command a line names, and every command otherwise, in help order", async () => {
    const names = async (argv: string[]) => (await buildProgram(argv)).commands.map((c) => c.name());
    expect(await names(["node", "chokepoint", "--home", "/tmp/x", "screen", "a.csv"])).toEqual(["screen"]);
    expect(await names(["node", "chokepoint", "--help"])).toEqual([
      "lists",
      "entity",
      "screen",
      "compare",
      "items",
      "orders",
      "customers",
      "cases",
      "monitor",
      "audit",
      "serve",
      "keys",
      "worker",
    ]);
  });
});

describe("programOption", () => {
  it("reads a program option anywhere before --, the last one winning, as commander does", () => {
    const argv = ["node", "chokepoint", "--home", "/a", "--database-url=postgres://x", "--home=/b", "screen"];
    expect(programOption([...argv, "a.csv"], "--home")).toBe("/b");
    expect(programOption([...argv, "a.csv", "--home", "/c"], "--home")).toBe("/c");
    expect(programOption([...argv, "--", "--home", "/d"], "--home")).toBe("/b");
    expect(programOption(argv, "--database-url")).toBe("postgres://x");
    expect(programOption(["node", "chokepoint", "screen", "a.csv"], "--home")).toBeUndefined();
  });
});
