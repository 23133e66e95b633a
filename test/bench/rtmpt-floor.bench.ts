/**
 * Porthole's own cost over the runtime floor: the production bundle (`wrangler deploy --dry-run`, in
 * workerd through Miniflare, without the emulated asset router that Cloudflare runs unbilled in front of
 * it) against the smallest worker doing the same job in the same workerd (floor-workers.ts), in proxy
 * mode (to an RTMPT-shaped HTTP origin) and gateway mode (to a TCP origin), at 1 session (back to back)
 * and 50 paced sessions. Reports workerd CPU per RTMPT request and the latency Porthole adds over the
 * floor (p50, p99); rounds interleave the targets so machine noise hits them alike.
 * Targets: CPU ≤ 1.10 × the floor's, p50 ≤ floor + 0.1 ms.
 * BENCH_PROFILE=1 also prints Porthole's hottest functions in each mode (a V8 CPU profile over the
 * inspector, cpu-profile.ts), to find where it is above the floor; BENCH_CALLGRIND=1 also counts
 * instructions per request of both in each mode (callgrind.ts: repeatable on a busy machine, ~5 min).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { instructionsPerRequest, startCounted } from "./callgrind";
import { profileWhile } from "./cpu-profile";
import { startGatewayFloor, startProxyFloor } from "./floor-workers";
import { runRtmptLoad } from "./load";
import { type NginxHttp, startRtmptShapedOrigin } from "./nginx-http";
import { type BenchRow, threadsCpuMs as cpuMs, percentile, progress, report } from "./support";
import { startTcpSink, type TcpSink } from "./tcp-sink";

type Mode = "proxy" | "gateway";
type Target = "floor" | "porthole";
const MODES: Mode[] = ["proxy", "gateway"];
const TARGETS: Target[] = ["floor", "porthole"];
const PROFILE = Boolean(process.env.BENCH_PROFILE);
const CALLGRIND = Boolean(process.env.BENCH_CALLGRIND);
/**
 * [sessions, sends per session, pause between a session's sends (ms), rounds]. Each session opens and
 * closes too (a gateway session's Durable Object stores and deletes its state then), so sessions are
 * long enough that their requests, not their set-up, dominate.
 */
const LOADS = [
  [1, 300, 0, 3],
  [50, 30, 150, 2],
] as const;

let origin: NginxHttp;
let sink: TcpSink;
const servers = {} as Record<Mode, Record<Target, WorkerdServer>>;

beforeAll(async () => {
  progress("rtmpt-floor: bundling the worker, starting origins and four workerd processes");
  origin = await startRtmptShapedOrigin();
  sink = await startTcpSink();
  const bundle = bundleWorker();
  const vars = { XMPP_WEBSOCKET_URL: "", RTMPT_TAG_SECRET: "bench-secret" };
  servers.proxy = {
    floor: await startProxyFloor(origin.url),
    porthole: await startWorkerd(
      bundle,
      { ...vars, RTMPT_ORIGINS: origin.url },
      { assets: false, quiet: true, inspector: PROFILE },
    ),
  };
  servers.gateway = {
    floor: await startGatewayFloor("127.0.0.1", sink.port),
    porthole: await startWorkerd(
      bundle,
      { ...vars, RTMPT_ORIGINS: sink.origin },
      { assets: false, quiet: true, inspector: PROFILE },
    ),
  };
}, 180_000);

afterAll(async () => {
  for (const mode of MODES) for (const t of TARGETS) await servers[mode]?.[t]?.stop();
  await sink?.stop();
  await origin?.stop();
});

interface Tally {
  latencies: number[];
  cpuMs: number;
  requests: number;
  errors: number;
  reasons: string[];
}

