/**
 * Live playback: `GET /live/<app>/<stream>.flv` plays an RTMP stream of the configured rtmp:// origin
 * (RTMPT_ORIGINS in gateway mode) as FLV: with a WebSocket upgrade (RFC 6455) each binary message
 * carries FLV bytes (WebSocket-FLV); without one the response body is the FLV stream (HTTP-FLV). Every
 * viewer of one stream is served by that stream's Durable Object (live/live-stream.ts), which holds the
 * one origin connection. Only this path shape is claimed; everything else falls through (the PWA).
 *
 * `GET /live/<app>/<stream>.json` says whether this host can play it (`{"playable": bool, "reason"?}`,
 * always 200 for a well-formed name), so the watch page need not open a connection that must fail, and
 * which group chat room goes with it (`"room"`, from LIVE_CHAT_ROOM, live/chat-room.ts) if any.
 *
 * Answers: 101 / 200 (playing), 400 bad app or stream name, 404 RTMPT off or in proxy mode (no rtmp://
 * origin to play from), 405 not GET, 429 over the per-client limits (new connections: SESSION_LIMITER;
 * open connections to one stream: LIVE_VIEWERS_PER_CLIENT), 502 no origin accepts, 503 the stream's
 * object is unavailable or full.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app";
import { PLAIN_TEXT } from "../http/headers";
import { clientKey, limitNewSession } from "../http/rate-limit";
import { chatRoomFor, parseChatRoomTemplate } from "../live/chat-room";
import { DEFAULT_VIEWERS_PER_CLIENT } from "../live/limits";
import { VIEW_HEADER, type ViewRequest } from "../live/live-stream";
import { parseLivePath } from "../live/names";
import { logEvent } from "../shared/log";

export const live = new Hono<AppEnv>();

function viewersPerClient(raw: string | undefined): number | null {
  const value = (raw ?? "").trim();
  if (value === "") return DEFAULT_VIEWERS_PER_CLIENT;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1) return null;
  return Number(value);
}

/** Every path under /live/ that ends in `.flv`, well-formed or not (a bad name is a 400, never the PWA). */
const LIVE_PATH = "/live/:name{.*\\.flv}";
/** Whether a stream can be played here, asked before playing (a 200 either way: no console error). */
const STATUS_PATH = "/live/:name{.*\\.json}";

live.get(STATUS_PATH, (c) => {
  if (c.req.method !== "GET") return c.text("Method not allowed: use GET\n", 405, { ...PLAIN_TEXT, Allow: "GET" });
  const name = parseLivePath(`${c.req.path.slice(0, -".json".length)}.flv`);
  if (!name.ok) return c.text(`${name.message}\n`, 400, PLAIN_TEXT);
  const mode = c.get("config").rtmptMode;
  const playable = mode === "gateway";
  const reason =
    mode === "off"
      ? "Live playback is not enabled on this host."
      : mode === "proxy"
        ? "Live playback needs RTMP origins (gateway mode)."
        : "";
  const chat = parseChatRoomTemplate(c.env.LIVE_CHAT_ROOM);
  if (!chat.ok) return c.text(`Porthole is misconfigured: ${chat.message}\n`, 500, PLAIN_TEXT);
  const room = chat.template ? chatRoomFor(chat.template, name.app, name.stream) : "";
  return c.json({ playable, ...(reason ? { reason } : {}), ...(room ? { room } : {}) }, 200, { "Cache-Control": "no-store" });
});
live.all(STATUS_PATH, (c) => c.text("Method not allowed: use GET\n", 405, { ...PLAIN_TEXT, Allow: "GET" }));

const notAllowed = (c: Context<AppEnv>) =>
  c.text("Method not allowed: live streams use GET\n", 405, { ...PLAIN_TEXT, Allow: "GET" });

live.use(LIVE_PATH, async (c, next) => {
  const mode = c.get("config").rtmptMode;
  if (mode === "off") return c.text("Live playback is not enabled on this host\n", 404, PLAIN_TEXT);
  if (mode === "proxy") return c.text("Live playback needs rtmp:// origins (RTMPT gateway mode)\n", 404, PLAIN_TEXT);
  await next();
});

live.get(LIVE_PATH, async (c) => {
  // Hono answers HEAD with the GET route; a live stream has nothing to show without playing it.
  if (c.req.method !== "GET") return notAllowed(c);
  const config = c.get("config");
  const name = parseLivePath(c.req.path);
  if (!name.ok) return c.text(`${name.message}\n`, 400, PLAIN_TEXT);
  const perClient = viewersPerClient(c.env.LIVE_VIEWERS_PER_CLIENT);
  if (perClient === null) {
    return c.text("Porthole is misconfigured: LIVE_VIEWERS_PER_CLIENT is not a number from 1 to 9999\n", 500, PLAIN_TEXT);
  }
  const limited = await limitNewSession(c.env.SESSION_LIMITER, "live-view", c.req.raw);
  if (limited) return limited;
  const view: ViewRequest = {
    app: name.app,
    stream: name.stream,
    origins: config.origins.map((o) => ({ host: o.host, port: o.port })),
    timeoutMs: config.originTimeoutMs,
    perClient,
    client: clientKey(c.req.header("cf-connecting-ip")),
    websocket: (c.req.header("upgrade") ?? "").toLowerCase() === "websocket",
  };
  const headers = new Headers(c.req.raw.headers);
  headers.set(VIEW_HEADER, JSON.stringify(view));
  const ns = c.env.LIVE_STREAMS;
  try {
    const stub = ns.get(ns.idFromName(`${name.app}/${name.stream}`));
    return await stub.fetch(new Request(c.req.url, { method: "GET", headers }));
  } catch (err) {
    logEvent("live_stream_unavailable", { message: String(err).slice(0, 200) }, "error");
    return c.text("Live stream unavailable; try again\n", 503, PLAIN_TEXT);
  }
});

live.all(LIVE_PATH, notAllowed);
