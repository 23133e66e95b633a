// Benchmarks (npm run bench): each *.bench.ts measures Porthole and its alternative side by side in
// one run and writes test/bench/results/<name>.json; test/bench/run.mjs prints the summary.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["**/*.bench.ts"],
    setupFiles: ["./announce.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