it("Porthole vs the bare worker floor, proxy and gateway mode", async () => {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  for (const mode of MODES) {
    // Warm-up: isolate start, JIT, keep-alive pools, Durable Object namespaces.
    for (const t of TARGETS) await runRtmptLoad(servers[mode][t].url, { sessions: 4, requestsPerSession: 50, close: true });
    for (const [sessions, perSession, intervalMs, rounds] of LOADS) {
      progress(`rtmpt-floor: ${mode} mode, ${sessions} session(s), ${rounds} interleaved rounds`);
      const fresh = (): Tally => ({ latencies: [], cpuMs: 0, requests: 0, errors: 0, reasons: [] });
      const tally: Record<Target, Tally> = { floor: fresh(), porthole: fresh() };
      for (let r = 0; r < rounds; r++) {
        for (const t of TARGETS) {
          const server = servers[mode][t];
          const cpu0 = server.pid ? cpuMs(server.pid) : 0;
          const res = await runRtmptLoad(server.url, { sessions, requestsPerSession: perSession, intervalMs, close: true });
          // Failures are reported, not thrown: one overloaded round must not lose the other figures.
          tally[t].errors += res.errors;
          tally[t].reasons.push(...res.reasons.slice(0, 3 - tally[t].reasons.length));
          tally[t].cpuMs += server.pid ? cpuMs(server.pid) - cpu0 : Number.NaN;
          tally[t].requests += res.requests;
          tally[t].latencies.push(...res.latenciesMs);
        }
      }
      const cpu = (t: Target) => tally[t].cpuMs / tally[t].requests;
      const p = (t: Target, q: number) => percentile(tally[t].latencies, q);
      const label = `${mode}, ${sessions === 1 ? "1 session" : `${sessions} sessions every ${intervalMs} ms`}`;
      rows.push({
        metric: `CPU per request, ${label}`,
        porthole: cpu("porthole"),
        alternative: cpu("floor"),
        unit: "ms",
        ratio: cpu("porthole") / cpu("floor"),
        target: "<= 1.10 x floor",
        met: cpu("porthole") / cpu("floor") <= 1.1,
      });
      for (const q of [50, 99]) {
        const added = p("porthole", q) - p("floor", q);
        rows.push({
          metric: `latency p${q}, ${label}`,
          porthole: p("porthole", q),
          alternative: p("floor", q),
          unit: "ms",
          ratio: p("porthole", q) / p("floor", q),
          ...(q === 50 ? { target: "<= floor + 0.1 ms", met: added <= 0.1 } : {}),
        });
      }
      rows.push({
        metric: `requests failed, ${label}`,
        porthole: tally.porthole.errors,
        alternative: tally.floor.errors,
        unit: "requests",
        target: "0",
        met: tally.porthole.errors === 0,
      });
      extra[`${mode}-c${sessions}`] = Object.fromEntries(
        TARGETS.map((t) => [
          t,
          {
            n: tally[t].latencies.length,
            cpuMsPerRequest: cpu(t),
            p50: p(t, 50),
            p99: p(t, 99),
            errors: tally[t].errors,
            reasons: tally[t].reasons,
          },
        ]),
      );
      progress(
        `rtmpt-floor: ${label}: CPU/request porthole ${cpu("porthole").toFixed(3)} ms vs floor ${cpu("floor").toFixed(3)} ms; p50 ${p("porthole", 50).toFixed(3)} vs ${p("floor", 50).toFixed(3)} ms`,
      );
    }
  }
  if (PROFILE) {
    for (const mode of MODES) {
      const server = servers[mode].porthole;
      if (!server.inspector) continue;
      const load = () => runRtmptLoad(server.url, { sessions: 2, requestsPerSession: 500, close: true });
      const { hot } = await profileWhile(server.inspector, "porthole", load, 20);
      console.log(`\nPorthole ${mode} mode, hottest functions (self, with callees):`);
      for (const h of hot)
        console.log(`${(h.selfShare * 100).toFixed(1).padStart(5)}% ${(h.totalShare * 100).toFixed(1).padStart(5)}%  ${h.fn}`);
    }
  }
  if (CALLGRIND) {
    progress("rtmpt-floor: instructions per request under callgrind (starting four workerd under valgrind)");
    const bundle = bundleWorker();
    const vars = { XMPP_WEBSOCKET_URL: "", RTMPT_TAG_SECRET: "bench-secret" };
    const [pf, pp, gf, gp] = await startCounted([
      () => startProxyFloor(origin.url),
      () => startWorkerd(bundle, { ...vars, RTMPT_ORIGINS: origin.url }, { assets: false, quiet: true }),
      () => startGatewayFloor("127.0.0.1", sink.port),
      () => startWorkerd(bundle, { ...vars, RTMPT_ORIGINS: sink.origin }, { assets: false, quiet: true }),
    ]);
    const counted = { proxy: { floor: pf, porthole: pp }, gateway: { floor: gf, porthole: gp } };
    const ir: Record<string, number> = {};
    for (const mode of MODES) {
      for (const t of TARGETS) {
        const c = counted[mode][t];
        if (!c) continue;
        await runRtmptLoad(c.server.url, { sessions: 1, requestsPerSession: 100, close: true });
        ir[`${mode}-${t}`] = await instructionsPerRequest(c, async () => {
          const res = await runRtmptLoad(c.server.url, { sessions: 1, requestsPerSession: 200, close: true });
          return res.requests + 2;
        });
        progress(`rtmpt-floor: ${mode} ${t}: ${Math.round(ir[`${mode}-${t}`] ?? 0)} instructions per request`);
      }
      const p = ir[`${mode}-porthole`] ?? Number.NaN;
      const f = ir[`${mode}-floor`] ?? Number.NaN;
      rows.push({
        metric: `instructions per request (callgrind), ${mode}, 1 session`,
        porthole: p,
        alternative: f,
        unit: "instr",
        ratio: p / f,
        target: "<= 1.10 x floor",
        met: p / f <= 1.1,
      });
    }
    for (const c of [pf, pp, gf, gp]) await c?.server.stop();
    extra.instructionsPerRequest = ir;
  }
  report("rtmpt-floor", "Porthole over the bare-worker floor (same workerd)", "bare pass-through worker", rows, {
    ...extra,
    loads: LOADS,
    note: "CPU = workerd threads' run time over each run / its RTMPT requests (open, sends, close); latency = sends only",
  });
  for (const r of rows)
    if (r.metric.startsWith("requests failed")) expect(r.porthole, `${r.metric}: see rtmpt-floor.json`).toBe(0);
});
