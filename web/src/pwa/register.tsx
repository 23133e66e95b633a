/**
 * Labels the page with its build, and registers /sw.js and the update banner (sw-registration.tsx,
 * with workbox-window: https://developer.chrome.com/docs/workbox/modules/workbox-window) as a chunk of
 * its own, fetched after the first paint: neither is needed to show the page, so neither weighs on the
 * first load. Production builds only: `vite dev` has no /sw.js.
 */

/** The build label (VITE_BUILD_ID at build time), exposed as <html data-build> for support and tests. */
export const BUILD_ID = import.meta.env.VITE_BUILD_ID ?? "unlabelled";

export function registerPwa(): void {
  document.documentElement.dataset.build = BUILD_ID;
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  void import("./sw-registration").then((m) => m.startServiceWorker());
}
