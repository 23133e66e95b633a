/**
 * /healthz's probe of the XMPP upstream (`XMPP_WEBSOCKET_URL`): a plain HTTP GET of the same URL with
 * its http(s) scheme (ws → http, wss → https, RFC 6455 §3), bounded by 2 s. Any HTTP answer means the
 * server is up: Prosody 0.12's mod_websocket and ejabberd 23.01 both answer such a GET without Upgrade
 * with 200 and a short page (test/e2e/xmpp-edge.test.ts, xmpp-edge-ejabberd.test.ts); only no answer in
 * time, or a refused connection, means down.
 */
import { cachedProbe, httpProbe, PROBE_TIMEOUT_MS, type ProbeResult } from "./probe";

/** The http(s) URL that the WebSocket URL `ws` is requested at before its upgrade. */
function httpEquivalent(ws: URL): string {
  const url = new URL(ws);
  url.protocol = ws.protocol === "wss:" ? "https:" : "http:";
  return url.href;
}

/**
 * The upstream's probe (cached for a few seconds per isolate). The WebSocket route forgets it when a
 * handshake finds the upstream down, so that /healthz, asked right after (the PWA does), says so.
 */
export const probeXmpp = cachedProbe(
  (ws: URL) => ws.href,
  (ws: URL): Promise<ProbeResult> =>
    httpProbe(PROBE_TIMEOUT_MS, (signal) =>
      fetch(httpEquivalent(ws), { headers: { "user-agent": "Porthole-healthz" }, signal, redirect: "manual" }),
    ),
);
