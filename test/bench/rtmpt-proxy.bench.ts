/**
 * Benchmarks 1 and 7, RTMPT proxy mode: added latency per request (p50, p99) of Porthole's worker vs
 * nginx `proxy_pass` to the same RTMPT-shaped origin, at 1 and 50 concurrent sessions, requests/s at
 * saturation, and the worker's CPU time per request (what Cloudflare bills), all in one run. The worker
 * runs as its built bundle in workerd (Miniflare API, production-like); `wrangler dev` is reported
 * separately, since its dev proxy adds milliseconds of its own.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleWorker, cpuMs, startWorkerd, startWorkerdScript, type WorkerdServer } from "../support/workerd";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { type LoadResult, runRtmptLoad } from "./load";
import { type NginxHttp, startNginxProxy, startRtmptShapedOrigin } from "./nginx-http";
import { type BenchRow, median, percentile, report } from "./support";

let origin: NginxHttp;
let nginxProxy: NginxHttp;
let workerd: WorkerdServer;
/** The same bundle without Miniflare's emulated asset router in front (production: Cloudflare's, unbilled). */
let workerCore: WorkerdServer;
/** The smallest pass-through proxy in the same runtime: what any worker pays before Porthole's own code. */
let floor: WorkerdServer;
const FLOOR_SCRIPT = `export default { fetch(req, env) {
  const u = new URL(req.url);
  return fetch(env.ORIGIN + u.pathname + u.search, { method: req.method, headers: req.headers, body: req.body });
} }`;
let dev: WorkerServer;

beforeAll(async () => {
  origin = await startRtmptShapedOrigin();
  nginxProxy = await startNginxProxy(origin.port);
  const vars = { RTMPT_ORIGINS: origin.url, XMPP_WEBSOCKET_URL: "", RTMPT_TAG_SECRET: "bench-secret" };
  const bundle = bundleWorker();
  workerd = await startWorkerd(bundle, vars);
  workerCore = await startWorkerd(bundle, vars, { assets: false });
  floor = await startWorkerdScript(FLOOR_SCRIPT, { ORIGIN: origin.url });
  if (TARGETS.includes("wranglerDev")) dev = await startWorker(vars);
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  await workerd?.stop();
  await workerCore?.stop();
  await floor?.stop();
  await nginxProxy?.stop();
  await origin?.stop();
});

type Target = "direct" | "nginx" | "floor" | "worker" | "workerCore" | "wranglerDev";
/** BENCH_SKIP_DEV=1 leaves out wrangler dev (it restarts the worker when sources change under it). */
const TARGETS: Target[] = process.env.BENCH_SKIP_DEV
  ? ["direct", "nginx", "floor", "worker", "workerCore"]
  : ["direct", "nginx", "floor", "worker", "workerCore", "wranglerDev"];

/** Interleaves rounds over the targets so that machine noise hits all of them alike. */
async function interleaved(sessions: number, rounds: number, perSession: number, targets: Target[]) {
  const urls: Record<Target, string> = {
    direct: origin.url,
    nginx: nginxProxy.url,
    floor: floor.url,
    worker: workerd.url,
    workerCore: workerCore.url,
    wranglerDev: dev?.url ?? "",
  };
  const all = Object.fromEntries(targets.map((t) => [t, [] as number[]])) as Record<Target, number[]>;
  let errors = 0;
  const reasons: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      const res: LoadResult = await runRtmptLoad(urls[t], { sessions, requestsPerSession: perSession });
      all[t].push(...res.latenciesMs);
      errors += res.errors;
      reasons.push(...res.reasons.map((why) => `${t}: ${why}`));
    }
  }
  return { all, errors, reasons };
}

