/**
 * Setup file of the benchmarks: each file says when it starts and, when it is done, how long it took and
 * how long the whole run has taken so far (BENCH_STARTED_AT, set by run.mjs), so a long run shows where
 * it is; each file's time is appended to results/timings.tsv, which run.mjs sums up at the end.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { basename } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { RESULTS_DIR } from "./support";

let file = "?";
let started = 0;
const runStarted = Number(process.env.BENCH_STARTED_AT ?? 0);
const clock = () => new Date().toISOString().slice(11, 19);
const total = () => (runStarted ? `, run total ${Math.round((Date.now() - runStarted) / 1000)} s` : "");

beforeAll(() => {
  file = basename(expect.getState().testPath ?? "?");
  started = Date.now();
  process.stderr.write(`\n[bench ${clock()} UTC] starting ${file}${total()}\n`);
});

afterAll(() => {
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`[bench ${clock()} UTC] ${file} done in ${Math.round(seconds)} s${total()}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(`${RESULTS_DIR}/timings.tsv`, `${file}\t${seconds.toFixed(1)}\n`);
});
