// `npm run mutate`: a mutation run over the PWA's model and commands and the Worker's RTMPT code.
// Each mutant (mutants.mjs) is written into a throw-away copy of the tree (never into this one: a crash
// cannot leave a mutated source behind), then only the test files that import the mutated file
// (graph.mjs) run against it, stopping at the first failure, with a time limit of twice the unmutated
// run (at least 20 s: the machine may be shared). A mutant is killed (a test failed), timed out (counted as detected), survived
// (every test passed), or explained: a survivor listed in explained.txt as equivalent (no behaviour
// change), with the reason. Prints a score per folder and every survivor as file:line and mutation.
//
//   npm run mutate                                  all three folders (worker/rtmpt capped, see below)
//   npm run mutate -- web/src/model/xmpp/smacks.ts        one file (or folder)
//   npm run mutate -- --max 20 --tests "rtmpt-(clients|gateway)" worker/rtmpt   (--tests: a regex over test paths)
//   npm run mutate -- --list web/src/commands        show the mutants, run nothing
//
// Worker tests run in workerd and take about a minute for the full set, so worker/ files are tried
// against the rtmpt test files only and at most WORKER_CAP mutants each (spread evenly over the file)
// unless --max or --tests say otherwise.
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { importGraph } from "./graph.mjs";
import { mutantsOf } from "./mutants.mjs";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const DEFAULT_TARGETS = ["web/src/model", "web/src/commands", "worker/rtmpt"];
const WORKER_CAP = 8;
const WORKER_TESTS = "rtmpt";
const MIN_TIMEOUT_MS = 20_000;

// ---- options ------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const opt = { max: null, tests: null, list: false, json: null, targets: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--max") opt.max = Number(args[++i]);
  else if (a === "--tests") opt.tests = args[++i];
  else if (a === "--list") opt.list = true;
  else if (a === "--json") opt.json = args[++i];
  else if (a === "--files") opt.targets.push(...args[++i].split(","));
  else if (a.startsWith("--")) fail(`Unknown option ${a}`);
  else opt.targets.push(a);
}
if (opt.max !== null && !(opt.max > 0)) fail("--max needs a positive number");

function fail(message) {
  console.error(`mutate: ${message}`);
  process.exit(2);
}

function sourcesUnder(target) {
  const abs = join(repo, target);
  if (!existsSync(abs)) fail(`No such file or folder: ${target}`);
  if (statSync(abs).isFile()) return [target];
  return readdirSync(abs)
    .flatMap((name) => sourcesUnder(join(target, name)))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"));
}
const sources = [...new Set((opt.targets.length ? opt.targets : DEFAULT_TARGETS).flatMap(sourcesUnder))].sort();

const isWorker = (file) => file.startsWith("worker/");
const configOf = (file) => (isWorker(file) ? "test/worker/vitest.config.mts" : "test/web/vitest.config.mts");
const folderOf = (file) => dirname(file);

/** At most `n` mutants, spread evenly over the file. */
function sample(list, n) {
  if (n === null || list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

// ---- explained survivors ------------------------------------------------------------------------

const explainedFile = join(repo, "test/mutate/explained.txt");
/** "file :: original line :: mutation" → reason. */
const explained = new Map();
for (const raw of existsSync(explainedFile) ? readFileSync(explainedFile, "utf8").split("\n") : []) {
  if (!raw.trim() || raw.startsWith("#")) continue;
  const parts = raw.split(" :: ");
  if (parts.length !== 4) fail(`explained.txt: expected "file :: line :: mutation :: reason": ${raw}`);
  explained.set(parts.slice(0, 3).join(" :: "), parts[3]);
}
const keyOf = (file, m) => `${file} :: ${m.original} :: ${m.label}`;

// ---- the copy -----------------------------------------------------------------------------------

if (opt.list) {
  for (const file of sources)
    for (const m of mutantsOf(readFileSync(join(repo, file), "utf8")))
      console.log(`${file}:${m.line}  ${m.label}  | ${m.original}`);
  process.exit(0);
}

const copy = mkdtempSync(join(tmpdir(), "porthole-mutate-"));
try {
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repo,
    encoding: "utf8",
  })
    .stdout.split("\0")
    .filter((f) => f && !/^(node_modules|web\/dist)(\/|$)/.test(f) && existsSync(join(repo, f)));
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(repo, f), join(copy, f));
  }
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"));
  if (existsSync(join(repo, "web/dist"))) symlinkSync(join(repo, "web/dist"), join(copy, "web/dist"));
  else mkdirSync(join(copy, "web/dist"), { recursive: true });
} catch (err) {
  rmSync(copy, { recursive: true, force: true });
  fail(`could not make the copy: ${err.message}`);
}

