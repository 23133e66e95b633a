/**
 * A small RTMPT origin for end-to-end tests, in the shape of Red5's RTMPTServlet (no RTMPT server is
 * packaged for Debian): every request is a POST; `/fcs/ident2` → 404; `/open/1` → `<id>\n` and a TCP
 * connection to a real RTMP server (nginx-rtmp); `/send/<id>/<seq>` writes the body to that socket;
 * `/send` and `/idle` answer the polling byte (Red5's ladder, worker/rtmpt/protocol.ts) followed by
 * whatever the RTMP server sent; `/close` ends the socket; an unknown session → 400. Requests of a session
 * are applied in `seq` order (pipelined requests may arrive out of order through a proxy). Replies carry
 * Content-Length, never chunked. `/open/1?echo` opens a session without RTMP whose `/send` replies are
 * the request body itself (a byte-exactness probe). `startBlackHole` is an origin that accepts and never
 * answers (timeouts). It records what it saw (paths, headers, body bytes) for assertions.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { INITIAL_POLL_STATE, nextPollState, type PollState, pollingByte } from "../../worker/rtmpt/protocol";
import { freePort } from "./process";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Session {
  id: string;
  /** Null for an echo session. */
  socket: Socket | null;
  pending: Buffer[];
  ended: boolean;
  poll: PollState;
  nextSeq: number | undefined;
  waiters: Map<number, () => void>;
  lastUse: number;
}

export interface RtmptOrigin {
  port: number;
  url: string;
  seen: SeenRequest[];
  /** Session ids this origin handed out to `/open`. */
  opened: string[];
  /** Sessions that got at least one `/send` or `/idle`. */
  used: Set<string>;
  /** Stops listening and drops every connection and session (a dead origin). */
  stop: () => Promise<void>;
}

function newId(): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from({ length: 13 }, () => chars[Math.floor(Math.random() * chars.length)]).join("");
}

function reply(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, {
    "Content-Type": "application/x-fcs",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    Server: "porthole-test-origin",
  });
  res.end(body);
}

/** Starts the origin; `rtmpPort` is the RTMP server it bridges sessions to (127.0.0.1). */
/**
 * `keepAliveTimeoutMs`: how long an idle keep-alive connection stays open (Node's default is 5 s; a proxy
 * that reuses a connection the origin is closing at that moment sees "Network connection lost").
 */
export async function startRtmptOrigin(rtmpPort: number, opts: { keepAliveTimeoutMs?: number } = {}): Promise<RtmptOrigin> {
  const port = await freePort();
  const sessions = new Map<string, Session>();
  const seen: SeenRequest[] = [];
  const opened: string[] = [];
  const used = new Set<string>();

  /** Waits until it is this request's turn in the session (seq order), at most 3 s. */
  async function inOrder(s: Session, seq: number): Promise<void> {
    if (s.nextSeq === undefined) s.nextSeq = seq;
    if (seq <= s.nextSeq) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      s.waiters.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  function done(s: Session, seq: number): void {
    s.nextSeq = Math.max(s.nextSeq ?? 0, seq + 1);
    const wake = s.waiters.get(s.nextSeq);
    if (wake) {
      s.waiters.delete(s.nextSeq);
      wake();
    }
  }

  function drain(s: Session): Buffer {
    const data = Buffer.concat(s.pending);
    s.pending = [];
    const byte = pollingByte(s.poll);
    s.poll = nextPollState(s.poll, data.length > 0);
    return Buffer.concat([Buffer.from([byte]), data]);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://origin");
      void handle(req.method ?? "", url.pathname, url.searchParams.has("echo"), body, res);
    });
  });

  async function handle(method: string, path: string, echo: boolean, body: Buffer, res: ServerResponse): Promise<void> {
    if (method !== "POST") return reply(res, 405, Buffer.alloc(0));
    const [, cmd, a, b] = path.split("/");
    if (cmd === "fcs") return reply(res, 404, Buffer.alloc(0));
    if (cmd === "open") {
      const id = newId();
      // `?echo` (test probe for byte-exactness): no RTMP socket; `/send` answers its own body back.
      const socket = echo ? null : connect({ host: "127.0.0.1", port: rtmpPort });
      const s: Session = {
        id,
        socket,
        pending: [],
        ended: false,
        poll: INITIAL_POLL_STATE,
        nextSeq: undefined,
        waiters: new Map(),
        lastUse: Date.now(),
      };
      socket?.on("data", (d: Buffer) => s.pending.push(d));
      socket?.on("close", () => {
        s.ended = true;
      });
      socket?.on("error", () => {
        s.ended = true;
      });
      sessions.set(id, s);
      opened.push(id);
      return reply(res, 200, Buffer.from(`${id}\n`));
    }
    if ((cmd === "send" || cmd === "idle" || cmd === "close") && a && b && /^\d+$/.test(b)) {
      const s = sessions.get(a);
      if (!s) return reply(res, 400, Buffer.alloc(0));
      const seq = Number(b);
      s.lastUse = Date.now();
      await inOrder(s, seq);
      if (cmd === "close") {
        s.socket?.end();
        sessions.delete(a);
        done(s, seq);
        return reply(res, 200, Buffer.from([0]));
      }
      used.add(a);
      if (!s.socket) {
        done(s, seq);
        return reply(res, 200, body);
      }
      if (cmd === "send" && body.length > 0 && !s.ended) s.socket.write(body);
      // Give the RTMP server a moment to answer a send (Red5 replies with what is queued at that time).
      if (cmd === "send") await new Promise((r) => setTimeout(r, 5));
      const out = drain(s);
      done(s, seq);
      if (s.ended && out.length === 1) {
        sessions.delete(a);
        return reply(res, 400, Buffer.alloc(0));
      }
      return reply(res, 200, out);
    }
    return reply(res, 404, Buffer.alloc(0));
  }

  const reaper = setInterval(() => {
    for (const [id, s] of sessions) {
      if (Date.now() - s.lastUse > 60_000) {
        s.socket?.destroy();
        sessions.delete(id);
      }
    }
  }, 5000);
  reaper.unref();

  if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    opened,
    used,
    stop: async () => {
      clearInterval(reaper);
      for (const s of sessions.values()) s.socket?.destroy();
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface BlackHole {
  port: number;
  url: string;
  /** Connections accepted so far. */
  accepted: () => number;
  stop: () => Promise<void>;
}

/** A TCP server that accepts connections and never answers (a hung origin), on `port` or a free one. */
export async function startBlackHole(port?: number): Promise<BlackHole> {
  const listenPort = port ?? (await freePort());
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createNetServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  return {
    port: listenPort,
    url: `http://127.0.0.1:${listenPort}`,
    accepted: () => accepted,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
