// `npm run bench`: builds the PWA, runs every benchmark under test/bench/ (each measures Porthole and
// its alternative side by side in one run), then writes results/summary.json and prints the ratios.
// It says what it is doing as it goes (each benchmark file's start, its time and the run's total so
// far: announce.ts) and ends with each file's time and the whole run's, against its 15-minute budget.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const results = `${root}test/bench/results`;
mkdirSync(results, { recursive: true });
const filter = process.argv.slice(2);
// A full run starts from no results, so the summary never mixes in figures of an earlier run (or of a
// benchmark that no longer exists); a filtered run replaces only its own.
if (filter.length === 0) {
  for (const f of readdirSync(results)) if (f.endsWith(".json") || f === "summary.md") rmSync(`${results}/${f}`);
}
// Each benchmark file appends its time here (announce.ts); only this run's count.
rmSync(`${results}/timings.tsv`, { force: true });

/** The whole run must stay under 15 minutes on the 2-core machine it is measured on. */
const BUDGET_S = 900;
const started = Date.now();
process.env.BENCH_STARTED_AT = String(started);
const step = (what) => console.log(`\n[bench ${Math.round((Date.now() - started) / 1000)} s] ${what}`);
const sh = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit" }).status === 0;
step("provisioning the peers (test/support/provision.sh bench)");
if (!sh("bash", ["test/support/provision.sh", "bench"])) process.exit(1);
step("building the PWA");
if (!sh("npm", ["run", "build", "--silent"])) process.exit(1);
const files = readdirSync(`${root}test/bench`)
  .filter((f) => f.endsWith(".bench.ts") && (filter.length === 0 || filter.some((w) => f.includes(w))))
  .sort();
step(`running ${files.length} benchmark file(s), one after the other: ${files.join(", ")}`);
const ok = sh("npx", ["vitest", "run", "--config", "test/bench/vitest.config.mts", ...filter]);
step(ok ? "benchmarks done" : "benchmarks done, some FAILED");

const timings = existsSync(`${results}/timings.tsv`)
  ? readFileSync(`${results}/timings.tsv`, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [file, seconds] = line.split("\t");
        return { file, seconds: Number(seconds) };
      })
  : [];
const totalS = Math.round((Date.now() - started) / 1000);

const docs = readdirSync(results)
  .filter((f) => f.endsWith(".json") && f !== "summary.json")
  .map((f) => JSON.parse(readFileSync(`${results}/${f}`, "utf8")));
writeFileSync(
  `${results}/summary.json`,
  `${JSON.stringify({ at: new Date().toISOString(), totalSeconds: totalS, budgetSeconds: BUDGET_S, timings, benches: docs }, null, 2)}\n`,
);
// The same figures as a Markdown table (the README's Performance section is updated from it).
const num = (n) =>
  n === undefined || n === null ? "" : Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
const md = [
  `Run ${new Date().toISOString()} (${totalS} s) on ${docs[0]?.machine ?? "?"}`,
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
md.push("", "| Benchmark file | Seconds |", "|---|---|");
for (const t of timings) md.push(`| ${t.file} | ${Math.round(t.seconds)} |`);
md.push(`| whole run (provisioning, build, all files) | ${totalS} |`);
writeFileSync(`${results}/summary.md`, `${md.join("\n")}\n`);
console.log(`\nwrote ${results}/summary.json and summary.md (${docs.length} benchmarks)`);
console.log("\ntime per benchmark file:");
for (const t of [...timings].sort((a, b) => b.seconds - a.seconds))
  console.log(`${String(Math.round(t.seconds)).padStart(5)} s  ${t.file}`);
const within = totalS <= BUDGET_S;
console.log(`total ${totalS} s (${(totalS / 60).toFixed(1)} min), budget ${BUDGET_S} s: ${within ? "within" : "OVER BUDGET"}`);
process.exit(ok ? 0 : 1);
