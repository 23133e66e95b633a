/**
 * `npm run soak`: load held for SOAK_SECONDS (default 300), loopback only, against the built
 * worker bundle in workerd (production-like runtime):
 * - SOAK_PROXY_SESSIONS (200) RTMPT sessions through proxy mode → two Red5-shaped origins
 *   (test/support/rtmpt-origin.ts echo sessions: every /send reply must be its own body);
 * - SOAK_GATEWAY_SESSIONS (50) RTMPT sessions through gateway mode (a Durable Object per session, RTMP
 *   over TCP) → a TCP echo server: the bytes polled back must equal the bytes sent, in order;
 * - SOAK_XMPP_USERS (100) XMPP WebSockets through the worker to Prosody 0.12, exchanging chat messages
 *   in a ring: zero lost, zero duplicated.
 * Each RTMPT session keeps its own keep-alive connection (as FFmpeg and librtmp do; SOAK_RTMPT_POOL=shared
 * draws all from one Node Agent pool) and resends a seq'd request once when a reused connection closed
 * before any response byte (the keep-alive race; SOAK_RTMPT_RETRY=0 turns that off). A first test shows
 * that race on its own: workerd closes a connection after 15 s idle, a busy client reuses it, "socket
 * hang up"; the resend is served once.
 * Reports requests tried, sessions held, bytes checked, errors (each with the request, seq, connection
 * reuse count and idle time), resends, messages sent/received/lost/duplicated, and each workerd's memory
 * at start, steady state (every session open), end of the load and after the RTMPT sessions closed: the
 * Porthole isolate's live memory after a forced GC (heap.ts: JS heap + the runtime's objects + ArrayBuffer
 * bytes), Miniflare's router isolate, and the process RSS. Fails on any error, loss or duplicate, and when
 * the isolate's live memory after GC grows from steady state to the end by more than SOAK_HEAP_GROWTH
 * (0.25) × steady + SOAK_HEAP_SLACK_MB (8): a leak in Porthole's code. RSS (read after the forced GC) grows
 * under load as much for a bare pass-through worker whose heap is flat (SOAK_FLOOR_SESSIONS runs one in the
 * same soak): workerd's allocator keeps its high-water mark (a trivial echo worker: 75 MB, then 239, 245,
 * 245 MB after GC following 14k, 28k, 42k requests), so it is only enforced with SOAK_ASSERT_RSS=1.
 * Pacing: SOAK_INTERVAL_MS (1000) between one session's requests, SOAK_MESSAGE_MS (2000) between messages.
 */
import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { type RtmptOrigin, startRtmptOrigin } from "../support/rtmpt-origin";
import { bundleWorker, startWorkerd, startWorkerdScript, type WorkerdServer } from "../support/workerd";
import { type HeapUsage, heapAfterGc } from "./heap";
import { post, retryable, runRtmptSessions, TransportError } from "./rtmpt-clients";
import { connectRing, registerUsers, type XmppRing } from "./xmpp-clients";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env("SOAK_SECONDS", 300);
const PROXY_SESSIONS = env("SOAK_PROXY_SESSIONS", 200);
const GATEWAY_SESSIONS = env("SOAK_GATEWAY_SESSIONS", 50);
const XMPP_USERS = env("SOAK_XMPP_USERS", 100);
const INTERVAL_MS = env("SOAK_INTERVAL_MS", 1000);
const MESSAGE_MS = env("SOAK_MESSAGE_MS", 2000);
/** Proxy sessions, as many as you like, against a bare pass-through worker (the runtime's own memory). */
const FLOOR_SESSIONS = env("SOAK_FLOOR_SESSIONS", 0);
const POOL = process.env.SOAK_RTMPT_POOL === "shared" ? "shared" : "session";
const RETRY = process.env.SOAK_RTMPT_RETRY !== "0";
/** Heap after GC may grow this much from steady state to the end (fraction, then MB). */
const HEAP_GROWTH = env("SOAK_HEAP_GROWTH", 0.25);
const HEAP_SLACK_MB = env("SOAK_HEAP_SLACK_MB", 8);
/** The smallest pass-through in the same runtime (as the bench's floor), for SOAK_FLOOR_SESSIONS. */
const FLOOR_SCRIPT = `export default { fetch(req, env) {
  const u = new URL(req.url);
  return fetch(env.ORIGIN + u.pathname + u.search, { method: req.method, headers: req.headers, body: req.body });
} }`;

