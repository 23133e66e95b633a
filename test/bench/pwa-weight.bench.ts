/**
 * Benchmark 3, PWA weight: gzip/brotli bytes of the JS + CSS the browser loads first, and of the
 * service worker's precache, against converse.js 14 measured from its npm package in the same run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { ROOT, tempDir } from "../support/process";
import { type BenchRow, report } from "./support";

const DIST = join(ROOT, "web/dist");

function sizes(buf: Buffer) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function sum(files: string[]) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const s = sizes(readFileSync(f));
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.brotli += s.brotli;
  }
  return total;
}

/** JS and CSS referenced by index.html (scripts, module preloads, stylesheets). */
function firstLoadFiles(): string[] {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "");
  return [...new Set(refs)].map((r) => join(DIST, r.replace(/^\//, "")));
}

/** Files listed in the built service worker's precache manifest (empty when there is no sw.js yet). */
function precacheFiles(): string[] {
  const sw = join(DIST, "sw.js");
  if (!existsSync(sw)) return [];
  const text = readFileSync(sw, "utf8");
  const urls = [...text.matchAll(/["']?url["']?\s*:\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
  // The shell is precached as "/" (served from index.html); every other entry names a file.
  return [...new Set(urls)]
    .map((u) => join(DIST, u === "/" ? "index.html" : u.replace(/^\//, "")))
    .filter((f) => existsSync(f) && statSync(f).isFile());
}

function converse() {
  const dir = tempDir("converse");
  execFileSync("npm", ["pack", "converse.js@14.0.0", "--silent", "--pack-destination", dir], { cwd: dir, stdio: "pipe" });
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack converse.js produced no tarball");
  execFileSync("tar", ["xzf", tgz, "package/dist/converse.min.js", "package/dist/converse.min.css"], { cwd: dir });
  return {
    js: sizes(readFileSync(join(dir, "package/dist/converse.min.js"))),
    css: sizes(readFileSync(join(dir, "package/dist/converse.min.css"))),
  };
}

it("PWA weight vs converse.js 14", () => {
  expect(existsSync(join(DIST, "index.html")), "run `npm run build` first").toBe(true);
  const first = firstLoadFiles();
  expect(first.length).toBeGreaterThan(0);
  const mine = sum(first);
  const precache = sum(precacheFiles());
  const c = converse();
  const theirsGzip = c.js.gzip + c.css.gzip;
  const theirsBrotli = c.js.brotli + c.css.brotli;
  const rows: BenchRow[] = [
    {
      metric: "first-load JS+CSS, gzip",
      porthole: mine.gzip,
      alternative: theirsGzip,
      unit: "B",
      ratio: mine.gzip / theirsGzip,
      target: "<= 40960 B, >= 8x lighter",
      met: mine.gzip <= 40960 && theirsGzip / mine.gzip >= 8,
    },
    {
      metric: "first-load JS+CSS, brotli",
      porthole: mine.brotli,
      alternative: theirsBrotli,
      unit: "B",
      ratio: mine.brotli / theirsBrotli,
    },
    {
      metric: "first-load JS+CSS, raw",
      porthole: mine.raw,
      alternative: c.js.raw + c.css.raw,
      unit: "B",
      ratio: mine.raw / (c.js.raw + c.css.raw),
    },
    {
      metric: "precache total, gzip",
      porthole: precache.gzip,
      alternative: theirsGzip,
      unit: "B",
      ratio: precache.gzip / theirsGzip,
    },
    { metric: "times lighter (gzip first load)", porthole: theirsGzip / mine.gzip, unit: "x" },
  ];
  report("pwa-weight", "PWA weight", "converse.js 14.0.0 (npm dist/converse.min.js + converse.min.css)", rows, {
    firstLoadFiles: first.map((f) => f.replace(`${DIST}/`, "")),
    precacheFiles: precache.raw ? precacheFiles().length : 0,
  });
});
