/**
 * The public path of a live stream: `/live/<app>/<stream>.flv`, where app and stream are 1-64 of
 * `A-Z a-z 0-9 _ -` (they become the RTMP connect `app` and the play stream name, so nothing that could
 * add a path, query or instance to them). Any other `/live/...flv` path is a bad name (400); paths not
 * ending in `.flv` are not live streams at all (the PWA's; routes/live.ts claims the rest). Pure.
 */

export const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export type LiveName = { ok: true; app: string; stream: string } | { ok: false; message: string };

export function parseLivePath(pathname: string): LiveName {
  const parts = pathname.slice("/live/".length, -".flv".length).split("/");
  if (parts.length !== 2) return { ok: false, message: "Bad live stream path: expected /live/<app>/<stream>.flv" };
  const [app = "", stream = ""] = parts;
  if (!NAME.test(app)) return { ok: false, message: "Bad app name: 1-64 letters, digits, _ or -" };
  if (!NAME.test(stream)) return { ok: false, message: "Bad stream name: 1-64 letters, digits, _ or -" };
  return { ok: true, app, stream };
}
