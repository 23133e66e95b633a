/**
 * Which navigations the service worker answers with the cached app shell (the SPA model of
 * Workbox's NavigationRoute, https://developer.chrome.com/docs/workbox/modules/workbox-routing), and
 * which always go to the network. The worker's own endpoints are never the shell and never cached:
 * its XMPP WebSocket (RFC 7395) at the path this host's host-meta names (XMPP_WEBSOCKET_PATH, a
 * deployment variable, so not a fixed entry here: websocket-path.ts keeps what host-meta last said,
 * /xmpp-websocket before it said anything), the RTMPT prefixes (the same list as worker/rtmpt/protocol.ts: /fcs
 * /open /send /idle /close), /healthz, the push endpoints under /push/, /.well-known/ (XEP-0156 host-meta) and the live streams under
 * /live/ (worker/live/names.ts; the app's own watch page is /watch/...), the uploaded files under
 * /upload/ (worker/routes/upload.ts), nor a URL naming a
 * static file type (a missing file must stay a 404, not become the app). Other dots are allowed:
 * app routes may carry JIDs such as /chat/bob@example.com.
 * Pure: no Workbox import, so it is unit-tested in Node and shared by src/sw.ts.
 */

import { DEFAULT_WEBSOCKET_PATH } from "../model/xmpp/discovery";

/** The precache key of index.html (web/scripts/service-worker-build.ts maps it to "/"). */
export const SHELL_URL = "/";

/**
 * Matched against pathname + search, as NavigationRoute's denylist is: the fixed endpoints (the XMPP
 * WebSocket's path is configured per deployment: `isWebsocketPath`).
 */
export const NETWORK_ONLY: readonly RegExp[] = [
  /^\/(?:fcs|open|send|idle|close)(?:[/?]|$)/,
  /^\/healthz(?:[/?]|$)/,
  /^\/push\//,
  /^\/live\//,
  /^\/upload(?:[/?]|$)/,
  /^\/\.well-known(?:[/?]|$)/,
  /\.(?:html?|js|mjs|css|map|json|webmanifest|txt|xml|png|jpe?g|gif|webp|avif|svg|ico|woff2?)(?:\?|$)/i,
];

/** Whether pathname + search is the XMPP WebSocket's path (itself, or with a rest or a query after it). */
export function isWebsocketPath(pathAndSearch: string, websocketPath: string): boolean {
  if (!pathAndSearch.startsWith(websocketPath)) return false;
  const next = pathAndSearch.charAt(websocketPath.length);
  return next === "" || next === "/" || next === "?";
}

/**
 * True when a navigation to this path (with its search) is answered with the cached shell; the XMPP
 * WebSocket is at `websocketPath` (what this host's host-meta names).
 */
export function servesShell(pathAndSearch: string, websocketPath = DEFAULT_WEBSOCKET_PATH): boolean {
  return !NETWORK_ONLY.some((re) => re.test(pathAndSearch)) && !isWebsocketPath(pathAndSearch, websocketPath);
}

/** The message the page posts to a waiting service worker to activate it (workbox-window's format). */
export const SKIP_WAITING = { type: "SKIP_WAITING" } as const;

export function isSkipWaiting(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === SKIP_WAITING.type;
}
