/**
 * RTMPT client loops for the soak (test/soak/porthole.soak.ts), speaking the protocol as FFmpeg's
 * libavformat/rtmphttp.c does: `POST /open/1` → `<id>\n`, then `/send|idle/<id>/<seq>` on one keep-alive
 * connection per session, `/close` at the end. Every byte is checked:
 * - proxy mode uses the test origin's echo sessions (`/open/1?echo`: each /send reply is its own body);
 * - gateway mode bridges to a TCP echo server, so the bytes read back over the polls (after each
 *   reply's polling byte) must equal the bytes sent, in order.
 */
import { Agent, request } from "node:http";
import type { Socket } from "node:net";

export interface RtmptTally {
  requests: number;
  sessionsOpened: number;
  /** Sessions that ran the whole duration and closed without an error. */
  sessionsHeld: number;
  maxConcurrent: number;
  bytesSent: number;
  bytesBack: number;
  /** Unexpected answers (status, mismatched bytes, transport errors). */
  errors: number;
  reasons: string[];
  /** Requests sent again after a reused connection closed before any response byte (see `retryable`). */
  retries: number;
  retryReasons: string[];
  /** Reuses of an idle keep-alive connection: how many, the longest idle time, how many idle > 10 s. */
  reuses: number;
  maxReuseIdleMs: number;
  reusesIdleOver10s: number;
}

export function emptyTally(): RtmptTally {
  return {
    requests: 0,
    sessionsOpened: 0,
    sessionsHeld: 0,
    maxConcurrent: 0,
    bytesSent: 0,
    bytesBack: 0,
    errors: 0,
    reasons: [],
    retries: 0,
    retryReasons: [],
    reuses: 0,
    maxReuseIdleMs: 0,
    reusesIdleOver10s: 0,
  };
}

/** What the client knew about the connection a request went out on (for the failure reasons). */
export interface SocketUse {
  /** Requests this connection carried before this one (0: a new connection). */
  reused: number;
  /** Time since the connection's previous response ended (ms), or -1 for a new one. */
  idleMs: number;
  /** Connection age (ms). */
  ageMs: number;
}

interface SocketMeta {
  uses: number;
  createdAt: number;
  lastEnd: number;
}

const socketMeta = new WeakMap<Socket, SocketMeta>();

export class TransportError extends Error {
  constructor(
    readonly cause: Error,
    readonly use: SocketUse | null,
    /** Whether any response byte (the head) had arrived. */
    readonly headSeen: boolean,
  ) {
    super(cause.message);
  }

  get code(): string {
    return (this.cause as NodeJS.ErrnoException).code ?? "";
  }

  describe(): string {
    const u = this.use;
    const where = u ? `reused ${u.reused}, idle ${u.idleMs} ms, age ${u.ageMs} ms` : "no socket";
    return `${this.message}${this.code ? ` (${this.code})` : ""}; ${where}${this.headSeen ? "; after the head" : ""}`;
  }
}