let nginx: NginxRtmp;
let origins: RtmptOrigin[] = [];
let echo: Server;
const echoSockets = new Set<Socket>();
let prosody: ProsodyServer;
let proxyWorker: WorkerdServer;
let gatewayWorker: WorkerdServer;
let floorWorker: WorkerdServer | undefined;
let ring: XmppRing | undefined;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

/**
 * One workerd's memory: the live memory after GC of the worker's isolate and of Miniflare's router, then
 * the process RSS (after that GC: without it RSS also holds native memory that unreachable JS objects
 * keep until V8's next major GC, +125 MB for 14k requests to a trivial echo worker).
 */
interface Memory {
  rssMb: number;
  heap: HeapUsage;
  routerHeap: HeapUsage;
}

async function memory(w: WorkerdServer, target: string): Promise<Memory> {
  if (!w.inspector) throw new Error("workerd started without its inspector");
  const inspector = w.inspector;
  // Any request gives the isolates work (workerd runs the GC the inspector asks for then): Flash's first
  // probe, a 404 from the gateway or from the origin behind the proxy.
  const poke = () => fetch(`${w.url}/fcs/ident2`, { method: "POST", body: new Uint8Array([0]) }).then((r) => r.arrayBuffer());
  const heap = await heapAfterGc(inspector, target, poke);
  const routerHeap = await heapAfterGc(inspector, "core:entry", poke);
  return { rssMb: rssMb(w.pid), heap, routerHeap };
}

type Sample = Record<"proxy" | "gateway" | "floor", Memory | null>;

async function sample(): Promise<Sample> {
  const [proxy, gateway, floor] = await Promise.all([
    memory(proxyWorker, "core:user:porthole"),
    memory(gatewayWorker, "core:user:porthole"),
    floorWorker ? memory(floorWorker, "core:user:") : null,
  ]);
  return { proxy, gateway, floor };
}

const line = (s: Sample, k: keyof Sample, f: (m: Memory) => number) => {
  const m = s[k];
  return m ? f(m) : "-";
};

