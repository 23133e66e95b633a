/**
 * Security and caching headers for the PWA's static responses (the `ASSETS` binding).
 *
 * - Content-Security-Policy (CSP Level 3, W3C): no inline script or style, nothing from other origins
 *   except the XMPP WebSocket of this host and the operator's `XMPP_CONNECT_SRC` list. Sent on every
 *   asset response: it governs HTML documents, the service worker script (its own CSP) and SVGs opened
 *   directly; for subresources it is ignored.
 * - X-Content-Type-Options: nosniff (Fetch §3.5.4), Referrer-Policy (W3C Referrer Policy),
 *   Permissions-Policy (W3C), frame denial (CSP frame-ancestors + X-Frame-Options, RFC 7034),
 *   Cross-Origin-Opener-Policy (HTML), Strict-Transport-Security on https only (RFC 6797 §7.2: HSTS
 *   over plain http is ignored; none on localhost development).
 * - Caching (RFC 9111, RFC 8246 `immutable`): HTML documents, `/sw.js` and the web app manifest are
 *   `no-cache` (revalidated every time, so a deploy is seen at once and the service worker update check
 *   is never served from the HTTP cache); content-hashed `/assets/*` are `immutable` for a year.
 *   A missing `/assets/*` or `/.well-known/*` file, or any path naming a static file type (`/robots.txt`,
 *   `/favicon.ico`, `/x/y.png`: the list of web/src/pwa/routes.ts, which the service worker never answers
 *   with the shell either), is a plain 404, not the SPA's index.html (a stale hashed chunk must not be
 *   answered with HTML, let alone cached as immutable; a crawler's `/robots.txt` must not get a page).
 *   App routes (`/chat/bob@example.com`) and `.html` paths keep the SPA fallback.
 */
import type { Config } from "../env";
import { PLAIN_TEXT } from "./headers";

/** Files whose URL does not change with their content: always revalidated. */
const NO_CACHE_PATHS = new Set(["/sw.js", "/manifest.webmanifest", "/index.html", "/"]);
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Prefixes that name files, never app routes: a miss there is a 404, not the SPA's index.html. */
const NO_SPA_FALLBACK = ["/assets/", "/.well-known/"];
/** Paths that name a static file by its type (web/src/pwa/routes.ts's list without .html): never app routes. */
const FILE_TYPE = /\.(?:js|mjs|css|map|json|webmanifest|txt|xml|png|jpe?g|gif|webp|avif|svg|ico|woff2?)$/i;

/** Whether a miss at `pathname` is a 404 rather than the SPA page. */
export function namesFile(pathname: string): boolean {
  return NO_SPA_FALLBACK.some((p) => pathname.startsWith(p)) || FILE_TYPE.test(pathname);
}

const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
].join(", ");

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The public URL of this host's XMPP WebSocket, as a client should open it: `wss://` unless the
 * request came over plain http to a loopback host (local development), then `ws://`.
 */
export function publicWebSocketUrl(requestUrl: URL, path: string): string {
  const plainLocal = requestUrl.protocol === "http:" && isLoopback(requestUrl.hostname);
  return `${plainLocal ? "ws" : "wss"}://${requestUrl.host}${path}`;
}

/** The Content-Security-Policy for the PWA served from `requestUrl`'s host. */
function contentSecurityPolicy(requestUrl: URL, config: Config): string {
  const ws = publicWebSocketUrl(requestUrl, config.xmppWebSocketPath);
  // 'self' covers same-origin ws(s) in CSP Level 3, but not in every browser: name it explicitly.
  // The watch page's WebSocket-FLV streams (/live/<app>/<stream>.flv), named for the same reason.
  const live = publicWebSocketUrl(requestUrl, "/live/");
  const connect = ["'self'", ws, live, ...config.xmppConnectSrc];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Previews of files picked for upload (and still waiting in the outbox) are blob: URLs.
    "img-src 'self' data: blob:",
    // The watch page plays through Media Source Extensions: the <video> source is a blob: URL.
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${[...new Set(connect)].join(" ")}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** Headers every response of this host may carry (also used by the worker's own small documents). */
export function setBaseSecurityHeaders(headers: Headers, requestUrl: URL): void {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  if (requestUrl.protocol === "https:") headers.set("Strict-Transport-Security", "max-age=31536000");
}

function cacheControlFor(pathname: string, contentType: string, status: number): string | null {
  if (contentType.startsWith("text/html") || NO_CACHE_PATHS.has(pathname) || pathname.endsWith(".html")) {
    return "no-cache";
  }
  if (pathname.startsWith("/assets/") && status === 200) return IMMUTABLE;
  return null; // keep the assets binding's default (revalidate with ETag)
}

/** Serves one request from the static assets with the headers above. */
export async function serveAsset(request: Request, assets: Fetcher | undefined, config: Config): Promise<Response> {
  const url = new URL(request.url);
  // Deployed without `[assets]` (an RTMPT/XMPP router only): nothing else to serve.
  const upstream = assets ? await assets.fetch(request) : null;
  const contentType = upstream?.headers.get("content-type") ?? "";
  if (!upstream || (namesFile(url.pathname) && contentType.startsWith("text/html"))) {
    await upstream?.body?.cancel();
    const headers = new Headers(PLAIN_TEXT);
    setBaseSecurityHeaders(headers, url);
    return new Response("Not found\n", { status: 404, headers });
  }
  const res = new Response(upstream.body, upstream);
  const h = res.headers;
  setBaseSecurityHeaders(h, url);
  h.set("Content-Security-Policy", contentSecurityPolicy(url, config));
  h.set("Permissions-Policy", PERMISSIONS_POLICY);
  h.set("X-Frame-Options", "DENY");
  h.set("Cross-Origin-Opener-Policy", "same-origin");
  const cache = cacheControlFor(url.pathname, contentType, upstream.status);
  if (cache) h.set("Cache-Control", cache);
  return res;
}
