/**
 * The classic recipe Porthole replaces, side by side in one run: Apache 2.4 with the article's
 * ProxyPass/ProxyPassReverse block (apache-http.ts), nginx proxy_pass of the same prefixes, and
 * Porthole's production bundle in proxy mode (workerd, without the emulated asset router), all in front
 * of the same RTMPT-shaped origin, each with its own default keep-alive settings towards clients
 * (Apache MaxKeepAliveRequests 100 / KeepAliveTimeout 5 s; nginx keepalive_requests 1000 /
 * keepalive_timeout 75 s; workerd: no request limit per connection). Measures:
 * - added latency over the origin (p50, p99) at 1 session and 50 paced sessions, rounds interleaved;
 * - requests/s at saturation (50 sessions back to back), and the server's CPU per request;
 * - long sessions as librtmp holds them (one connection, no reconnect: rtmpt-session-client.ts), all
 *   three targets at once: 200 sessions of 120 requests (past Apache's 100) and 20 of 1,050 (past
 *   nginx's 1,000). Keep-alive limits count requests per connection, and neither idle timeout elapses
 *   between a live session's requests, so the count, not the wall time, decides whether a session
 *   lasts: a real 5-minute publishing session (tens of requests per second) sends thousands.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { type ApacheHttp, startApacheProxy } from "./apache-http";
import { runRtmptLoad } from "./load";
import { type NginxHttp, startNginxProxy, startRtmptShapedOrigin } from "./nginx-http";
import { runLongSession, type SessionOutcome } from "./rtmpt-session-client";
import { type BenchRow, groupCpuMs, percentile, progress, report, threadsCpuMs } from "./support";

type Target = "direct" | "apache" | "nginx" | "porthole";
const PROXIES = ["porthole", "apache", "nginx"] as const;
type Proxy = (typeof PROXIES)[number];
/** [sessions, sends per session, pause between a session's sends (ms), rounds]. */
const LATENCY_LOADS = [
  [1, 200, 0, 3],
  [50, 10, 200, 3],
] as const;
/** [sessions, requests per session, pause between requests (ms)]: crossing each default limit. */
const LONG_RUNS = [
  [200, 120, 250],
  [20, 1050, 0],
] as const;
const SATURATION_MS = 5000;

let origin: NginxHttp;
let apache: ApacheHttp;
let nginx: NginxHttp;
let porthole: WorkerdServer;

beforeAll(async () => {
  progress("rtmpt-seed-recipe: starting the origin, Apache (seed recipe), nginx and Porthole");
  origin = await startRtmptShapedOrigin();
  apache = await startApacheProxy(origin.port);
  nginx = await startNginxProxy(origin.port, true);
  porthole = await startWorkerd(
    bundleWorker(),
    { RTMPT_ORIGINS: origin.url, XMPP_WEBSOCKET_URL: "", RTMPT_TAG_SECRET: "bench-secret" },
    { assets: false, quiet: true },
  );
}, 180_000);

afterAll(async () => {
  await porthole?.stop();
  await nginx?.stop();
  await apache?.stop();
  await origin?.stop();
});

const url = (t: Target) => ({ direct: origin.url, apache: apache.url, nginx: nginx.url, porthole: porthole.url })[t];
/** CPU (ms) the proxy's processes used so far. */
function cpu(t: Proxy): number {
  if (t === "porthole") return porthole.pid ? threadsCpuMs(porthole.pid) : Number.NaN;
  const pid = t === "apache" ? apache.proc.child.pid : nginx.pid;
  return pid ? groupCpuMs(pid) : Number.NaN;
}

/**
 * Failures are counted and reported, not hidden: the alternatives' (a keep-alive connection the server
 * closed just as the client reused it) and, checked once the report is written, Porthole's and the
 * origin's, which must be none.
 */
const failures: Record<string, { count: number; reasons: string[] }> = {};
function tally(t: Target, phase: string, res: { errors: number; reasons: string[] }): void {
  const key = `${t} ${phase}`;
  const f = failures[key] ?? { count: 0, reasons: [] };
  failures[key] = f;
  f.count += res.errors;
  f.reasons.push(...res.reasons.slice(0, 3 - f.reasons.length));
}

