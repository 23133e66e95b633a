/**
 * Builds /sw.js after the app build, Workbox "injectManifest" style
 * (https://developer.chrome.com/docs/workbox/modules/workbox-build#injectmanifest): bundle
 * web/src/sw.ts into one classic script with Vite, then let workbox-build write the precache list
 * of the finished build directory into its `self.__WB_MANIFEST`.
 * The precache holds the app shell: index.html (keyed "/", the URL the worker serves it at, so no
 * redirect is cached), hashed JS/CSS under assets/ (their names are their revision), the web app
 * manifest and the icons. Returns the figures printed by the build.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { injectManifest } from "workbox-build";
import { SHELL_URL } from "../src/pwa/routes.ts";

export const PRECACHE_GLOBS = ["**/*.{html,js,css,webmanifest,png,svg,woff2}"];

export interface PrecacheReport {
  count: number;
  bytes: number;
  gzipBytes: number;
  swBytes: number;
  urls: string[];
}

export async function buildServiceWorker(webRoot: string, outDir: string): Promise<PrecacheReport> {
  const scratch = mkdtempSync(join(tmpdir(), "porthole-sw-"));
  try {
    await build({
      configFile: false,
      root: webRoot,
      publicDir: false,
      logLevel: "warn",
      mode: "production",
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      build: {
        outDir: scratch,
        emptyOutDir: true,
        copyPublicDir: false,
        minify: true,
        target: "es2022",
        lib: { entry: join(webRoot, "src/sw.ts"), formats: ["iife"], name: "porthole_sw", fileName: () => "sw.js" },
      },
    });
    let urls: string[] = [];
    const result = await injectManifest({
      swSrc: join(scratch, "sw.js"),
      swDest: join(outDir, "sw.js"),
      globDirectory: outDir,
      globPatterns: PRECACHE_GLOBS,
      // The live player (mpegts.js, ~270 KB) is fetched by the watch page only, which needs the network
      // anyway: it stays out of the precache every install would download.
      globIgnores: ["sw.js", "**/*.map", "assets/watch-player-*.js"],
      dontCacheBustURLsMatching: /^assets\//,
      manifestTransforms: [
        (entries) => {
          const manifest = entries.map((e) => (e.url === "index.html" ? { ...e, url: SHELL_URL } : e));
          urls = manifest.map((e) => e.url);
          return { manifest, warnings: [] };
        },
      ],
    });
    if (result.warnings.length > 0) throw new Error(`workbox-build: ${result.warnings.join("; ")}`);
    let gzipBytes = 0;
    for (const url of urls) {
      gzipBytes += gzipSync(readFileSync(join(outDir, url === SHELL_URL ? "index.html" : url))).length;
    }
    return {
      count: result.count,
      bytes: result.size,
      gzipBytes,
      swBytes: readFileSync(join(outDir, "sw.js")).length,
      urls,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