let current = null; // { path, original } while a mutant is on disk
let child = null;
function restore() {
  if (current) writeFileSync(current.path, current.original);
  current = null;
}
function cleanUp() {
  restore();
  if (child) killGroup(child);
  rmSync(copy, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    cleanUp();
    printReport();
    console.error(`\nmutate: stopped (${signal}); the copy is removed, the tree was never touched.`);
    process.exit(130);
  });
}
function killGroup(p) {
  try {
    process.kill(-p.pid, "SIGKILL");
  } catch {}
}

// ---- running tests ------------------------------------------------------------------------------

const env = {
  ...process.env,
  PATH: `${join(copy, "node_modules/.bin")}:${process.env.PATH}`,
  WRANGLER_SEND_METRICS: "false",
  CI: "1",
};
const report = join(copy, ".mutate-report.json");

/** Runs vitest on `tests` in the copy: { outcome: "pass" | "fail" | "timeout" | "error", ms, failedFiles }. */
function vitest(config, tests, timeoutMs, isolate, bail = true) {
  rmSync(report, { force: true });
  const started = Date.now();
  const argv = [
    "run",
    "--config",
    config,
    ...(bail ? ["--bail=1"] : []),
    `--isolate=${isolate}`,
    "--reporter=json",
    `--outputFile=${report}`,
    ...tests.map((t) => join(copy, t)),
  ];
  return new Promise((done) => {
    child = spawn("vitest", argv, { cwd: copy, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      killGroup(child);
      timedOut = true;
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      child = null;
      const ms = Date.now() - started;
      if (timedOut) return done({ outcome: "timeout", ms, failedFiles: [] });
      let r = null;
      try {
        r = JSON.parse(readFileSync(report, "utf8"));
      } catch {}
      if (!r) return done({ outcome: "error", ms, failedFiles: [], stderr });
      const failedFiles = r.testResults.filter((t) => t.status === "failed").map((t) => relative(copy, t.name));
      const failed = r.numFailedTests > 0 || r.numFailedTestSuites > 0 || failedFiles.length > 0;
      done({ outcome: failed ? "fail" : code === 0 ? "pass" : "error", ms, failedFiles, stderr });
    });
  });
}

// ---- the run ------------------------------------------------------------------------------------

const graphs = {
  web: importGraph(copy, "test/web"),
  worker: importGraph(copy, "test/worker", "worker/index.ts"),
};
const results = [];
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

