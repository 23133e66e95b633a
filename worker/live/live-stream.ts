/**
 * One Durable Object per live stream (`<app>/<stream>`): one RTMP play connection to the origin
 * (rtmp-player.ts) however many viewers watch, its audio/video/data messages muxed into FLV tags
 * (flv.ts), the sequence headers and current group of pictures kept for new viewers (gop-cache.ts), and
 * every tag fanned out to every viewer (viewer.ts), over a WebSocket (binary frames of FLV bytes) or an
 * HTTP response body (HTTP-FLV, streamed as long as the viewer stays). The tags of one read from the
 * origin go out together (one send per viewer, after the read is parsed: no added delay), because the
 * fan-out's cost is per send.
 *
 * Lifetime: the first viewer makes the origin connection (the configured rtmp:// origins in order,
 * first that accepts); it closes `GRACE_MS` after the last viewer left. When the publisher stops
 * (UnpublishNotify / StreamEOF) or the origin connection ends, every viewer is told: WebSocket close
 * 1000 "Stream ended: the publisher stopped" or 1011 "Stream origin lost: ...", the HTTP body ends.
 *
 * No WebSocket hibernation (ctx.acceptWebSocket): the object holds an outgoing TCP socket
 * (cloudflare:sockets) and a live media pipe, which hibernation cannot keep; a hibernated object would
 * lose both. So the viewers' WebSockets are accepted in memory (`accept()`), the object stays resident
 * while anyone watches, and nothing is stored: a restarted object simply starts a new origin connection
 * for its next viewer.
 */

import { connect } from "cloudflare:sockets";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { type ByteSocket, connectFirst } from "../shared/connect-first";
import { logEvent as log } from "../shared/log";
import { tagRole } from "./flv";
import { GopCache, makeTag, type Tag } from "./gop-cache";
import { GOP_CAP, GRACE_MS, MAX_MESSAGE, MAX_VIEWERS } from "./limits";
import { type PlayEnd, RtmpPlayer } from "./rtmp-player";
import { HttpSink, WebSocketSink } from "./sinks";
import { Viewer, type ViewerSink } from "./viewer";

/** What the route (routes/live.ts) tells the object about a viewer, in the `x-porthole-live` header. */
export interface ViewRequest {
  app: string;
  stream: string;
  origins: { host: string; port: number }[];
  timeoutMs: number;
  perClient: number;
  client: string;
  websocket: boolean;
}

export const VIEW_HEADER = "x-porthole-live";

interface OriginSession {
  player: RtmpPlayer;
  cache: GopCache;
  origin: string;
  /** Tags of the current read, not yet fanned out (flushed in a microtask once the read is parsed). */
  pending: Tag[];
}

/** WebSocket close codes (RFC 6455 §7.4.1) the viewers see. */
export const CLOSE_ENDED = 1000;
export const CLOSE_ORIGIN_LOST = 1011;
export const CLOSE_TOO_SLOW = 1008;

const TEXT = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };

export class LiveStream extends DurableObject<Env> {
  private session: OriginSession | null = null;
  private opening: Promise<OriginSession | string> | null = null;
  private readonly viewers = new Set<Viewer>();
  /** Viewers admitted but not yet added (waiting for the origin), per client. */
  private readonly joining = new Map<string, number>();
  private grace: ReturnType<typeof setTimeout> | null = null;
  private name = "";
  /** How the origin's TCP socket is opened: cloudflare:sockets' `connect`; unit tests hand in an in-memory origin. */
  protected openSocket: typeof connect = connect;

  override async fetch(request: Request): Promise<Response> {
    let view: ViewRequest;
    try {
      view = JSON.parse(request.headers.get(VIEW_HEADER) ?? "") as ViewRequest;
    } catch {
      return new Response("Bad live request\n", { status: 400, headers: TEXT });
    }
    this.name = `${view.app}/${view.stream}`;
    const pending = [...this.joining.values()].reduce((a, b) => a + b, 0);
    if (this.viewers.size + pending >= MAX_VIEWERS) {
      return new Response("This stream has too many viewers; try again later\n", { status: 503, headers: TEXT });
    }
    const mine = [...this.viewers].filter((v) => v.client === view.client).length + (this.joining.get(view.client) ?? 0);
    if (mine >= view.perClient) {
      return new Response("Too many connections to this stream from your address\n", { status: 429, headers: TEXT });
    }
    this.cancelGrace();
    this.joining.set(view.client, (this.joining.get(view.client) ?? 0) + 1);
    let session: OriginSession | string;
    try {
      session = await this.ensureSession(view);
    } finally {
      const left = (this.joining.get(view.client) ?? 1) - 1;
      if (left > 0) this.joining.set(view.client, left);
      else this.joining.delete(view.client);
    }
    if (typeof session === "string") {
      this.armGrace();
      return new Response("Stream origin unavailable\n", { status: 502, headers: TEXT });
    }
    return view.websocket ? this.acceptWebSocket(session, view.client) : this.streamHttp(session, view.client);
  }

  /** For tests and operators: viewers, origin connection, cache size. */
  async status(): Promise<{ viewers: number; origin: string | null; cachedBytes: number; keyframe: boolean }> {
    return {
      viewers: this.viewers.size,
      origin: this.session?.origin ?? null,
      cachedBytes: this.session?.cache.bytes ?? 0,
      keyframe: this.session?.cache.hasKeyframe ?? false,
    };
  }

