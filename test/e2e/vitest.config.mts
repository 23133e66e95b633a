// End-to-end tests: real wrangler dev, Chromium, Prosody, nginx-rtmp and ffmpeg, all on 127.0.0.1.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    // `npm test` runs the files in lanes (lanes.mjs): each run names its files exactly, comma-separated.
    include: process.env.PORTHOLE_E2E_FILES ? process.env.PORTHOLE_E2E_FILES.split(",") : ["**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
