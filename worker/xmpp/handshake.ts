/**
 * The XMPP WebSocket opening handshake as the edge checks it before anything goes upstream, pure (no
 * hono, no cloudflare:*), as rtmpt/protocol.ts is for RTMPT. A client handshake (RFC 6455 §4.1, §4.2.1)
 * is a GET with `Upgrade: websocket`, `Sec-WebSocket-Version: 13` and a `Sec-WebSocket-Key` of 16 bytes in
 * base64; RFC 7395 §3.2 adds the `xmpp` subprotocol. Each refusal says what to fix: 405 for another
 * method, 426 (RFC 9110 §15.5.22) without an upgrade or with another version (RFC 6455 §4.4), 400 for a
 * bad key or no `xmpp`. An upstream that is this very endpoint would loop (508).
 */

import { headerTokens as tokens } from "../http/headers";

export type Refusal = { status: 400 | 405 | 426; message: string; headers: Record<string, string> };

/** The one version RFC 6455 defines (§4.1 item 9). */
const WEBSOCKET_VERSION = "13";
/** 16 random bytes in base64 (RFC 6455 §4.1 item 7): 22 characters and `==`. */
const KEY = /^[A-Za-z0-9+/]{22}==$/;

/** Why `method` with `headers` is not an XMPP WebSocket opening handshake, or null when it is one. */
export function refuseHandshake(method: string, headers: Headers): Refusal | null {
  if (method !== "GET" && method !== "HEAD") {
    return {
      status: 405,
      message: "Method not allowed: open a WebSocket (GET with Upgrade: websocket)",
      headers: { Allow: "GET" },
    };
  }
  if (method === "HEAD" || !tokens(headers.get("upgrade")).includes("websocket")) {
    return {
      status: 426,
      message: "Upgrade required: this is an XMPP WebSocket endpoint (RFC 7395)",
      headers: { Upgrade: "websocket" },
    };
  }
  if (headers.get("sec-websocket-version") !== WEBSOCKET_VERSION) {
    return {
      status: 426,
      message: `Unsupported WebSocket version (expected ${WEBSOCKET_VERSION})`,
      headers: { Upgrade: "websocket", "Sec-WebSocket-Version": WEBSOCKET_VERSION },
    };
  }
  if (!KEY.test(headers.get("sec-websocket-key") ?? "")) {
    return { status: 400, message: "Bad WebSocket handshake: missing or malformed Sec-WebSocket-Key", headers: {} };
  }
  if (!tokens(headers.get("sec-websocket-protocol")).includes("xmpp")) {
    return { status: 400, message: "Bad WebSocket handshake: Sec-WebSocket-Protocol must offer xmpp (RFC 7395)", headers: {} };
  }
  return null;
}

/**
 * True when the upstream WebSocket URL is this endpoint itself (same host and port, same path): passing
 * through would loop. Hosts compare as parsed (the URL parser lower-cases them, drops a default port).
 */
export function isThisEndpoint(upstream: URL, request: URL): boolean {
  return upstream.host === request.host && upstream.pathname === request.pathname;
}