it("RTMPT behind Apache (the seed recipe), nginx and Porthole", async () => {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = { failures };
  const targets: Target[] = ["direct", ...PROXIES];
  for (const t of targets) tally(t, "warm-up", await runRtmptLoad(url(t), { sessions: 4, requestsPerSession: 50, close: true }));

  for (const [sessions, perSession, intervalMs, rounds] of LATENCY_LOADS) {
    progress(`rtmpt-seed-recipe: latency, ${sessions} session(s), ${rounds} interleaved rounds`);
    const all = Object.fromEntries(targets.map((t) => [t, [] as number[]])) as Record<Target, number[]>;
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) {
        const res = await runRtmptLoad(url(t), { sessions, requestsPerSession: perSession, intervalMs, close: true });
        tally(t, "latency", res);
        all[t].push(...res.latenciesMs);
      }
    }
    const added = (t: Target, q: number) => percentile(all[t], q) - percentile(all.direct, q);
    const label = sessions === 1 ? "1 session" : `${sessions} sessions every ${intervalMs} ms`;
    for (const q of [50, 99]) {
      for (const alt of ["apache", "nginx"] as const) {
        rows.push({
          metric: `added latency p${q}, ${label}, vs ${alt}`,
          porthole: added("porthole", q),
          alternative: added(alt, q),
          unit: "ms",
        });
      }
    }
    extra[`latency-c${sessions}`] = Object.fromEntries(
      targets.map((t) => [t, { n: all[t].length, p50: percentile(all[t], 50), p99: percentile(all[t], 99) }]),
    );
  }

  const sat: Record<string, { rps: number; cpuMsPerRequest: number }> = {};
  for (const t of PROXIES) {
    progress(`rtmpt-seed-recipe: saturation, ${t}, 50 sessions for ${SATURATION_MS / 1000} s`);
    const cpu0 = cpu(t);
    const res = await runRtmptLoad(url(t), { sessions: 50, durationMs: SATURATION_MS });
    tally(t, "saturation", res);
    sat[t] = { rps: (res.latenciesMs.length / res.elapsedMs) * 1000, cpuMsPerRequest: (cpu(t) - cpu0) / res.requests };
  }
  for (const alt of ["apache", "nginx"] as const) {
    const p = sat.porthole;
    const a = sat[alt];
    if (!p || !a) continue;
    rows.push({
      metric: `requests/s at saturation vs ${alt}`,
      porthole: p.rps,
      alternative: a.rps,
      unit: "req/s",
      ratio: p.rps / a.rps,
    });
    rows.push({
      metric: `server CPU per request vs ${alt}`,
      porthole: p.cpuMsPerRequest,
      alternative: a.cpuMsPerRequest,
      unit: "ms",
    });
  }
  extra.saturation = sat;

  for (const [sessions, requests, intervalMs] of LONG_RUNS) {
    progress(
      `rtmpt-seed-recipe: ${sessions} long sessions x ${requests} requests${intervalMs ? ` every ${intervalMs} ms` : ""}, Porthole, Apache and nginx at once`,
    );
    const started = performance.now();
    const outcomes = await Promise.all(
      PROXIES.map((t, k) =>
        Promise.all(
          Array.from({ length: sessions }, (_, i) =>
            runLongSession(url(t), { requests, intervalMs, bodyBytes: 64, client: `198.19.${k}.${i % 250}` }),
          ),
        ),
      ),
    );
    const byTarget = Object.fromEntries(PROXIES.map((t, k) => [t, outcomes[k] ?? []])) as Record<Proxy, SessionOutcome[]>;
    const held = (t: Proxy) => byTarget[t].filter((o) => o.held).length;
    const failed = (t: Proxy) => byTarget[t].reduce((n, o) => n + o.failed, 0);
    for (const alt of ["apache", "nginx"] as const) {
      rows.push({
        metric: `${sessions} sessions x ${requests} requests: sessions held vs ${alt}`,
        porthole: held("porthole"),
        alternative: held(alt),
        unit: `of ${sessions}`,
        ...(alt === "apache" ? { target: `all ${sessions} held`, met: held("porthole") === sessions } : {}),
      });
      rows.push({
        metric: `${sessions} sessions x ${requests} requests: requests failed vs ${alt}`,
        porthole: failed("porthole"),
        alternative: failed(alt),
        unit: "requests",
      });
    }
    extra[`long-${sessions}x${requests}`] = {
      seconds: (performance.now() - started) / 1000,
      ...Object.fromEntries(
        PROXIES.map((t) => [
          t,
          {
            held: held(t),
            failed: failed(t),
            okRequests: byTarget[t].reduce((n, o) => n + o.ok, 0),
            reasons: [...new Set(byTarget[t].map((o) => o.reason).filter(Boolean))].slice(0, 3),
          },
        ]),
      ),
    };
    progress(
      `rtmpt-seed-recipe: held porthole ${held("porthole")}, apache ${held("apache")}, nginx ${held("nginx")} of ${sessions}`,
    );
  }
  report(
    "rtmpt-seed-recipe",
    "RTMPT behind the seed's Apache recipe, nginx and Porthole",
    "Apache 2.4 ProxyPass / nginx proxy_pass",
    rows,
    {
      ...extra,
      keepAlive: {
        apache: "Debian defaults: KeepAlive On, MaxKeepAliveRequests 100, KeepAliveTimeout 5",
        nginx: "defaults: keepalive_requests 1000, keepalive_timeout 75s",
        porthole: "workerd: no limit of requests per connection",
      },
    },
  );
  for (const [key, f] of Object.entries(failures)) {
    if (key.startsWith("porthole") || key.startsWith("direct")) expect(f.count, `${key}: ${f.reasons.join("; ")}`).toBe(0);
  }
  const held = rows.filter((r) => r.target?.startsWith("all"));
  expect(held.length).toBe(LONG_RUNS.length);
  for (const r of held) expect(r.met, `${r.metric}: Porthole holds every long session`).toBe(true);
});