it("RTMPT proxy: worker vs nginx proxy_pass, side by side", async () => {
  // Warm up every path (JIT, keep-alive pools, isolate start).
  await interleaved(4, 1, 50, TARGETS);
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};

  for (const [sessions, perSession, rounds] of [
    [1, 150, 3],
    [50, 10, 3],
  ] as const) {
    const { all, errors, reasons } = await interleaved(sessions, rounds, perSession, TARGETS);
    expect(errors, `no request may fail: ${reasons.slice(0, 5).join("; ")}`).toBe(0);
    const p = (t: Target, q: number) => percentile(all[t], q);
    const added = (t: Target, q: number) => Math.max(0, p(t, q) - p("direct", q));
    for (const q of [50, 99]) {
      const w = added("worker", q);
      const n = added("nginx", q);
      rows.push({
        metric: `added latency p${q}, ${sessions} session(s)`,
        porthole: w,
        alternative: n,
        unit: "ms",
        ratio: n > 0 ? w / n : undefined,
        ...(q === 50 ? { target: "worker/nginx <= 1.5", met: n > 0 && w / n <= 1.5 } : {}),
      });
    }
    rows.push({
      metric: `worker, no emulated asset router: added p50, ${sessions} session(s)`,
      porthole: added("workerCore", 50),
      alternative: added("nginx", 50),
      unit: "ms",
      ratio: added("nginx", 50) > 0 ? added("workerCore", 50) / added("nginx", 50) : undefined,
    });
    rows.push({
      metric: `bare workerd pass-through added p${50}, ${sessions} session(s)`,
      porthole: added("floor", 50),
      unit: "ms",
    });
    if (TARGETS.includes("wranglerDev")) {
      rows.push({ metric: `wrangler dev added p50, ${sessions} session(s)`, porthole: added("wranglerDev", 50), unit: "ms" });
    }
    extra[`c${sessions}`] = Object.fromEntries(
      (Object.keys(all) as Target[]).map((t) => [t, { n: all[t].length, p50: p(t, 50), p99: p(t, 99) }]),
    );
  }

  // Saturation: 50 sessions sending as fast as they can for 5 s, worker and nginx in turn; CPU of workerd.
  const sat: Record<string, number> = {};
  for (const t of ["nginx", "worker", "workerCore", "floor"] as const) {
    const server = { nginx: undefined, worker: workerd, workerCore, floor }[t];
    const url = server?.url ?? nginxProxy.url;
    const cpu0 = server?.pid ? cpuMs(server.pid) : 0;
    const res = await runRtmptLoad(url, { sessions: 50, durationMs: 5000 });
    expect(res.errors, res.reasons.join("; ")).toBe(0);
    sat[t] = (res.latenciesMs.length / res.elapsedMs) * 1000;
    if (server?.pid) sat[`${t}CpuPerRequestMs`] = (cpuMs(server.pid) - cpu0) / res.requests;
    sat[`${t}P50`] = median(res.latenciesMs);
  }
  rows.push({
    metric: "requests/s at saturation (50 sessions)",
    porthole: sat.worker ?? 0,
    alternative: sat.nginx,
    unit: "req/s",
    ratio: (sat.worker ?? 0) / (sat.nginx ?? 1),
  });
  rows.push({
    metric: "requests/s at saturation, no emulated asset router",
    porthole: sat.workerCore ?? 0,
    alternative: sat.nginx,
    unit: "req/s",
    ratio: (sat.workerCore ?? 0) / (sat.nginx ?? 1),
  });
  const cpuRow = (t: string, metric: string) => {
    const v = sat[`${t}CpuPerRequestMs`];
    if (v !== undefined) rows.push({ metric, porthole: v, unit: "ms" });
  };
  cpuRow("worker", "workerd CPU per RTMPT request (whole process)");
  cpuRow("workerCore", "workerd CPU per request, no emulated asset router");
  cpuRow("floor", "workerd CPU per request, bare pass-through floor");
  report("rtmpt-proxy", "RTMPT proxy added latency, throughput and CPU", "nginx proxy_pass (keep-alive upstream)", rows, extra);
});
