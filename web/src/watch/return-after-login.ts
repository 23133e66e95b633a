/**
 * Back to the stream after signing in: the watch page's "Sign in to chat" link opens the app at
 * `/?return=/watch/<app>/<stream>`, and once that login succeeded (VALID_LOGIN) and its address and
 * session keys are on the device (login.ts; the watch page's chat resumes from them), the app goes back
 * to that watch page. Only a `/watch/<app>/<stream>` path of this origin is followed (watch-path.ts),
 * so the parameter cannot send anyone elsewhere. Loaded by the app (main.tsx) only when the page was
 * opened with `?return=`, so it stays out of the first load.
 */
import type { Facade } from "../app/facade";
import { parseWatchPath, type WatchTarget } from "./watch-path";

/** The query parameter that names where to go back to. */
export const RETURN_PARAM = "return";

/** The app's login with the way back to this watch page. */
export function signInHref(target: WatchTarget): string {
  const back = `/watch/${encodeURIComponent(target.app)}/${encodeURIComponent(target.stream)}`;
  return `/?${RETURN_PARAM}=${encodeURIComponent(back)}`;
}

/** The watch page a `?return=` names, or null for anything else (another origin, another path). */
export function returnPath(search: string): string | null {
  const value = new URLSearchParams(search).get(RETURN_PARAM);
  if (!value?.startsWith("/") || value.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(value, "http://app.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://app.invalid" || url.search || url.hash || !parseWatchPath(url.pathname)) return null;
  return url.pathname;
}

/** After the next successful login, once it is saved, goes to the watch page `search` names (if any). */
export function returnAfterLogin(facade: Facade, search: string, go: (path: string) => void): void {
  const path = returnPath(search);
  if (!path) return;
  const stop = facade.subscribe("VALID_LOGIN", () => {
    stop();
    void (async () => {
      await facade.idle();
      await facade.model.device.saved();
      go(path);
    })();
  });
}
