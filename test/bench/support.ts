/** Benchmark helpers: order statistics, side-by-side ratios, and the JSON results each bench writes. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { ROOT } from "../support/process";

export const RESULTS_DIR = `${ROOT}/test/bench/results`;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

export const median = (values: number[]) => percentile(values, 50);

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.POSITIVE_INFINITY : a / b;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export interface BenchRow {
  metric: string;
  porthole: number;
  alternative?: number;
  unit: string;
  /** porthole / alternative, computed in the same run. */
  ratio?: number;
  target?: string;
  met?: boolean;
}

/** Prints a table of rows and writes results/<name>.json. */
export function report(
  name: string,
  title: string,
  alternative: string,
  rows: BenchRow[],
  extra: Record<string, unknown> = {},
): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const doc = { name, title, alternative, machine: machine(), at: new Date().toISOString(), rows, ...extra };
  writeFileSync(`${RESULTS_DIR}/${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
  const fmt = (n: number | undefined) => (n === undefined ? "-" : Number.isInteger(n) ? String(n) : n.toFixed(3));
  console.log(`\n## ${title} (vs ${alternative})`);
  for (const r of rows) {
    const verdict = r.met === undefined ? "" : r.met ? " [target met]" : " [target MISSED]";
    console.log(
      `${r.metric.padEnd(42)} porthole ${fmt(r.porthole)} ${r.unit} | alt ${fmt(r.alternative)} | ratio ${fmt(r.ratio)}${r.target ? ` | target ${r.target}` : ""}${verdict}`,
    );
  }
}

const benchStart = Date.now();

/** One progress line (elapsed time since the bench file started), so a long run shows what it is doing. */
export function progress(message: string): void {
  const s = Math.round((Date.now() - benchStart) / 1000);
  process.stderr.write(`[bench +${s}s] ${message}\n`);
}

/**
 * CPU time (user + system, ms) used so far by every process of process group `pgid` (Apache forks its
 * workers), with that of its children already reaped (cutime + cstime).
 */
export function groupCpuMs(pgid: number): number {
  let sum = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      sum += (ticks * 1000) / 100; // USER_HZ is 100 on Linux
    } catch {}
  }
  return sum;
}

/**
 * CPU time (ms, nanosecond resolution) the threads of process `pid` have run so far: the sum of
 * /proc/<pid>/task/<tid>/schedstat's first field. Finer than /proc/<pid>/stat's 10 ms ticks, which a
 * run of a few thousand sub-millisecond requests needs.
 */
export function threadsCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {}
  }
  return ns / 1e6;
}
