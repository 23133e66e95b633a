/**
 * `npm run soak` (issue 9): load held for SOAK_SECONDS (default 300), loopback only, against the built
 * worker bundle in workerd (production-like runtime):
 * - SOAK_PROXY_SESSIONS (200) RTMPT sessions through proxy mode → two Red5-shaped origins
 *   (test/support/rtmpt-origin.ts echo sessions: every /send reply must be its own body);
 * - SOAK_GATEWAY_SESSIONS (50) RTMPT sessions through gateway mode (a Durable Object per session, RTMP
 *   over TCP) → a TCP echo server: the bytes polled back must equal the bytes sent, in order;
 * - SOAK_XMPP_USERS (100) XMPP WebSockets through the worker to Prosody 0.12, exchanging chat messages
 *   in a ring: zero lost, zero duplicated.
 * Reports requests tried, sessions held, errors other than intended, messages sent/received/lost/duplicated
 * and the RSS of each workerd at start, steady state and end; fails on any error, loss or duplicate (and on
 * RSS growth with SOAK_ASSERT_RSS=1).
 * Pacing: SOAK_INTERVAL_MS (1000) between one session's requests, SOAK_MESSAGE_MS (2000) between messages.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { type RtmptOrigin, startRtmptOrigin } from "../support/rtmpt-origin";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { runRtmptSessions } from "./rtmpt-clients";
import { connectRing, registerUsers, type XmppRing } from "./xmpp-clients";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env("SOAK_SECONDS", 300);
const PROXY_SESSIONS = env("SOAK_PROXY_SESSIONS", 200);
const GATEWAY_SESSIONS = env("SOAK_GATEWAY_SESSIONS", 50);
const XMPP_USERS = env("SOAK_XMPP_USERS", 100);
const INTERVAL_MS = env("SOAK_INTERVAL_MS", 1000);
const MESSAGE_MS = env("SOAK_MESSAGE_MS", 2000);

let nginx: NginxRtmp;
let origins: RtmptOrigin[] = [];
let echo: Server;
const echoSockets = new Set<Socket>();
let prosody: ProsodyServer;
let proxyWorker: WorkerdServer;
let gatewayWorker: WorkerdServer;
let ring: XmppRing | undefined;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

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
    { assets: false },
  );
  gatewayWorker = await startWorkerd(
    bundle,
    { ...common, RTMPT_ORIGINS: `rtmp://127.0.0.1:${echoPort}`, XMPP_WEBSOCKET_URL: "" },
    { assets: false },
  );
}, 600_000);

afterAll(async () => {
  await ring?.stop();
  await proxyWorker?.stop();
  await gatewayWorker?.stop();
  for (const o of origins) await o.stop();
  for (const s of echoSockets) s.destroy();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  await prosody?.stop();
  await nginx?.stop();
});

it(`soak: ${PROXY_SESSIONS} proxy + ${GATEWAY_SESSIONS} gateway RTMPT sessions and ${XMPP_USERS} XMPP users for ${SECONDS} s`, async () => {
  const service = `${proxyWorker.url.replace(/^http:/, "ws:")}/xmpp-websocket`;
  ring = await connectRing(service, prosody, XMPP_USERS);
  const rssStart = { proxy: rssMb(proxyWorker.pid), gateway: rssMb(gatewayWorker.pid) };
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const rampMs = Math.min(30_000, SECONDS * 200);
  // Steady state: every session open (after the ramp and a few polls).
  let rssSteady = rssStart;
  const steadyTimer = setTimeout(
    () => {
      rssSteady = { proxy: rssMb(proxyWorker.pid), gateway: rssMb(gatewayWorker.pid) };
    },
    Math.min(rampMs + 10_000, SECONDS * 500),
  );
  const [proxy, gateway, xmpp] = await Promise.all([
    runRtmptSessions(proxyWorker.url, "proxy", { sessions: PROXY_SESSIONS, deadline, intervalMs: INTERVAL_MS, rampMs }),
    runRtmptSessions(gatewayWorker.url, "gateway", { sessions: GATEWAY_SESSIONS, deadline, intervalMs: INTERVAL_MS, rampMs }),
    ring.run(deadline, MESSAGE_MS, 60_000),
  ]);
  clearTimeout(steadyTimer);
  const rssEnd = { proxy: rssMb(proxyWorker.pid), gateway: rssMb(gatewayWorker.pid) };
  const summary = {
    seconds: Math.round((Date.now() - started) / 1000),
    proxy,
    gateway,
    xmpp,
    rssMb: { start: rssStart, steady: rssSteady, end: rssEnd },
  };
  console.log(`SOAK SUMMARY ${JSON.stringify(summary, null, 2)}`);
  console.log(
    [
      `requests tried: ${proxy.requests + gateway.requests} RTMPT (${proxy.requests} proxy, ${gateway.requests} gateway)`,
      `sessions held: ${proxy.sessionsHeld}/${PROXY_SESSIONS} proxy (max ${proxy.maxConcurrent} at once), ${gateway.sessionsHeld}/${GATEWAY_SESSIONS} gateway (max ${gateway.maxConcurrent})`,
      `bytes checked: ${proxy.bytesBack + gateway.bytesBack} echoed of ${proxy.bytesSent + gateway.bytesSent} sent`,
      `messages: ${xmpp.sent} sent, ${xmpp.received} received, ${xmpp.lost} lost, ${xmpp.duplicated} duplicated (${xmpp.redelivered} XEP-0198 redeliveries), ${xmpp.disconnects} disconnects`,
      `errors: ${proxy.errors} proxy, ${gateway.errors} gateway, ${xmpp.errors} xmpp ${JSON.stringify([...proxy.reasons, ...gateway.reasons, ...xmpp.reasons].slice(0, 5))}`,
      `workerd RSS MB (start → all sessions open → end): proxy+xmpp ${rssStart.proxy} → ${rssSteady.proxy} → ${rssEnd.proxy}, gateway ${rssStart.gateway} → ${rssSteady.gateway} → ${rssEnd.gateway}`,
    ].join("\n"),
  );
  expect(proxy.errors + gateway.errors + xmpp.errors).toBe(0);
  expect(proxy.sessionsHeld).toBe(PROXY_SESSIONS);
  expect(gateway.sessionsHeld).toBe(GATEWAY_SESSIONS);
  expect(proxy.maxConcurrent).toBe(PROXY_SESSIONS);
  expect(gateway.maxConcurrent).toBe(GATEWAY_SESSIONS);
  expect(xmpp.lost).toBe(0);
  expect(xmpp.duplicated).toBe(0);
  expect(xmpp.sent).toBeGreaterThan(0);
  // Memory flat while the load is steady (from all sessions open to the end). Not enforced by default:
  // workerd under Miniflare grows its RSS with the request count even for a trivial echo worker with no
  // Porthole code (75 → 360 MB for 14,000 requests in 70 s on this machine), so growth here does not by
  // itself show a leak in Porthole. SOAK_ASSERT_RSS=1 enforces the check.
  const flat = rssEnd.proxy < rssSteady.proxy * 1.25 + 32 && rssEnd.gateway < rssSteady.gateway * 1.25 + 32;
  if (!flat) console.warn("workerd RSS grew during the steady state (see the comment above on the runtime's own growth)");
  if (process.env.SOAK_ASSERT_RSS === "1") expect(flat).toBe(true);
});
