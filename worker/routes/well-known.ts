/**
 * XEP-0156 (Discovering Alternative XMPP Connection Methods) over host-meta (RFC 6415): this host's
 * XMPP WebSocket as a `urn:xmpp:alt-connections:websocket` link, in XRD XML at
 * `/.well-known/host-meta` and in JRD at `/.well-known/host-meta.json`. The link is
 * `wss://<this host><XMPP_WEBSOCKET_PATH>` (`ws://` only for plain http on a loopback host, i.e. local
 * development). Cross-origin readable (`Access-Control-Allow-Origin: *`, hono/cors) as XEP-0156 §3 asks, so web
 * clients on other origins can discover it. 404 when the XMPP edge is off.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app";
import { PLAIN_TEXT } from "../http/headers";
import { publicWebSocketUrl, setBaseSecurityHeaders } from "../http/security";

export const wellKnown = new Hono<AppEnv>();

const REL_WEBSOCKET = "urn:xmpp:alt-connections:websocket";

function xmlAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/>/g, "&gt;");
}

function hostMetaXml(href: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="${REL_WEBSOCKET}" href="${xmlAttr(href)}"/>
</XRD>
`;
}

function hostMetaJson(href: string): string {
  return `${JSON.stringify({ links: [{ rel: REL_WEBSOCKET, href }] }, null, 2)}\n`;
}

const DOCUMENTS: Record<string, { type: string; render: (href: string) => string }> = {
  "/.well-known/host-meta": { type: "application/xrd+xml; charset=utf-8", render: hostMetaXml },
  "/.well-known/host-meta.json": { type: "application/json; charset=utf-8", render: hostMetaJson },
};

const METHODS = ["GET", "HEAD", "OPTIONS"];

/** Any origin may read the documents; a preflight (OPTIONS) is answered 204 here, cached for a day. */
const readableAnywhere = cors({ origin: "*", allowMethods: METHODS, allowHeaders: ["Accept"], maxAge: 86400 });

/** The host's base security headers on every answer of these paths, the preflight's too. */
const secured: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  setBaseSecurityHeaders(c.res.headers, new URL(c.req.url));
};

for (const [path, doc] of Object.entries(DOCUMENTS)) {
  wellKnown.use(path, secured, readableAnywhere);
  // GET, and HEAD (Hono answers it with this route, without the body).
  wellKnown.get(path, (c) => {
    const config = c.get("config");
    if (!config.xmppWebSocketUrl) return c.text("XMPP is not enabled on this host\n", 404, PLAIN_TEXT);
    const body = doc.render(publicWebSocketUrl(new URL(c.req.url), config.xmppWebSocketPath));
    return c.body(body, 200, { "Content-Type": doc.type, "Cache-Control": "public, max-age=300" });
  });
  wellKnown.all(path, (c) => c.text("Method not allowed\n", 405, { ...PLAIN_TEXT, Allow: METHODS.join(", ") }));
}