try {
  for (const file of sources) {
    const worker = isWorker(file);
    const filter = opt.tests ?? (worker ? WORKER_TESTS : null);
    let tests = (worker ? graphs.worker : graphs.web)(file).filter((t) => !filter || new RegExp(filter).test(t));
    const all = mutantsOf(readFileSync(join(copy, file), "utf8"));
    const mutants = sample(all, opt.max ?? (worker ? WORKER_CAP : null));
    if (!mutants.length) continue;
    const record = (m, status, detail = "") =>
      results.push({ file, folder: folderOf(file), line: m.line, label: m.label, original: m.original, status, detail });
    if (!tests.length) {
      console.log(`\n${file}: ${mutants.length} mutants, no test file imports it`);
      for (const m of mutants)
        record(m, explained.has(keyOf(file, m)) ? "explained" : "no tests", explained.get(keyOf(file, m)) ?? "");
      continue;
    }
    // One module graph for all the test files of a mutant (much faster); isolated when that breaks them.
    let isolate = false;
    let base = await vitest(configOf(file), tests, 10 * 60_000, isolate, false);
    if (base.outcome !== "pass") {
      isolate = true;
      base = await vitest(configOf(file), tests, 10 * 60_000, isolate, false);
    }
    if (base.outcome !== "pass") {
      const broken = base.failedFiles;
      tests = tests.filter((t) => !broken.includes(t));
      console.log(
        `\n${file}: the unmutated run fails (${base.outcome}) in ${broken.join(", ") || "?"}; those files are left out`,
      );
      if (!tests.length || base.outcome !== "fail") {
        for (const m of mutants) record(m, "no tests", "baseline failed");
        continue;
      }
    }
    const timeout = Math.max(2 * base.ms, MIN_TIMEOUT_MS);
    const sampled = mutants.length < all.length ? ` (sampled from ${all.length})` : "";
    console.log(
      `\n${file}: ${mutants.length} mutants${sampled}, ${tests.length} test files, baseline ${fmt(base.ms)}${isolate ? " (isolated)" : ""}`,
    );
    const path = join(copy, file);
    const original = readFileSync(path, "utf8");
    for (const m of mutants) {
      current = { path, original };
      let r;
      try {
        writeFileSync(path, m.text);
        r = await vitest(configOf(file), tests, timeout, isolate);
      } finally {
        restore();
      }
      const status =
        r.outcome === "fail" ? "killed" : r.outcome === "timeout" ? "timeout" : r.outcome === "error" ? "error" : "survived";
      const reason = explained.get(keyOf(file, m));
      const final = status === "survived" && reason ? "explained" : status;
      record(m, final, final === "explained" ? reason : final === "error" ? (r.stderr ?? "").trim().split("\n").at(-1) : "");
      const mark = { killed: ".", timeout: "T", survived: "S", explained: "e", error: "E" }[final];
      process.stdout.write(final === "survived" ? `\n  S ${file}:${m.line}  ${m.label}  | ${m.original}\n` : mark);
    }
    console.log("");
  }
} finally {
  cleanUp();
}
process.exitCode = printReport() ? 1 : 0;

// ---- the report ---------------------------------------------------------------------------------

function printReport() {
  const folders = [...new Set(results.map((r) => r.folder))].sort();
  const count = (rs, s) => rs.filter((r) => r.status === s).length;
  const rows = [
    ["folder", "mutants", "killed", "timeout", "error", "survived", "explained", "no tests", "score", "score w/o explained"],
  ];
  for (const folder of [...folders, "all"]) {
    const rs = folder === "all" ? results : results.filter((r) => r.folder === folder);
    const detected = count(rs, "killed") + count(rs, "timeout") + count(rs, "error");
    const expl = count(rs, "explained");
    const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : "-");
    rows.push([
      folder,
      rs.length,
      count(rs, "killed"),
      count(rs, "timeout"),
      count(rs, "error"),
      count(rs, "survived"),
      expl,
      count(rs, "no tests"),
      pct(detected, rs.length),
      pct(detected, rs.length - expl),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  console.log("\nMutation score (detected = killed + timeout + error; explained = equivalent, see explained.txt)");
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
  const open = results.filter((r) => r.status === "survived" || r.status === "no tests");
  if (open.length) {
    console.log(`\nSurvivors (${open.length}):`);
    for (const r of open)
      console.log(`  ${r.file}:${r.line}  ${r.label}  | ${r.original}${r.status === "no tests" ? "  (no test imports it)" : ""}`);
  }
  const errors = results.filter((r) => r.status === "error");
  if (errors.length) {
    console.log(`\nMutants that broke the test run itself (${errors.length}):`);
    for (const r of errors) console.log(`  ${r.file}:${r.line}  ${r.label}  ${r.detail}`);
  }
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify(results, null, 2)}\n`);
  return open.length;
}
