import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// items is a pure layer: it may import model (and text), never I/O, the clock, or outer layers.
describe("items layer", () => {
  const dir = new URL("./", import.meta.url);
  const sources = readdirSync(dir).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
  it.each(sources)("%s imports only model, text and its own files", (name) => {
    const text = readFileSync(new URL(name, dir), "utf8");
    const imports = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)].map(
      (match) => match[1]!,
    );
    for (const target of imports) {
      expect(target, `${name} imports ${target}`).toMatch(/^(\.\/|\.\.\/model\/|\.\.\/text\/|zod$)/);
    }
    expect(text).not.toMatch(/\bprocess\.(env|argv)|Date\.now\(|new Date\(/);
  });
});
