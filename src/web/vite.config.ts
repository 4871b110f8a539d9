import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Builds the review UI into dist/web, which `chokepoint serve` serves at `/`. Relative asset
 * paths and no external resources: the page works offline and behind any prefix.
 *
 * @example
 * // npx vite build --config src/web/vite.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../../dist/web", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  logLevel: "warn",
});
