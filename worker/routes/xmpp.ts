/**
 * XMPP over WebSocket edge (RFC 7395): the WebSocket opening handshake (RFC 6455 §4) on
 * `XMPP_WEBSOCKET_PATH` (default `/xmpp-websocket`) is passed through to the one configured upstream,
 * `XMPP_WEBSOCKET_URL`, with `fetch(upstream, request)` semantics: the runtime opens the upstream
 * WebSocket and splices it to the client, frames flow untouched (XMPP pings, XEP-0198 acks...), and
 * `Sec-WebSocket-Protocol: xmpp` is negotiated by the upstream itself. `hono/proxy` is not used: it
 * strips `Upgrade`. The client never picks the upstream (no open proxy): its path and query are ignored.
 *
 * Answers: 101 (passthrough), 426 without a WebSocket upgrade (RFC 9110 §15.5.22), 405 for non-GET,
 * 400 for a handshake without the `xmpp` subprotocol or a key, 429 over the per-client limit on new
 * connections (http/rate-limit.ts), 404 when the edge is off, 502 when the
 * upstream is unreachable or refuses the upgrade, 504 when it does not answer in time. An outage is
 * logged once per isolate (`xmpp_upstream_down`), its end once (`xmpp_upstream_up`, with a count).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { probeXmpp } from "../health/xmpp-probe";
import { PLAIN_TEXT, setForwarded } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";

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
  console.error({ event: "xmpp_upstream_down", reason, detail, upstream: upstream.host });
}

function upstreamAnswered(upstream: URL): void {
  if (!outage) return;
  console.info({
    event: "xmpp_upstream_up",
    upstream: upstream.host,
    failures: outage.failures,
    downMs: Date.now() - outage.since,
  });
  outage = null;
}

function tokens(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
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

  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD") {
    return c.text("Method not allowed: open a WebSocket (GET with Upgrade: websocket)\n", 405, { ...PLAIN_TEXT, Allow: "GET" });
  }
  if (method === "HEAD" || !tokens(c.req.header("upgrade")).includes("websocket")) {
    return c.text("Upgrade required: this is an XMPP WebSocket endpoint (RFC 7395)\n", 426, {
      ...PLAIN_TEXT,
      Upgrade: "websocket",
    });
  }
  if (c.req.header("sec-websocket-version") !== "13") {
    return c.text("Unsupported WebSocket version (expected 13)\n", 426, {
      ...PLAIN_TEXT,
      Upgrade: "websocket",
      "Sec-WebSocket-Version": "13",
    });
  }
  if (!/^[A-Za-z0-9+/]{22}==$/.test(c.req.header("sec-websocket-key") ?? "")) {
    return c.text("Bad WebSocket handshake: missing or malformed Sec-WebSocket-Key\n", 400, PLAIN_TEXT);
  }
  if (!tokens(c.req.header("sec-websocket-protocol")).includes("xmpp")) {
    return c.text("Bad WebSocket handshake: Sec-WebSocket-Protocol must offer xmpp (RFC 7395)\n", 400, PLAIN_TEXT);
  }
  if (upstream.host.toLowerCase() === url.host.toLowerCase() && upstream.pathname === url.pathname) {
    return c.text("Misconfigured: XMPP_WEBSOCKET_URL points at this worker\n", 508, PLAIN_TEXT);
  }

  const limited = await limitNewSession(c.env.SESSION_LIMITER, "xmpp-connect", c.req.raw);
  if (limited) return limited;

  const headers = new Headers(c.req.raw.headers);
  for (const name of DROPPED) headers.delete(name);
  setForwarded(headers, c.req.raw);
  headers.set("connection", "Upgrade");
  headers.set("upgrade", "websocket");

  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), HANDSHAKE_TIMEOUT_MS);
  });
  const attempt = fetch(fetchableUrl(upstream), { method: "GET", headers, redirect: "manual" });
  let res: Response | "timeout";
  try {
    res = await Promise.race([attempt, timeout]);
  } catch (err) {
    upstreamFailed("unreachable", String(err), upstream);
    return c.text("Bad gateway: the XMPP server is unreachable\n", 502, PLAIN_TEXT);
  } finally {
    clearTimeout(timer);
  }
  if (res === "timeout") {
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
