/**
 * XEP-0156 (Discovering Alternative XMPP Connection Methods) over host-meta (RFC 6415): this host's
 * XMPP WebSocket as a `urn:xmpp:alt-connections:websocket` link, in XRD XML at
 * `/.well-known/host-meta` and in JRD at `/.well-known/host-meta.json`. The link is
 * `wss://<this host><XMPP_WEBSOCKET_PATH>` (`ws://` only for plain http on a loopback host, i.e. local
 * development). Cross-origin readable (`Access-Control-Allow-Origin: *`) as XEP-0156 §3 asks, so web
 * clients on other origins can discover it. 404 when the XMPP edge is off.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { publicWebSocketUrl, setBaseSecurityHeaders } from "../http/security";

export const wellKnown = new Hono<AppEnv>();

export const REL_WEBSOCKET = "urn:xmpp:alt-connections:websocket";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "Accept",
  "Access-Control-Max-Age": "86400",
};

function xmlAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/>/g, "&gt;");
}

export function hostMetaXml(href: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="${REL_WEBSOCKET}" href="${xmlAttr(href)}"/>
</XRD>
`;
}

export function hostMetaJson(href: string): string {
  return `${JSON.stringify({ links: [{ rel: REL_WEBSOCKET, href }] }, null, 2)}\n`;
}

const DOCUMENTS: Record<string, { type: string; render: (href: string) => string }> = {
  "/.well-known/host-meta": { type: "application/xrd+xml; charset=utf-8", render: hostMetaXml },
  "/.well-known/host-meta.json": { type: "application/json; charset=utf-8", render: hostMetaJson },
};

wellKnown.all("/.well-known/*", async (c, next) => {
  const url = new URL(c.req.url);
  const doc = DOCUMENTS[url.pathname];
  if (!doc) return next();
  const headers = new Headers(CORS);
  setBaseSecurityHeaders(headers, url);
  const method = c.req.method;
  if (method === "OPTIONS") return new Response(null, { status: 204, headers });
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  if (method !== "GET" && method !== "HEAD") {
    headers.set("Allow", "GET, HEAD, OPTIONS");
    return new Response("Method not allowed\n", { status: 405, headers });
  }
  const config = c.get("config");
  if (!config.xmppWebSocketUrl) return new Response("XMPP is not enabled on this host\n", { status: 404, headers });
  const body = doc.render(publicWebSocketUrl(url, config.xmppWebSocketPath));
  headers.set("Content-Type", doc.type);
  headers.set("Cache-Control", "public, max-age=300");
  return new Response(method === "HEAD" ? null : body, { status: 200, headers });
});
