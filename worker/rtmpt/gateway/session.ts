/**
 * Gateway mode: one Durable Object per RTMPT session, bridging it to plain RTMP over TCP
 * (`connect()` from cloudflare:sockets). The server side of RTMPT as Red5's RTMPTServlet and FFmpeg's
 * libavformat/rtmphttp.c define it: /send writes its body to the socket, /send and /idle answer the
 * polling byte followed by whatever the origin sent since, /close ends the session. Typed RPC methods
 * (open/send/idle/close) are called by route.ts; the origin connection is made by
 * shared/connect-first.ts, the live state is session-state.ts, its origin side origin-side.ts:
 * requests served in turn (order.ts decides each request's turn, for clients that count their seq and
 * for those that send 0 every time; sequencer.ts keeps the turns), origin bytes waiting in a capped
 * buffer (buffer.ts).
 * A session ends on /close (with or without seq, at once), when its client is gone (liveness.ts),
 * when its origin ends, and on its idle alarm. The socket lives in memory only: a restarted object
 * answers its session as gone.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import { connectFirst } from "../../shared/connect-first";
import { logEvent as log } from "../../shared/log";
import { nextPollState, pollingByte } from "../protocol";
import { watchClient } from "./liveness";
import { place, remember, servedBody } from "./order";
import { pumpOrigin, writeToOrigin } from "./origin-side";
import type { Turn } from "./sequencer";
import { type Live, newLive, type PendingSend } from "./session-state";
import type { ByteSocket, Exchange, OpenResult, TcpOrigin } from "./types";

export type { ByteSocket, Exchange, OpenResult, TcpOrigin } from "./types";

/** A session with no request for this long (at most twice this) expires: its alarm closes the socket. */
const IDLE_TIMEOUT_MS = 30_000;
/** Origin bytes kept for a client that does not poll; past this the session closes. */
export const BUFFER_CAP = 8 * 1024 * 1024;
/** An idle poll with nothing to answer waits this long for origin bytes (fewer empty round trips). */
const IDLE_HOLD_MS = 150;
/** A request waiting for a missing predecessor gives up (and ends the session) after this long. */
const SEQ_GAP_TIMEOUT_MS = 10_000;

interface Meta {
  origin: string;
  openedAt: number;
}

