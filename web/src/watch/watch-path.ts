/**
 * The PWA's watch route: `/watch/<app>/<stream>` shows the live stream the worker serves at
 * `/live/<app>/<stream>.flv` (worker/live/names.ts: the same 1-64 `A-Z a-z 0-9 _ -` names). Pure.
 */

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface WatchTarget {
  app: string;
  stream: string;
}

/** The stream a `/watch/<app>/<stream>` path names, or null for any other path. */
export function parseWatchPath(pathname: string): WatchTarget | null {
  const m = /^\/watch\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1] || !m[2] || !NAME.test(m[1]) || !NAME.test(m[2])) return null;
  return { app: m[1], stream: m[2] };
}

/** Where the worker says whether this host can play the stream (routes/live.ts). */
export function liveStatusUrl(target: WatchTarget): string {
  return `/live/${target.app}/${target.stream}.json`;
}

/** The WebSocket-FLV URL of the stream on this host (wss:// when the page is https). */
export function liveUrl(location: { protocol: string; host: string }, target: WatchTarget): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/live/${target.app}/${target.stream}.flv`;
}
