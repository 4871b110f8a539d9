import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The layer table of ../shared/docs/architecture.md: what each layer may import.
const ALLOWED: Record<string, string[]> = {
  model: [],
  text: ["model"],
  matching: ["model", "text"],
  sources: ["model"],
  items: ["model", "text"],
  orders: ["model", "matching", "items"],
  store: ["model"],
  jobs: ["model", "text", "matching", "sources", "items", "orders", "store"],
  api: ["model", "text", "matching", "sources", "items", "orders", "store", "jobs"],
  cli: ["model", "text", "matching", "sources", "items", "orders", "store", "jobs"],
  web: ["model"],
};
const PURE = ["text", "matching", "items", "orders"];
// The one sanctioned crossing between doors: `chokepoint serve` is how the HTTP door is started.
const EXCEPTIONS = new Set(["cli/serve-command.ts -> api"]);
const root = import.meta.dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // Test support (folders named testing/) may reach anywhere, like the tests themselves.
    if (statSync(path).isDirectory())
      return name === "node_modules" || name === "testing" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

const files = Object.keys(ALLOWED).flatMap((layer) => {
  try {
    return sourceFiles(join(root, layer)).map((file) => ({ layer, file }));
  } catch {
    return [];
  }
});

describe("architecture", () => {
  it("every layer imports only the layers the design allows", () => {
    const violations: string[] = [];
    for (const { layer, file } of files) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        const target = relative(root, join(file, "..", spec)).split(/[\\/]/)[0]!;
        if (target === layer || !(target in ALLOWED)) continue;
        if (EXCEPTIONS.has(`${relative(root, file)} -> ${target}`)) continue;
        if (!ALLOWED[layer]!.includes(target))
          violations.push(`${relative(root, file)} imports ${target} (${spec})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("pure layers do no I/O and read no clock or environment", () => {
    const violations: string[] = [];
    for (const { layer, file } of files) {
      if (!PURE.includes(layer)) continue;
      const text = readFileSync(file, "utf8")
        .replace(/\/\/.*$/gm, "")
        .replace(/\/\*[\s\S]*?\*\//g, "");
      for (const spec of importsOf(text)) {
        if (/^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|os|process)$/.test(spec)) {
          violations.push(`${relative(root, file)} imports ${spec}`);
        }
      }
      if (/\bDate\.now\(|new Date\(\)|process\.env|Math\.random\(/.test(text)) {
        violations.push(`${relative(root, file)} reads the clock, environment or randomness`);
      }
    }
    expect(violations).toEqual([]);
  });
});
