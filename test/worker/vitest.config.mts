// Worker tests: run inside workerd with the project's wrangler.toml (bindings, vars, assets).
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: fileURLToPath(new URL("../../wrangler.toml", import.meta.url)) } })],
  test: { root: here, include: ["**/*.test.ts"] },
});
