/**
 * Writes `/build.txt` into the build: one line, the build label (VITE_BUILD_ID, or "unlabelled"), the
 * same value the page exposes as `<html data-build>` (src/pwa/register.tsx). The worker's /healthz
 * reports it as `build` (worker/health/build-id.ts), so a monitor sees which PWA build is live.
 * Not precached (scripts/service-worker-build.ts precaches no .txt).
 */
import type { Plugin } from "vite";

/** The label when VITE_BUILD_ID is not set (register.tsx uses the same default). */
export const UNLABELLED = "unlabelled";

export function buildIdFile(): Plugin {
  let label = UNLABELLED;
  return {
    name: "porthole-build-id",
    apply: "build",
    configResolved(config) {
      label = config.env.VITE_BUILD_ID ?? UNLABELLED;
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "build.txt", source: `${label}\n` });
    },
  };
}
