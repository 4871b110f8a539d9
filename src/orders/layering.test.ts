import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIR = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("orders layer stays pure", () => {
  it.each(sources)(
    "%s imports only model, matching, items and pure libraries, and reads no clock or env",
    (file) => {
      const text = readFileSync(join(DIR, file), "utf8");
      const imports = [...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1]!);
      for (const spec of imports) {
        expect(spec, `${file} imports ${spec}`).toMatch(
          /^(\.\/|\.\.\/(model|matching|items)\/|zod$|json-logic-js$|csv-parse\/sync$)/,
        );
      }
      expect(text).not.toMatch(/\bDate\.now\(|new Date\(\)|process\.env|process\.(stdout|stderr)/);
    },
  );
});