export class RtmptSession extends DurableObject<Env> {
  private meta: Meta | null = null;
  private live: Live | null = null;
  /** Why this session ended, for the 404 text of later requests. */
  private endReason: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.meta = (await ctx.storage.get<Meta>("meta")) ?? null;
    });
  }

  /** Connects to the first origin (in the given order) that accepts within `timeoutMs`. */
  async open(origins: TcpOrigin[], timeoutMs: number): Promise<OpenResult> {
    if (this.meta || this.live) return { ok: false, message: "session id already in use" };
    const c = await connectFirst(origins, timeoutMs);
    if (!c.socket) {
      log("rtmpt_gateway_open_failed", { failures: c.failures });
      return { ok: false, message: c.failures.join("; ") };
    }
    if (c.failures.length > 0) log("rtmpt_gateway_failover", { failures: c.failures });
    await this.adopt(c.socket, c.origin, c.failures.length);
    return { ok: true, origin: c.origin };
  }

  /** Starts the session over an already connected socket. `open` uses it; unit tests hand it a fake. */
  async adopt(socket: ByteSocket, origin: string, failovers = 0): Promise<void> {
    const live = newLive(socket, BUFFER_CAP);
    this.live = live;
    this.endReason = null;
    this.meta = { origin, openedAt: Date.now() };
    await this.ctx.storage.put("meta", this.meta);
    await this.ctx.storage.setAlarm(Date.now() + IDLE_TIMEOUT_MS);
    live.lastSeen = Date.now();
    live.watch = watchClient(live, (verdict) => void this.finish(verdict));
    void pumpOrigin(live, () => this.finish("buffer_overflow"));
    log("rtmpt_gateway_open", { origin, failovers });
  }

  /** `/send/<id>/<seq>` in one step: writes `body` to the origin, answers polling byte + origin bytes. */
  async send(seq: number, body: Uint8Array): Promise<Exchange> {
    return this.hinted(await this.exchange(seq, body, "send"));
  }

  /**
   * `/send/<id>/<seq>` already answered with the polling byte alone (quiet-sends.ts: the session's last
   * reply left nothing waiting): writes `body` in turn and answers that polling byte, leaving origin
   * bytes buffered for the next request. Any other answer (a reply of more than one byte, for a replay
   * or the resend of a /send whose body hung; 400; 404) cannot be given any more: the caller ends the
   * reply with an error and the client sees a failed request. Only a stale hint or a misbehaving client
   * gets there; nothing is written twice either way.
   */
  async sendQuiet(seq: number, body: Uint8Array): Promise<Exchange> {
    return this.hinted(await this.exchange(seq, body, "quiet"));
  }

  /**
   * `/send/<id>/<seq>` in two steps, so that the reply's headers can leave before the body arrives
   * (FFmpeg writes headers and body apart; without an early answer each POST waits out a delayed ACK):
   * `begin` takes the request's turn and answers polling byte + origin bytes buffered so far, keeping
   * the turn; `complete` (with the reply's `ticket`) writes the body in turn and releases it. A /send
   * that reuses a served seq answers `need-body`: whether it is a replay depends on its bytes, so the
   * caller reads them and calls `send`.
   */
  async begin(seq: number): Promise<Exchange> {
    return this.exchange(seq, null, "begin");
  }

  /**
   * `body` null: the request's body could not be read (its connection was cut); see `PendingSend`. A
   * ticket that is no longer the pending one (its /send was taken over by a resend, or the session
   * ended) changes nothing.
   */
  async complete(ticket: number, body: Uint8Array | null): Promise<{ quietNext?: number }> {
    const live = this.live;
    const pending = live?.pendingSend;
    if (!live || !pending || pending.ticket !== ticket) return {};
    live.lastSeen = Date.now();
    if (body === null) {
      pending.lost = true;
      this.holdLostBody(live, pending);
      log("rtmpt_gateway_body_lost", { seq: pending.seq });
      return {};
    }
    live.pendingSend = null;
    servedBody(live.order, pending.seq, pending.reply, body);
    try {
      await writeToOrigin(live, body);
    } finally {
      this.release(live, pending.turn);
    }
    return { quietNext: this.quietNext(live) };
  }

  /** `/idle/<id>/<seq>`: answers polling byte + origin bytes (held briefly when there are none). */
  async idle(seq: number): Promise<Exchange> {
    return this.hinted(await this.exchange(seq, null, "idle"));
  }

  /**
   * `/close/<id>/<seq>` of a counting client (librtmp, FFmpeg): ends the session once the requests
   * before it were served. `/close/<id>` without seq (HaishinKit, RootEncoder), or any /close of a client
   * that does not count: ends it at once, even while another request is in flight (HaishinKit closes so,
   * RTMPTSocket.swift:119). Answers 0x00 as Red5 does.
   */
  async close(seq: number | null): Promise<Exchange> {
    const live = this.live;
    if (!live) return this.missing();
    live.active = true;
    live.lastSeen = Date.now();
    if (seq !== null && live.order.counting) {
      const turn = await this.waitTurn(live, seq);
      if (turn === "go") this.release(live, seq);
    }
    await this.finish("client_closed");
    return { kind: "reply", body: new Uint8Array([0]) };
  }

  /**
   * Idle expiry: a session with no request since the alarm was last set (or left without its socket)
   * ends; an active one re-arms. No clock reads, no storage write per request.
   */
  override async alarm(): Promise<void> {
    const live = this.live;
    if (live?.active && !live.originEnded) {
      live.active = false;
      await this.ctx.storage.setAlarm(Date.now() + IDLE_TIMEOUT_MS);
      return;
    }
    if (live || this.meta) await this.finish(live ? "idle_timeout" : "lost");
  }

  /** For tests and operators: whether the socket is open, origin bytes waiting, requests queued. */
  async status(): Promise<{
    open: boolean;
    buffered: number;
    nextSeq: number;
    waiting: boolean;
    endReason: string | null;
  }> {
    const live = this.live;
    return {
      open: live !== null,
      buffered: live?.buffer.size ?? 0,
      nextSeq: live?.seq.next ?? 0,
      waiting: live?.seq.hasWaiting() ?? false,
      endReason: this.endReason,
    };
  }

  /**
   * The seq of the session's next /send when nothing waits for its client: a counting client, no origin
   * byte buffered, no request running, queued or half done (quiet-sends.ts).
   */
  private quietNext(live: Live): number | undefined {
    const settled = live.seq.current === null && !live.seq.hasWaiting() && live.pendingSend === null;
    const nothingWaiting = live.buffer.size === 0 && live.originEnded === null;
    return live.order.counting && settled && nothingWaiting && this.live === live ? live.seq.next : undefined;
  }

  /** A reply with the hint for the session's next /send, once the request's turn was released. */
  private hinted(result: Exchange): Exchange {
    const live = this.live;
    if (result.kind !== "reply" || !live) return result;
    const next = this.quietNext(live);
    return next === undefined ? result : { ...result, quietNext: next };
  }

  private async exchange(seq: number, body: Uint8Array | null, mode: "send" | "quiet" | "idle" | "begin"): Promise<Exchange> {
    const live = this.live;
    if (!live) return this.missing();
    live.active = true;
    live.lastSeen = Date.now();
    const kind = mode === "idle" ? "idle" : "send";
    const pending = live.pendingSend;
    if (kind === "send" && pending && (pending.seq === seq || !live.order.counting)) {
      return this.takeOver(live, pending, body, mode === "begin" ? "begin" : "send");
    }
    const placed = place(live.order, live.seq.next, seq, kind, mode === "begin" ? undefined : (body ?? new Uint8Array(0)));
    if (placed.kind === "replay") return { kind: "reply", body: placed.reply };
    if (placed.kind === "need-body") return { kind: "need-body" };
    if (placed.kind === "duplicate") return { kind: "bad", message: "Duplicate RTMPT sequence number" };
    const at = placed.turn;
    const turn = await this.waitTurn(live, at);
    if (turn !== "go") live.order.pending.delete(at);
    if (turn === "stale") return { kind: "bad", message: "Stale RTMPT sequence number" };
    if (turn === "duplicate") return { kind: "bad", message: "Duplicate RTMPT sequence number" };
    if (turn === "too-far") return { kind: "bad", message: "RTMPT sequence number too far ahead" };
    if (turn === "aborted" || this.live !== live) return this.gone();
    let keepTurn = false;
    try {
      if (body) await writeToOrigin(live, body);
      if (mode === "idle" && live.buffer.size === 0 && !live.originEnded && !live.seq.hasWaiting()) {
        await live.buffer.changed(IDLE_HOLD_MS);
      }
      if (this.live !== live) return this.gone();
      if (live.buffer.size === 0 && live.originEnded) {
        await this.finish(live.originEnded);
        return this.gone();
      }
      // Traffic either way keeps the polling byte at 0x01: a /send is the client's data (Red5 climbs
      // the ladder on replies without data only; here a publisher's replies stay prompt too).
      const hadData = live.buffer.size > 0 || kind === "send";
      // A quiet /send was answered with the polling byte alone: origin bytes stay for the next request.
      const reply = mode === "quiet" ? new Uint8Array([pollingByte(live.poll)]) : live.buffer.drain(pollingByte(live.poll));
      live.poll = nextPollState(live.poll, hadData);
      live.lastSeen = Date.now();
      remember(live.order, seq, kind, mode === "send" || mode === "quiet" ? body : null, reply);
      if (mode === "begin") {
        keepTurn = true;
        const ticket = ++live.tickets;
        live.pendingSend = { turn: at, seq, ticket, reply, lost: false };
        return { kind: "reply", body: reply, ticket };
      }
      return { kind: "reply", body: reply };
    } finally {
      if (!keepTurn) this.release(live, at);
    }
  }

  /** Releases turn `at` (served or given up) and lets the next one run. */
  private release(live: Live, at: number): void {
    live.order.pending.delete(at);
    live.seq.done(at);
  }

  /**
   * The resend of a /send whose first copy's body still uploads (it hangs) or was lost: the resend
   * takes over its turn and gets the reply the first copy had (the origin bytes drained then, which the
   * client never saw); only the resend's body is written (now for `send`, in `complete` for `begin`),
   * and the first copy's body, should it still arrive, is ignored (its ticket is no longer pending).
   */
  private async takeOver(live: Live, pending: PendingSend, body: Uint8Array | null, mode: "send" | "begin"): Promise<Exchange> {
    pending.lost = false;
    pending.ticket = ++live.tickets;
    log("rtmpt_gateway_send_resent", { seq: pending.seq });
    if (mode === "begin") return { kind: "reply", body: pending.reply, ticket: pending.ticket };
    live.pendingSend = null;
    if (body) servedBody(live.order, pending.seq, pending.reply, body);
    try {
      if (body) await writeToOrigin(live, body);
    } finally {
      this.release(live, pending.turn);
    }
    return { kind: "reply", body: pending.reply };
  }

  /** A lost body not resent within SEQ_GAP_TIMEOUT_MS ends the session (as a gap in the sequence does). */
  private holdLostBody(live: Live, pending: PendingSend): void {
    const ticket = pending.ticket;
    setTimeout(() => {
      if (this.live === live && live.pendingSend === pending && pending.lost && pending.ticket === ticket) {
        void this.finish("body_lost");
      }
    }, SEQ_GAP_TIMEOUT_MS);
  }

  /**
   * Waits for `seq`'s turn; a gap that does not fill within SEQ_GAP_TIMEOUT_MS ends the session. Only a
   * request that really waits arms that timer: in a steady session every turn is free at once, and a
   * timer per request (Node's timers under nodejs_compat, JavaScript) is CPU spent on every /send.
   */
  private async waitTurn(live: Live, seq: number): Promise<Turn> {
    const turn = live.seq.turn(seq);
    if (typeof turn === "string") return turn;
    const timer = setTimeout(() => {
      if (live.seq.cancel(seq, "aborted")) void this.finish("sequence_gap");
    }, SEQ_GAP_TIMEOUT_MS);
    try {
      return await turn;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the session: closes the socket, releases waiting requests, forgets the stored state. */
  private async finish(reason: string): Promise<void> {
    const live = this.live;
    if (!live && !this.meta) return;
    this.live = null;
    this.meta = null;
    this.endReason = reason;
    if (live) {
      live.finished = true;
      if (live.watch) clearInterval(live.watch);
      live.seq.abort();
      live.buffer.wake();
      live.writer.releaseLock();
      await live.socket.close().catch(() => {});
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    log("rtmpt_gateway_closed", { reason, socket_closed: live !== null, requests: live?.seq.next ?? 0 });
  }

  /** No live socket: unknown id, ended session, or state restored without its socket (then forget it). */
  private async missing(): Promise<Exchange> {
    if (this.meta) await this.finish("lost");
    return this.gone();
  }

  private gone(): Exchange {
    const why = this.endReason;
    return { kind: "gone", message: why ? `RTMPT session ended (${why.split(":")[0]})` : "Unknown RTMPT session" };
  }
}
