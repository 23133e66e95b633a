/**
 * Builds the PWA from web/ into web/dist, which the worker serves as static assets: the Preact app,
 * the web app manifest and SVG icons from public/, the PNG icons and the Workbox service worker /sw.js
 * (scripts/pwa-plugin.ts). Set VITE_BUILD_ID to label a build (shown as <html data-build>, written to
 * /build.txt for the worker's /healthz: scripts/build-id-plugin.ts).
 * Nothing is inlined into index.html, so the page runs under a CSP with `script-src 'self'`.
 */
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { buildIdFile } from "./scripts/build-id-plugin.ts";
import { pwa } from "./scripts/pwa-plugin.ts";

export default defineConfig(({ command }) => {
  // `vite build` is always a production build (import.meta.env.PROD, no Preact debug code), even when
  // a test runner started it with NODE_ENV=test in the environment. Vite reads it after this file.
  if (command === "build") process.env.NODE_ENV = "production";
  return {
    root: "web",
    plugins: [preact(), pwa(), buildIdFile()],
    build: {
      outDir: "dist",
      emptyOutDir: true,
      target: "es2022",
      sourcemap: false,
    },
  };
});
