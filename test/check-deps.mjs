// package.json says what ships: every package in `dependencies` is imported by the code that ships
// (the PWA in web/src, bundled by Vite, and the worker in worker/, bundled by wrangler), and every
// package that code imports is in `dependencies`, not only in `devDependencies` (tests, build and
// tooling: web/scripts, web/vite.config.ts, test/). Type-only imports (`import type`, `export type`)
// and .d.ts files ship nothing and are not counted; `node:` and `cloudflare:` modules are the runtime's.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const SHIPPED = ["web/src", "worker"];
const SOURCE = /\.(?:ts|tsx|mts|js|mjs|jsx)$/;

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const deps = new Set(Object.keys(pkg.dependencies ?? {}));
const devDeps = new Set(Object.keys(pkg.devDependencies ?? {}));

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "dist") yield* files(path);
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      yield path;
    }
  }
}

/** Package names the file imports at run time (static, side-effect, re-export and dynamic imports). */
export function importedPackages(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:\\])\/\/.*$/gm, "$1");
  const specifiers = [
    ...[...code.matchAll(/\b(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']/g)]
      .filter((m) => !m[1])
      .map((m) => m[2]),
    ...[...code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
  ];
  const names = new Set();
  for (const s of specifiers) {
    if (s.startsWith(".") || s.startsWith("/") || /^[a-z]+:/.test(s)) continue;
    names.add(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] ?? s));
  }
  return names;
}

const usedBy = new Map();
for (const dir of SHIPPED) {
  for (const file of files(join(ROOT, dir))) {
    for (const name of importedPackages(readFileSync(file, "utf8"))) {
      if (!usedBy.has(name)) usedBy.set(name, relative(ROOT, file));
    }
  }
}

const problems = [];
for (const name of deps) {
  if (!usedBy.has(name)) problems.push(`${name} is in dependencies but nothing in ${SHIPPED.join(" or ")} imports it`);
}
for (const [name, file] of usedBy) {
  if (deps.has(name)) continue;
  problems.push(
    devDeps.has(name)
      ? `${name} is imported by ${file} (shipped code) but is only a devDependency`
      : `${name} is imported by ${file} but is not in package.json`,
  );
}
for (const p of problems) console.error(`check-deps: ${p}`);
console.log(
  `check-deps: ${deps.size} dependencies, ${usedBy.size} packages imported by shipped code, ${problems.length} problems`,
);
process.exit(problems.length ? 1 : 0);
