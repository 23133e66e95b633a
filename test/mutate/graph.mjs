// Which test files exercise a source file, for the mutation run (run.mjs): a static import graph of
// the tree (relative `import`/`export ... from`/`import()`), followed transitively from each test file.
// A worker test that imports `cloudflare:test` reaches the Worker through wrangler's `main`
// (SELF, env's Durable Objects), so it depends on that entry as well.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;
const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.tsx"];

function resolveImport(from, spec) {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const ext of EXTENSIONS) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return null;
}

function walk(dir, keep) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

/**
 * `testsFor(source)` → the test files (relative to `root`) under `testDir` that reach `source`.
 * `entry`: the Worker's main module, reached by tests importing `cloudflare:test`.
 */
export function importGraph(root, testDir, entry) {
  const deps = new Map();
  const depsOf = (file) => {
    let d = deps.get(file);
    if (d) return d;
    d = new Set();
    deps.set(file, d);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec === "cloudflare:test" && entry) d.add(resolve(root, entry));
      const target = resolveImport(file, spec);
      if (target) d.add(target);
    }
    return d;
  };
  const reach = (file) => {
    const seen = new Set();
    const stack = [file];
    while (stack.length) {
      const f = stack.pop();
      if (seen.has(f)) continue;
      seen.add(f);
      for (const d of depsOf(f)) stack.push(d);
    }
    return seen;
  };
  const tests = walk(resolve(root, testDir), (p) => /\.test\.tsx?$/.test(p));
  const reached = new Map(tests.map((t) => [t, reach(t)]));
  return (source) => {
    const abs = resolve(root, source);
    return tests.filter((t) => reached.get(t)?.has(abs)).map((t) => relative(root, t));
  };
}
