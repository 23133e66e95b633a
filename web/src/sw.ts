/**
 * Porthole's service worker (Workbox, injectManifest: web/scripts/service-worker-build.ts bundles this
 * file and writes the precache list into `self.__WB_MANIFEST`). Service Workers (W3C,
 * https://www.w3.org/TR/service-workers/):
 * - install: precache the app shell (index.html as "/", hashed JS/CSS, manifest, icons);
 * - navigations: answered from the cached shell (so an offline reload shows the app), except the
 *   worker's own endpoints (pwa/routes.ts), which go to the network untouched, its XMPP WebSocket at
 *   the path this host's host-meta names (pwa/websocket-path.ts);
 * - nothing else is cached at runtime: the XMPP WebSocket, RTMPT, /healthz, /.well-known pass through;
 * - push notifications (push/sw-push.ts): show them, open the app on click, follow a replaced subscription;
 * - a new version waits until the page asks (`{type: "SKIP_WAITING"}` after the user clicks Reload):
 *   no skipWaiting() on install, no clients.claim(), so an open page is never swapped under the user.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { listenForPushes } from "./push/sw-push";
import { isSkipWaiting, isWebsocketPath, NETWORK_ONLY, SHELL_URL } from "./pwa/routes";
import { cacheKeeper, WebsocketPath } from "./pwa/websocket-path";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
const shell = createHandlerBoundToURL(SHELL_URL);
const websocketPath = new WebsocketPath({
  host: self.location.host,
  origin: self.location.origin,
  fetch: (input, init) => fetch(input, init),
  keeper: cacheKeeper(self.caches),
});
registerRoute(
  new NavigationRoute(
    async (options) => {
      options.event.waitUntil(websocketPath.refresh());
      const { pathname, search } = options.url;
      if (isWebsocketPath(pathname + search, await websocketPath.current())) return fetch(options.request);
      return shell(options);
    },
    { denylist: [...NETWORK_ONLY] },
  ),
);
self.addEventListener("activate", (event) => event.waitUntil(websocketPath.refresh()));
listenForPushes();

self.addEventListener("message", (event) => {
  if (isSkipWaiting(event.data)) void self.skipWaiting();
});
