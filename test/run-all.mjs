// `npm test`: provisions the real peers, builds the PWA, then runs every check (dependencies, worker
// Env types, first-load weight, typecheck, lint, web unit, worker in workerd, end-to-end in two lanes side by side
// and then the quiet files alone, test/e2e/lanes.mjs) and ends with one line totalling them:
// `N passed, N failed`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { e2eLanes } from "./e2e/lanes.mjs";

const root = new URL("..", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "porthole-test-"));
const only = process.argv.slice(2);
const results = [];

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const ok = run(cmd, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

function vitest(name, config, { skipBecause } = {}) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n=== ${name}: vitest --config ${config}`);
  if (skipBecause) {
    console.log(`${name}: cannot run: ${skipBecause}`);
    results.push({ name, passed: 0, failed: 1 });
    return;
  }
  const json = join(out, `${name}.json`);
  run("npx", ["vitest", "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${json}`]);
  results.push({ name, ...counts(json) });
}

console.log("=== provision: test/support/provision.sh");
const provisioned = run("bash", ["test/support/provision.sh"]);
console.log("\n=== build: npm run build");
const built = run("npm", ["run", "build", "--silent"]);
if (!built) results.push({ name: "build", passed: 0, failed: 1 });

check("deps", "node", ["test/check-deps.mjs"]);
check("worker-types", "node", ["test/check-worker-types.mjs"]);
if (built) check("first-load", "node", ["test/check-first-load.mjs"]);
check("typecheck", "npx", ["tsc", "-b"]);
check("lint", "npx", ["biome", "check", "."]);
vitest("web", "test/web/vitest.config.mts");
vitest("worker", "test/worker/vitest.config.mts", { skipBecause: built ? undefined : "the PWA build failed" });
// Chromium's CSP violations across the whole end-to-end suite (test/support/browser.ts), checked after it.
const cspLog = join(out, "csp-violations.log");
process.env.PORTHOLE_CSP_LOG = cspLog;
const e2eBlocked = !provisioned
  ? "system packages missing (see provision messages above)"
  : !built
    ? "the PWA build failed"
    : undefined;
if (!only.length || only.includes("e2e")) await e2e(e2eBlocked);

/** What failed, by file and test name, listed in the summary so the end of a log says it. */
const failures = [];

/** The vitest JSON report's counts (a file that failed to load counts as a failure). */
function counts(json) {
  try {
    const r = JSON.parse(readFileSync(json, "utf8"));
    const brokenFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0);
    for (const f of r.testResults) {
      const file = f.name.slice(root.length);
      if (f.status === "failed" && f.assertionResults.length === 0) failures.push(`${file}: did not load (${f.message ?? ""})`);
      for (const a of f.assertionResults) {
        if (a.status !== "failed") continue;
        const why = (a.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 200);
        failures.push(`${file} > ${a.fullName}: ${why}`);
      }
    }
    return { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles.length };
  } catch {
    failures.push(`${json}: no report`);
    return { passed: 0, failed: 1 };
  }
}

/** One vitest run of some end-to-end files; its output lines prefixed with the lane's name. */
function e2eRun(label, files) {
  const json = join(out, `e2e-${label}.json`);
  const args = ["vitest", "run", "--config", "test/e2e/vitest.config.mts", "--reporter=default", "--reporter=json"];
  args.push(`--outputFile.json=${json}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, PORTHOLE_E2E_FILES: files.join(",") };
    const child = spawn("npx", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.on("data", (d) => {
        const lines = (rest + d).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) console.log(`[${label}] ${line}`);
      });
      stream.on("end", () => rest && console.log(`[${label}] ${rest}`));
    }
    child.on("close", () => {
      const c = counts(json);
      console.log(
        `[${label}] ${files.length} files, ${c.passed} passed, ${c.failed} failed, ${Math.round((Date.now() - started) / 1000)} s`,
      );
      resolve(c);
    });
  });
}

/** The end-to-end files: two lanes side by side, then the quiet files alone (test/e2e/lanes.mjs). */
async function e2e(skipBecause) {
  console.log("\n=== e2e: vitest --config test/e2e/vitest.config.mts, in lanes (test/e2e/lanes.mjs)");
  if (skipBecause) {
    console.log(`e2e: cannot run: ${skipBecause}`);
    results.push({ name: "e2e", passed: 0, failed: 1 });
    return;
  }
  const { lanes, quiet } = e2eLanes(join(root, "test/e2e"));
  for (const [i, files] of lanes.entries()) console.log(`lane ${i + 1}: ${files.join(" ")}`);
  console.log(`quiet, after the lanes: ${quiet.join(" ")}`);
  const parts = await Promise.all(lanes.map((files, i) => e2eRun(`lane ${i + 1}`, files)));
  parts.push(await e2eRun("quiet", quiet));
  results.push({
    name: "e2e",
    passed: parts.reduce((n, c) => n + c.passed, 0),
    failed: parts.reduce((n, c) => n + c.failed, 0),
  });
}

if (results.some((r) => r.name === "e2e" && r.passed > 0)) {
  console.log("\n=== csp: no Content-Security-Policy violation in any Chromium page of the e2e suite");
  const violations = existsSync(cspLog) ? readFileSync(cspLog, "utf8").trim() : "";
  if (violations) console.log(`unexpected CSP violations:\n${violations}`);
  results.push({ name: "csp", passed: violations ? 0 : 1, failed: violations ? 1 : 0 });
}

console.log("\n=== summary");
for (const f of failures) console.log(`FAILED ${f}`);
for (const r of results) console.log(`${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
