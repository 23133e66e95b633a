// Web unit tests: the PWA's model, commands and facade in Node (no browser needed).
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [preact()],
  test: { root: fileURLToPath(new URL(".", import.meta.url)), include: ["**/*.test.ts", "**/*.test.tsx"] },
});
