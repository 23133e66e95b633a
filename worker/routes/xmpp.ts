/**
 * XMPP over WebSocket edge (RFC 7395): the WebSocket opening handshake (RFC 6455 §4) on
 * `XMPP_WEBSOCKET_PATH` (default `/xmpp-websocket`) is passed through to the one configured upstream,
 * `XMPP_WEBSOCKET_URL`, with `fetch(upstream, request)` semantics: the runtime opens the upstream
 * WebSocket and splices it to the client, frames flow untouched (XMPP pings, XEP-0198 acks...), and
 * `Sec-WebSocket-Protocol: xmpp` is negotiated by the upstream itself. `hono/proxy` is not used: it
 * strips `Upgrade`. The client never picks the upstream (no open proxy): its path and query are ignored.
 *
 * Answers: 101 (passthrough); the handshake refusals of xmpp/handshake.ts (405, 426, 400); 429 over the per-client limit on new
 * connections (http/rate-limit.ts), 404 when the edge is off, 502 when the
 * upstream is unreachable or refuses the upgrade, 504 when it does not answer in time. An outage is
 * logged once per isolate (`xmpp_upstream_down`), its end once (`xmpp_upstream_up`, with a count).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { probeXmpp } from "../health/xmpp-probe";
import { PLAIN_TEXT, setForwarded } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";
import { bounded, TIMED_OUT } from "../shared/bounded";
import { logEvent } from "../shared/log";
import { isThisEndpoint, refuseHandshake } from "../xmpp/handshake";

export const xmpp = new Hono<AppEnv>();

/** Longest wait for the upstream's handshake answer. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Client headers not passed upstream: `Host` is the upstream's own (the original is in X-Forwarded-Host),
 * forwarding claims are rewritten, cookies and credentials of this host stay here.
 */
const DROPPED = [
  "host",
  "cookie",
  "authorization",
  "proxy-authorization",
  "cf-connecting-ip",
  "cf-ipcountry",
  "cf-ray",
  "cf-visitor",
];

let outage: { since: number; failures: number } | null = null;

function upstreamFailed(reason: string, detail: string, upstream: URL): void {
  probeXmpp.forget();
  if (outage) {
    outage.failures++;
    return;
  }
  outage = { since: Date.now(), failures: 1 };
  logEvent("xmpp_upstream_down", { reason, detail, upstream: upstream.host }, "error");
}

function upstreamAnswered(upstream: URL): void {
  if (!outage) return;
  logEvent("xmpp_upstream_up", { upstream: upstream.host, failures: outage.failures, downMs: Date.now() - outage.since });
  outage = null;
}

/** The http(s) URL the runtime's fetch() needs to open a ws(s) upstream. */
function fetchableUrl(ws: URL): string {
  const u = new URL(ws.href);
  return `${u.protocol === "wss:" ? "https:" : "http:"}//${u.host}${u.pathname}${u.search}`;
}

// The path is a deployment variable (XMPP_WEBSOCKET_PATH, parsed per set of vars), so it is compared
// here rather than written into a route pattern when the module loads.
xmpp.all("*", async (c, next) => {
  const config = c.get("config");
  const url = new URL(c.req.url);
  if (c.req.path !== config.xmppWebSocketPath) return next();
  const upstream = config.xmppWebSocketUrl;
  if (!upstream) return c.text("XMPP is not enabled on this host\n", 404, PLAIN_TEXT);

  const refused = refuseHandshake(c.req.method, c.req.raw.headers);
  if (refused) return c.text(`${refused.message}\n`, refused.status, { ...PLAIN_TEXT, ...refused.headers });
  if (isThisEndpoint(upstream, url)) return c.text("Misconfigured: XMPP_WEBSOCKET_URL points at this worker\n", 508, PLAIN_TEXT);

  const limited = await limitNewSession(c.env.SESSION_LIMITER, "xmpp-connect", c.req.raw);
  if (limited) return limited;

  const headers = new Headers(c.req.raw.headers);
  for (const name of DROPPED) headers.delete(name);
  setForwarded(headers, c.req.raw);
  headers.set("connection", "Upgrade");
  headers.set("upgrade", "websocket");

  // Not given the abort signal: a late answer is closed below rather than left to the runtime.
  const attempt = fetch(fetchableUrl(upstream), { method: "GET", headers, redirect: "manual" });
  let res: Response | typeof TIMED_OUT;
  try {
    res = await bounded(HANDSHAKE_TIMEOUT_MS, () => attempt);
  } catch (err) {
    upstreamFailed("unreachable", String(err), upstream);
    return c.text("Bad gateway: the XMPP server is unreachable\n", 502, PLAIN_TEXT);
  }
  if (res === TIMED_OUT) {
    // A late answer must not leave an upstream WebSocket open with nobody on the other end.
    attempt
      .then((late) => {
        late.webSocket?.accept();
        late.webSocket?.close(1001, "handshake timed out");
      })
      .catch(() => {});
    upstreamFailed("timeout", `no handshake answer in ${HANDSHAKE_TIMEOUT_MS} ms`, upstream);
    return c.text("Gateway timeout: the XMPP server did not answer\n", 504, PLAIN_TEXT);
  }
  if (res.status !== 101 || !res.webSocket) {
    await res.body?.cancel();
    upstreamFailed("refused", `upstream answered ${res.status} to the WebSocket upgrade`, upstream);
    return c.text("Bad gateway: the XMPP server refused the WebSocket upgrade\n", 502, PLAIN_TEXT);
  }
  upstreamAnswered(upstream);
  return res;
});