/** One RTMPT POST on `agent`; rejects with a TransportError that says which connection it went out on. */
export function post(
  agent: Agent,
  base: URL,
  path: string,
  body: Buffer,
  onSocket: (use: SocketUse) => void = () => {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let use: SocketUse | null = null;
    let headSeen = false;
    const failed = (err: Error) => reject(new TransportError(err, use, headSeen));
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: "POST",
        path,
        timeout: 60_000,
        headers: { "Content-Type": "application/x-fcs", "Content-Length": body.length, "User-Agent": "Shockwave Flash" },
      },
      (res) => {
        headSeen = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const meta = socketMeta.get(req.socket as Socket);
          if (meta) meta.lastEnd = Date.now();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
        });
        res.on("error", failed);
      },
    );
    req.on("socket", (socket: Socket) => {
      const now = Date.now();
      let meta = socketMeta.get(socket);
      if (!meta) {
        meta = { uses: 0, createdAt: now, lastEnd: -1 };
        socketMeta.set(socket, meta);
      }
      use = { reused: meta.uses, idleMs: meta.lastEnd < 0 ? -1 : now - meta.lastEnd, ageMs: now - meta.createdAt };
      meta.uses++;
      onSocket(use);
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 60 s")));
    req.on("error", failed);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function payload(session: number, seq: number): Buffer {
  const n = 64 + ((session * 131 + seq * 17) % 960);
  return Buffer.from(Array.from({ length: n }, (_, i) => (session + seq * 7 + i * 13) & 0xff));
}

/**
 * A request that may be sent again: it went out on a reused keep-alive connection that closed before
 * any response byte came (ECONNRESET/EPIPE). That is the keep-alive race (RFC 9112 §9.5: a server may
 * close an idle connection at any time; workerd closes it after 15 s idle): the server closed the
 * connection without reading the request. Clients resend such requests on a new connection (Node's docs
 * for `request.reusedSocket`; browsers do likewise); RFC 9112 §9.3.1 allows it for requests known to be
 * safe to repeat, and a POST is only that by the application's rules: in RTMPT every /send|idle|close
 * carries its seq, and the gateway answers a replayed seq with the reply it kept without writing the body
 * twice (gateway-sequencer.ts "stale"; a /send whose body never arrived waits for its resend, gateway.ts
 * `bodyLost`). /open has no seq, so it is never resent.
 */
export function retryable(path: string, err: unknown): boolean {
  if (!(err instanceof TransportError) || err.headSeen || !err.use || err.use.reused === 0) return false;
  if (!/^\/(send|idle|close)\//.test(path)) return false;
  return err.code === "ECONNRESET" || err.code === "EPIPE";
}

/**
 * Runs `sessions` RTMPT sessions against `baseUrl` until `deadline` (ms since epoch), each sending one
 * request every ~`intervalMs` (jittered). Sessions start spread over `rampMs`.
 * `pool`: "session" (default) gives each session its own keep-alive connection, as FFmpeg and librtmp
 * do; "shared" draws every session's requests from one Node Agent pool (LIFO: connections deep in the
 * pool idle until the server closes them). `retry` (default true) resends `retryable` requests once.
 */
export async function runRtmptSessions(
  baseUrl: string,
  mode: "proxy" | "gateway",
  o: {
    sessions: number;
    deadline: number;
    intervalMs: number;
    rampMs: number;
    pool?: "session" | "shared";
    retry?: boolean;
  },
): Promise<RtmptTally> {
  const base = new URL(baseUrl);
  const shared = o.pool === "shared" ? new Agent({ keepAlive: true, maxSockets: o.sessions + 8 }) : null;
  const retry = o.retry ?? true;
  const t = emptyTally();
  let concurrent = 0;
  const fail = (why: string) => {
    console.warn(`soak ${mode}: ${why}`);
    t.errors++;
    if (t.reasons.length < 10) t.reasons.push(why);
  };
  const started = Date.now();
  const seen = (use: SocketUse) => {
    if (use.reused === 0) return;
    t.reuses++;
    t.maxReuseIdleMs = Math.max(t.maxReuseIdleMs, use.idleMs);
    if (use.idleMs > 10_000) t.reusesIdleOver10s++;
  };
  // Which request (kind/seq), on which connection (reuse count, idle time), when in the run.
  const label = (path: string, err: unknown) =>
    `${path.replace(/^(\/\w+\/)[^/]+\/(?=\d)/, "$1<id>/")} at ${((Date.now() - started) / 1000).toFixed(1)} s: ${
      err instanceof TransportError ? err.describe() : String(err)
    }`;
  const call = async (agent: Agent, path: string, body: Buffer) => {
    t.requests++;
    try {
      return await post(agent, base, path, body, seen);
    } catch (err) {
      if (!retry || !retryable(path, err)) throw new Error(label(path, err));
      t.retries++;
      if (t.retryReasons.length < 10) t.retryReasons.push(label(path, err));
      console.warn(`soak ${mode}: resent ${label(path, err)}`);
      t.requests++;
      try {
        return await post(agent, base, path, body, seen);
      } catch (again) {
        throw new Error(`${label(path, again)} (resent)`);
      }
    }
  };

  async function session(n: number): Promise<void> {
    await sleep((o.rampMs * n) / o.sessions);
    const agent = shared ?? new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await run(n, agent);
    } finally {
      if (!shared) agent.destroy();
    }
  }

  async function run(n: number, agent: Agent): Promise<void> {
    const open = await call(agent, mode === "proxy" ? "/open/1?echo" : "/open/1", Buffer.from([0]));
    if (open.status !== 200) return fail(`open ${open.status} ${open.body.toString().slice(0, 60)}`);
    const id = open.body.toString().trim();
    t.sessionsOpened++;
    concurrent++;
    t.maxConcurrent = Math.max(t.maxConcurrent, concurrent);
    let seq = 0;
    let ok = true;
    const sent: Buffer[] = [];
    let back = Buffer.alloc(0);
    const expectBack = (reply: Buffer, label: string) => {
      if (reply.length === 0) return fail(`${label}: empty reply`);
      back = Buffer.concat([back, reply.subarray(1)]);
      const want = Buffer.concat(sent).subarray(0, back.length);
      if (!want.equals(back)) {
        ok = false;
        fail(`${label}: bytes back differ from bytes sent`);
      }
    };
    try {
      while (Date.now() < o.deadline && ok) {
        const body = payload(n, seq);
        const kind = mode === "gateway" && seq % 3 === 2 ? "idle" : "send";
        const r = await call(agent, `/${kind}/${id}/${seq}`, kind === "send" ? body : Buffer.from([0]));
        if (r.status !== 200) {
          ok = false;
          fail(`${kind} ${r.status} ${r.body.toString().slice(0, 60)}`);
          break;
        }
        if (mode === "proxy") {
          t.bytesSent += body.length;
          if (r.body.equals(body)) t.bytesBack += body.length;
          else {
            ok = false;
            fail("send: echo differs from the body sent");
          }
        } else {
          if (kind === "send") {
            sent.push(body);
            t.bytesSent += body.length;
          }
          expectBack(r.body, kind);
        }
        seq++;
        await sleep(o.intervalMs * (0.5 + Math.random()));
      }
      if (mode === "gateway" && ok) {
        // Drain what the echo server still owes before closing.
        const total = sent.reduce((s, b) => s + b.length, 0);
        for (let i = 0; i < 100 && back.length < total && ok; i++) {
          const r = await call(agent, `/idle/${id}/${seq++}`, Buffer.from([0]));
          if (r.status !== 200) {
            ok = false;
            fail(`drain idle ${r.status}`);
          } else expectBack(r.body, "drain");
          if (back.length < total) await sleep(50);
        }
        if (back.length !== total) {
          ok = false;
          fail(`gateway: ${total - back.length} bytes never came back`);
        }
        t.bytesBack += back.length;
      }
      const close = await call(agent, `/close/${id}/${seq}`, Buffer.from([0]));
      if (close.status !== 200) {
        ok = false;
        fail(`close ${close.status}`);
      }
      if (ok) t.sessionsHeld++;
    } catch (err) {
      fail(`transport: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      concurrent--;
    }
  }

  await Promise.all(Array.from({ length: o.sessions }, (_, n) => session(n).catch((err) => fail(String(err)))));
  shared?.destroy();
  return t;
}