  private acceptWebSocket(session: OriginSession, client: string): Response {
    const pair = new WebSocketPair();
    const [outer, inner] = [pair[0], pair[1]];
    inner.accept();
    const viewer = new Viewer(new WebSocketSink(inner), client);
    const gone = () => this.remove(viewer);
    inner.addEventListener("close", gone);
    inner.addEventListener("error", gone);
    this.add(session, viewer);
    return new Response(null, { status: 101, webSocket: outer });
  }

  private streamHttp(session: OriginSession, client: string): Response {
    let viewer: Viewer | null = null;
    const sink = new HttpSink(() => {
      if (viewer) this.remove(viewer);
    });
    viewer = new Viewer(sink, client);
    this.add(session, viewer);
    return new Response(sink.readable, {
      status: 200,
      headers: {
        "Content-Type": "video/x-flv",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  }

  private add(session: OriginSession, viewer: Viewer): void {
    this.viewers.add(viewer);
    viewer.start(session.cache.start(), session.cache.hasKeyframe);
    log("live_viewer_joined", { stream: this.name, kind: viewer.sink.kind, viewers: this.viewers.size });
  }

  private remove(viewer: Viewer): void {
    if (!this.viewers.delete(viewer)) return;
    viewer.closed = true;
    log("live_viewer_left", { stream: this.name, kind: viewer.sink.kind, viewers: this.viewers.size });
    if (this.viewers.size === 0) this.armGrace();
  }

  private drop(viewer: Viewer, code: number, reason: string): void {
    this.remove(viewer);
    viewer.sink.close(code, reason);
  }

  private ensureSession(view: ViewRequest): Promise<OriginSession | string> {
    if (this.session && !this.session.player.ended) return Promise.resolve(this.session);
    this.opening ??= this.open(view).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Connects to the first origin that accepts and starts playing; a string says why none did. */
  private async open(view: ViewRequest): Promise<OriginSession | string> {
    const c = await connectFirst(view.origins, view.timeoutMs, this.openSocket);
    if (c.socket) return this.play(c.socket, c.origin, view);
    log("live_origin_failed", { stream: this.name, failures: c.failures });
    return c.failures.join("; ") || "no origin configured";
  }

  /** Starts the play over a connected socket (`open` uses it; unit tests hand it an in-memory origin). */
  play(socket: ByteSocket, origin: string, view: Pick<ViewRequest, "app" | "stream" | "timeoutMs">): OriginSession {
    const cache = new GopCache(GOP_CAP);
    const target = { tcUrl: `rtmp://${origin}/${view.app}`, app: view.app, stream: view.stream };
    const session: OriginSession = { cache, origin, player: null as unknown as RtmpPlayer, pending: [] };
    session.player = new RtmpPlayer(
      socket,
      target,
      {
        media: (type, timestamp, body) => this.media(session, type, timestamp, body),
        playing: () => log("live_origin_playing", { stream: this.name, origin }),
        ended: (end) => this.ended(session, end),
      },
      view.timeoutMs,
      MAX_MESSAGE,
    );
    this.session = session;
    void session.player.run();
    log("live_origin_open", { stream: this.name, origin });
    return session;
  }

  private media(session: OriginSession, type: number, timestamp: number, body: Uint8Array): void {
    if (this.session !== session) return;
    session.pending.push(makeTag(type, timestamp, body, tagRole(type, body)));
    if (session.pending.length === 1) queueMicrotask(() => this.flush(session));
  }

  /** Caches the pending tags and sends them to every viewer, each viewer in one send. */
  private flush(session: OriginSession): void {
    const tags = session.pending;
    if (tags.length === 0 || this.session !== session) return;
    session.pending = [];
    for (const tag of tags) session.cache.add(tag);
    const bytes = tags.length === 1 ? (tags[0] as Tag).bytes : joinBytes(tags);
    const now = Date.now();
    for (const v of this.viewers) {
      if (v.offerAll(tags, bytes, now) === "drop") {
        log("live_viewer_dropped", { stream: this.name, kind: v.sink.kind, buffered: v.sink.buffered() });
        this.drop(v, CLOSE_TOO_SLOW, "Viewer too slow: dropped");
      }
    }
  }

  private ended(session: OriginSession, end: PlayEnd): void {
    // What came with the end's own read still goes out before the viewers are closed.
    if (this.session === session) this.flush(session);
    if (this.session === session) this.session = null;
    const viewers = [...this.viewers];
    log("live_origin_closed", { stream: this.name, reason: end.reason, detail: end.detail, viewers: viewers.length });
    const [code, reason] =
      end.reason === "unpublished"
        ? [CLOSE_ENDED, "Stream ended: the publisher stopped"]
        : end.reason === "stopped"
          ? [CLOSE_ENDED, "Stream closed"]
          : [CLOSE_ORIGIN_LOST, `Stream origin lost: ${end.reason}`];
    for (const v of viewers) this.drop(v, code, reason);
    this.cancelGrace();
  }

  private armGrace(): void {
    this.cancelGrace();
    this.grace = setTimeout(() => {
      this.grace = null;
      if (this.viewers.size === 0 && this.session) this.session.player.stop("no viewers");
    }, GRACE_MS);
  }

  private cancelGrace(): void {
    if (this.grace) clearTimeout(this.grace);
    this.grace = null;
  }
}

function joinBytes(tags: readonly Tag[]): Uint8Array {
  let size = 0;
  for (const t of tags) size += t.bytes.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const t of tags) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

export type { ViewerSink };