beforeAll(async () => {
  const bundle = bundleWorker();
  nginx = await startNginxRtmp();
  // Idle keep-alive connections kept 65 s (as Red5/Tomcat-style origins do): with Node's default 5 s, a
  // pooled connection the origin closes just as the worker reuses it fails that request with 502 (~1.5 %
  // of proxied requests in a 5-minute run), which measures the origin's setting, not the worker.
  const keepAlive = { keepAliveTimeoutMs: env("SOAK_ORIGIN_KEEPALIVE_MS", 65_000) };
  origins = [await startRtmptOrigin(nginx.port, keepAlive), await startRtmptOrigin(nginx.port, keepAlive)];
  const echoPort = await freePort();
  echo = createServer((s) => {
    echoSockets.add(s);
    s.on("error", () => {});
    s.on("close", () => echoSockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(echoPort, "127.0.0.1", resolve));
  prosody = await startProsody();
  await registerUsers(prosody, XMPP_USERS);
  const common = { RTMPT_ORIGIN_TIMEOUT_MS: "10000" };
  proxyWorker = await startWorkerd(
    bundle,
    { ...common, RTMPT_ORIGINS: origins.map((o) => o.url).join(","), XMPP_WEBSOCKET_URL: prosody.wsUrl },
    { assets: false, inspector: true },
  );
  gatewayWorker = await startWorkerd(
    bundle,
    { ...common, RTMPT_ORIGINS: `rtmp://127.0.0.1:${echoPort}`, XMPP_WEBSOCKET_URL: "" },
    { assets: false, inspector: true },
  );
  const firstOrigin = origins[0];
  if (FLOOR_SESSIONS > 0 && firstOrigin) {
    floorWorker = await startWorkerdScript(FLOOR_SCRIPT, { ORIGIN: firstOrigin.url }, { inspector: true });
  }
}, 600_000);

afterAll(async () => {
  await ring?.stop();
  await proxyWorker?.stop();
  await gatewayWorker?.stop();
  await floorWorker?.stop();
  for (const o of origins) await o.stop();
  for (const s of echoSockets) s.destroy();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  await prosody?.stop();
  await nginx?.stop();
});

it("keep-alive race: a request on a connection workerd is closing for idleness fails as 'socket hang up'; resent on a new connection it is served once", async () => {
  // workerd closes a keep-alive connection after 15 s without a request. A client whose event loop is
  // busy when that FIN arrives still sees the connection as free, writes its next request on it and gets
  // ECONNRESET before any response byte: what the soak's clients met at high load with one shared pool.
  const base = new URL(gatewayWorker.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const open = await post(agent, base, "/open/1", Buffer.from([0]));
    expect(open.status).toBe(200);
    const id = open.body.toString().trim();
    const a = Buffer.from("first body");
    const b = Buffer.from("second body");
    const first = await post(agent, base, `/send/${id}/0`, a);
    expect(first.status).toBe(200);
    const lastEnd = Date.now();
    await sleep(14_950);
    while (Date.now() < lastEnd + 15_150); // busy through the 15 s mark: the FIN waits unread
    const path = `/send/${id}/1`;
    const err = await post(agent, base, path, b).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, "the reuse after 15 s idle should have met workerd's close").toBeInstanceOf(TransportError);
    const t = err as TransportError;
    expect(t.message).toBe("socket hang up");
    expect(t.code).toBe("ECONNRESET");
    expect(t.headSeen).toBe(false);
    expect(t.use?.reused).toBe(2);
    expect(t.use?.idleMs).toBeGreaterThanOrEqual(15_000);
    expect(retryable(path, err)).toBe(true);
    // Resent (same seq) on a new connection: served once, the echo server gives back a then b, in order.
    const resent = await post(agent, base, path, b);
    expect(resent.status).toBe(200);
    let back = Buffer.concat([first.body.subarray(1), resent.body.subarray(1)]);
    for (let seq = 2; back.length < a.length + b.length && seq < 50; seq++) {
      const r = await post(agent, base, `/idle/${id}/${seq}`, Buffer.from([0]));
      expect(r.status).toBe(200);
      back = Buffer.concat([back, r.body.subarray(1)]);
    }
    expect(back.toString()).toBe("first bodysecond body");
    expect((await post(agent, base, `/close/${id}/60`, Buffer.from([0]))).status).toBe(200);
  } finally {
    agent.destroy();
  }
}, 60_000);

it(`soak: ${PROXY_SESSIONS} proxy + ${GATEWAY_SESSIONS} gateway RTMPT sessions and ${XMPP_USERS} XMPP users for ${SECONDS} s`, async () => {
  const service = `${proxyWorker.url.replace(/^http:/, "ws:")}/xmpp-websocket`;
  ring = await connectRing(service, prosody, XMPP_USERS);
  const start = await sample();
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const rampMs = Math.min(30_000, SECONDS * 200);
  // Steady state: every session open (after the ramp and a few polls); end: the last seconds of the load.
  const steadyAt = Math.min(rampMs + 10_000, SECONDS * 500);
  const endAt = Math.max(steadyAt + 1000, SECONDS * 1000 - 10_000);
  const steadySample = new Promise<Sample>((resolve, reject) => setTimeout(() => sample().then(resolve, reject), steadyAt));
  const endSample = new Promise<Sample>((resolve, reject) => setTimeout(() => sample().then(resolve, reject), endAt));
  // Awaited after the load; a failed sample must not surface earlier as an unhandled rejection.
  for (const p of [steadySample, endSample]) p.catch(() => {});
  const rtmpt = { deadline, intervalMs: INTERVAL_MS, rampMs, pool: POOL, retry: RETRY } as const;
  const [proxy, gateway, floor, xmpp] = await Promise.all([
    runRtmptSessions(proxyWorker.url, "proxy", { ...rtmpt, sessions: PROXY_SESSIONS }),
    runRtmptSessions(gatewayWorker.url, "gateway", { ...rtmpt, sessions: GATEWAY_SESSIONS }),
    floorWorker ? runRtmptSessions(floorWorker.url, "proxy", { ...rtmpt, sessions: FLOOR_SESSIONS }) : null,
    ring.run(deadline, MESSAGE_MS, 60_000),
  ]);
  const steady = await steadySample;
  const end = await endSample;
  // After every RTMPT session closed (XMPP users still connected): what the sessions left behind.
  const after = await sample();
  const samples = { start, steady, end, after };
  const summary = {
    seconds: Math.round((Date.now() - started) / 1000),
    pool: POOL,
    retry: RETRY,
    proxy,
    gateway,
    floor,
    xmpp,
    memory: samples,
  };
  console.log(`SOAK SUMMARY ${JSON.stringify(summary, null, 2)}`);
  const series = (k: keyof Sample, f: (m: Memory) => number) => [start, steady, end, after].map((s) => line(s, k, f)).join(" → ");
  const workers: Array<[keyof Sample, string]> = [
    ["proxy", "proxy+xmpp"],
    ["gateway", "gateway"],
    ...(floorWorker
      ? ([["floor", `floor (bare pass-through, ${FLOOR_SESSIONS} sessions)`]] as Array<[keyof Sample, string]>)
      : []),
  ];
  console.log(
    [
      `requests tried: ${proxy.requests + gateway.requests} RTMPT (${proxy.requests} proxy, ${gateway.requests} gateway)${floor ? `, ${floor.requests} floor` : ""}`,
      `sessions held: ${proxy.sessionsHeld}/${PROXY_SESSIONS} proxy (max ${proxy.maxConcurrent} at once), ${gateway.sessionsHeld}/${GATEWAY_SESSIONS} gateway (max ${gateway.maxConcurrent})`,
      `bytes checked: ${proxy.bytesBack + gateway.bytesBack} echoed of ${proxy.bytesSent + gateway.bytesSent} sent`,
      `messages: ${xmpp.sent} sent, ${xmpp.received} received, ${xmpp.lost} lost, ${xmpp.duplicated} duplicated (${xmpp.redelivered} XEP-0198 redeliveries), ${xmpp.disconnects} disconnects`,
      `errors: ${proxy.errors} proxy, ${gateway.errors} gateway, ${xmpp.errors} xmpp ${JSON.stringify([...proxy.reasons, ...gateway.reasons, ...xmpp.reasons].slice(0, 5))}`,
      `connections (${POOL} pool): ${proxy.reuses + gateway.reuses} reuses, longest idle ${Math.max(proxy.maxReuseIdleMs, gateway.maxReuseIdleMs)} ms, ${proxy.reusesIdleOver10s + gateway.reusesIdleOver10s} idle > 10 s; resent after a keep-alive race: ${proxy.retries} proxy, ${gateway.retries} gateway ${JSON.stringify([...proxy.retryReasons, ...gateway.retryReasons].slice(0, 5))}`,
      "memory (start → steady → end of load → after the RTMPT sessions closed):",
      ...workers.flatMap(([k, name]) => [
        `  ${name}: isolate live after GC MB ${series(k, (m) => m.heap.liveMb)} (JS heap ${series(k, (m) => m.heap.usedMb)}, ArrayBuffers ${series(k, (m) => m.heap.backingMb)}); Miniflare router ${series(k, (m) => m.routerHeap.liveMb)}; RSS MB ${series(k, (m) => m.rssMb)}`,
      ]),
    ].join("\n"),
  );
  expect(proxy.errors + gateway.errors + xmpp.errors + (floor?.errors ?? 0)).toBe(0);
  expect(proxy.sessionsHeld).toBe(PROXY_SESSIONS);
  expect(gateway.sessionsHeld).toBe(GATEWAY_SESSIONS);
  expect(proxy.maxConcurrent).toBe(PROXY_SESSIONS);
  expect(gateway.maxConcurrent).toBe(GATEWAY_SESSIONS);
  expect(xmpp.lost).toBe(0);
  expect(xmpp.duplicated).toBe(0);
  if (XMPP_USERS > 0) expect(xmpp.sent).toBeGreaterThan(0);
  // No leak in Porthole's code: the live V8 heap after a forced GC stays within bounds from steady state
  // (every session open) to the end of the load, in both workers.
  for (const k of ["proxy", "gateway"] as const) {
    const from = steady[k]?.heap.liveMb ?? 0;
    const to = end[k]?.heap.liveMb ?? 0;
    expect(to, `${k} worker's isolate after GC grew ${from} → ${to} MB`).toBeLessThanOrEqual(
      from * (1 + HEAP_GROWTH) + HEAP_SLACK_MB,
    );
  }
  // RSS is reported, enforced only with SOAK_ASSERT_RSS=1: workerd's RSS grows with the load even for a
  // bare pass-through worker with a flat heap (SOAK_FLOOR_SESSIONS shows it in the same run), up to the
  // allocator's high-water mark (see the header).
  const rss = (s: Sample, k: "proxy" | "gateway") => s[k]?.rssMb ?? 0;
  const flat = (["proxy", "gateway"] as const).every((k) => rss(end, k) < rss(steady, k) * 1.25 + 32);
  if (!flat) console.warn("workerd RSS grew during the steady state (heap after GC is the leak check)");
  if (process.env.SOAK_ASSERT_RSS === "1") expect(flat).toBe(true);
});
