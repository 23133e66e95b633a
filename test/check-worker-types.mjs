// worker/worker-configuration.d.ts (the worker's Env, generated from wrangler.toml by `wrangler types`)
// is what `npm run cf-typegen` writes today: regenerated next to it with the same command and compared
// byte for byte, so a changed wrangler.toml, a changed flag or a hand edit all fail. (`wrangler types
// --check` compares only the hash in the file's header, which a hand edit keeps.)
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const TYPES = "worker/worker-configuration.d.ts";
// Same directory, so the generated `import("./index")` paths are the same.
const FRESH = "worker/.worker-configuration.fresh.d.ts";

const script = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["cf-typegen"] ?? "";
const args = script.split(/\s+/);
if (args[0] !== "wrangler" || args[1] !== "types" || !args.includes(TYPES)) {
  console.error(`check-worker-types: the cf-typegen script should be "wrangler types ${TYPES} ...", not "${script}"`);
  process.exit(1);
}
let fresh;
try {
  const r = spawnSync("npx", ["wrangler", ...args.slice(1).map((a) => (a === TYPES ? FRESH : a))], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
  });
  if (r.status !== 0) {
    console.error(`check-worker-types: wrangler types failed:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  fresh = readFileSync(join(ROOT, FRESH), "utf8").replaceAll(FRESH, TYPES);
} finally {
  rmSync(join(ROOT, FRESH), { force: true });
}
const committed = readFileSync(join(ROOT, TYPES), "utf8");
if (fresh !== committed) {
  const a = committed.split("\n");
  const b = fresh.split("\n");
  const line = a.findIndex((l, i) => l !== b[i]);
  console.error(`check-worker-types: ${TYPES} is stale (first difference at line ${line + 1}); run \`npm run cf-typegen\``);
  console.error(`  committed: ${a[line] ?? "(end of file)"}\n  generated: ${b[line] ?? "(end of file)"}`);
  process.exit(1);
}
console.log(`check-worker-types: ${TYPES} is up to date`);
