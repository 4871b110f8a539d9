import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The matching layer is pure (architecture.md): it may import the model and text layers and
// itself, nothing else of the project, no Node built-ins, and must not read the clock or environment.
const here = new URL(".", import.meta.url).pathname;
const sources = readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("matching layer boundaries", () => {
  it.each(sources)("%s imports only model, text and matching, and does no I/O", (file) => {
    const text = readFileSync(join(here, file), "utf8");
    const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
    for (const spec of imports) {
      const allowed =
        spec.startsWith("./") ||
        spec.startsWith("../model/") ||
        spec.startsWith("../text/") ||
        spec === "zod";
      expect(allowed, `${file} imports ${spec}`).toBe(true);
    }
    expect(text).not.toMatch(/process\.(env|hrtime)|Date\.now|new Date\(|performance\.now/);
  });
});
