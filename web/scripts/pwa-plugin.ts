/**
 * The Vite plugin that makes the build installable and offline-capable (W3C Web App Manifest and
 * Service Workers; see web/src/sw.ts): it emits the PNG icons rendered by sharp from web/public/icon*.svg
 * (scripts/icons.ts), and once the app is written, builds /sw.js with the precache list of the output
 * (scripts/service-worker-build.ts) and prints the precache size. In `vite dev` it serves the icons
 * too; the service worker is only registered in production builds (src/pwa/register.tsx).
 */
import { resolve } from "node:path";
import type { Plugin, ResolvedConfig } from "vite";
import { ICONS, renderIcons } from "./icons.ts";
import { buildServiceWorker } from "./service-worker-build.ts";

export function pwa(): Plugin {
  let config: ResolvedConfig;
  let icons: Promise<Map<string, Buffer>> | undefined;
  const rendered = () => {
    icons ??= renderIcons(config.publicDir);
    return icons;
  };
  return {
    name: "porthole-pwa",
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = ICONS.find((i) => req.url === `/${i.file}`)?.file;
        if (!file) return next();
        rendered().then(
          (all) => {
            res.setHeader("Content-Type", "image/png");
            res.end(all.get(file));
          },
          (err: unknown) => next(err),
        );
      });
    },
    async generateBundle() {
      if (config.command !== "build") return;
      for (const [fileName, source] of await rendered()) this.emitFile({ type: "asset", fileName, source });
    },
    writeBundle: {
      sequential: true,
      order: "post",
      async handler() {
        if (config.command !== "build") return;
        const outDir = resolve(config.root, config.build.outDir);
        const r = await buildServiceWorker(config.root, outDir);
        config.logger.info(
          `sw.js ${r.swBytes} B; precache: ${r.count} files, ${r.bytes} B (${r.gzipBytes} B gzip): ${r.urls.join(" ")}`,
        );
      },
    },
  };
}
