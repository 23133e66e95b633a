// `npm run soak`: the long, bounded, loopback-only load test (SOAK_SECONDS, default 300).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const seconds = Number(process.env.SOAK_SECONDS ?? 300);

export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["**/*.soak.ts"],
    testTimeout: (seconds + 600) * 1000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
