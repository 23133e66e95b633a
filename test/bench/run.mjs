// `npm run bench`: builds the PWA, runs every benchmark under test/bench/ (each measures Porthole and
// its alternative side by side in one run), then writes results/summary.json and prints the ratios.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const results = `${root}test/bench/results`;
mkdirSync(results, { recursive: true });
const filter = process.argv.slice(2);
// A full run starts from no results, so the summary never mixes in figures of an earlier run (or of a
// benchmark that no longer exists); a filtered run replaces only its own.
if (filter.length === 0) {
  for (const f of readdirSync(results)) if (f.endsWith(".json") || f === "summary.md") rmSync(`${results}/${f}`);
}

const started = Date.now();
const step = (what) => console.log(`\n[bench ${Math.round((Date.now() - started) / 1000)} s] ${what}`);
const sh = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit" }).status === 0;
step("provisioning the peers (test/support/provision.sh bench)");
if (!sh("bash", ["test/support/provision.sh", "bench"])) process.exit(1);
step("building the PWA");
if (!sh("npm", ["run", "build", "--silent"])) process.exit(1);
step("running test/bench/*.bench.ts");
const ok = sh("npx", ["vitest", "run", "--config", "test/bench/vitest.config.mts", ...filter]);
step(ok ? "benchmarks done" : "benchmarks done, some FAILED");

const docs = readdirSync(results)
  .filter((f) => f.endsWith(".json") && f !== "summary.json")
  .map((f) => JSON.parse(readFileSync(`${results}/${f}`, "utf8")));
writeFileSync(`${results}/summary.json`, `${JSON.stringify({ at: new Date().toISOString(), benches: docs }, null, 2)}\n`);
// The same figures as a Markdown table (the README's Performance section is updated from it).
const num = (n) =>
  n === undefined || n === null ? "" : Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
const md = [
  `Run ${new Date().toISOString()} (${Math.round((Date.now() - started) / 1000)} s) on ${docs[0]?.machine ?? "?"}`,
  "",
  "| Benchmark | Metric | Porthole | Alternative | Ratio | Target |",
  "|---|---|---|---|---|---|",
];
for (const d of docs) {
  for (const r of d.rows) {
    const verdict = r.met === undefined ? "" : r.met ? " ✅ met" : " ❌ missed";
    md.push(
      `| ${d.title} | ${r.metric} | ${num(r.porthole)} ${r.unit} | ${num(r.alternative)} | ${num(r.ratio)} | ${r.target ?? ""}${verdict} |`,
    );
  }
}
writeFileSync(`${results}/summary.md`, `${md.join("\n")}\n`);
console.log(`\nwrote ${results}/summary.json and summary.md (${docs.length} benchmarks)`);
process.exit(ok ? 0 : 1);
