/**
 * Gateway mode: which turn an RTMPT request takes in its session's byte stream, for clients that count
 * and clients that do not. Pure: no timers, no platform APIs; the session (session.ts) owns the state.
 *
 * The rule, decided from what each client sends:
 * - A session starts as counting: FFmpeg (libavformat/rtmphttp.c), librtmp (rtmp.c:1011 resets the
 *   counter to 0 after /open; HTTP_Post, rtmp.c:4409, counts every request), Flash, RootEncoder
 *   (TcpTunneledSocket.kt:69/136/153: idle 0, then 1, 2, ... shared by idle and send) and HaishinKit up
 *   to 1.4.2 number their requests 0, 1, 2, ...; a request's seq is its turn, so pipelined requests that
 *   arrive out of order are put back in order (sequencer.ts).
 * - A seq already served is a replay only when it really is one: same kind and, for /send, the same
 *   bytes. It then gets the reply it had, nothing is written twice (HaishinKit's retry of a request
 *   whose reply was lost resends the same path and body, RTMPTSocket.swift:132-141).
 * - Any other reuse of a seq (a served seq of another kind or with other bytes, or a seq already waiting
 *   or running as another kind) shows a client that does not count: HaishinKit 1.4.3–1.9.8 send every
 *   request with seq 0 (RTMPTSocket.swift:214/245/266 never advance `index`). From then on the session
 *   serves its requests in arrival order: such clients are strictly serial (one request in flight, or
 *   one /send beside one /idle), so arrival order is their order. Nothing is a replay any more: a
 *   second identical request from them is new data (two identical /send bodies are legal RTMP).
 * - A /send resent while its first copy still uploads, or after that upload was cut, is not placed here:
 *   the session hands the resend the first copy's turn and reply (session.ts `takeOver`).
 */

export type OrderKind = "send" | "idle";

interface Served {
  kind: OrderKind;
  /** A /send's body once it was read (null until then, and for /idle). */
  body: Uint8Array | null;
  reply: Uint8Array;
}

export interface OrderState {
  /** False once the client showed it does not number its requests. */
  counting: boolean;
  /** The highest turn handed out so far (-1: none yet). */
  lastTurn: number;
  /** Turns handed out and not yet released, with their kind (a duplicate of the same kind is refused). */
  pending: Map<number, OrderKind>;
  /** The last few served requests of a counting session, by seq (replays get the same reply). */
  served: Map<number, Served>;
}

/** How many served requests a counting session remembers for replays. */
const SERVED_KEPT = 4;

export function newOrderState(): OrderState {
  return { counting: true, lastTurn: -1, pending: new Map(), served: new Map() };
}

export type Placement =
  /** Serve the request in this turn. */
  | { kind: "turn"; turn: number }
  /** A replay: answer this reply again, write nothing. */
  | { kind: "replay"; reply: Uint8Array }
  /** A /send reusing a served seq: whether it is a replay depends on its bytes; read them first. */
  | { kind: "need-body" }
  /** A second request of the same kind with a seq that is already waiting or running. */
  | { kind: "duplicate" };

/**
 * Places a request of `kind` with `seq`, given the sequencer's next turn. `body` is undefined when a
 * /send's body has not been read yet (its reply leaves early), a byte array otherwise.
 */
export function place(state: OrderState, next: number, seq: number, kind: OrderKind, body?: Uint8Array): Placement {
  if (state.counting) {
    if (seq >= next) {
      const pending = state.pending.get(seq);
      if (pending === undefined) return handOut(state, seq, kind);
      if (pending === kind) return { kind: "duplicate" };
    } else {
      const served = state.served.get(seq);
      if (served && served.kind === kind) {
        if (kind === "idle") return { kind: "replay", reply: served.reply };
        if (body === undefined) return { kind: "need-body" };
        if (served.body && sameBytes(served.body, body)) return { kind: "replay", reply: served.reply };
      }
    }
    state.counting = false;
    state.served.clear();
  }
  return handOut(state, Math.max(next, state.lastTurn + 1), kind);
}

function handOut(state: OrderState, turn: number, kind: OrderKind): Placement {
  state.pending.set(turn, kind);
  state.lastTurn = Math.max(state.lastTurn, turn);
  return { kind: "turn", turn };
}

/** Remembers a served request of a counting session (its body may follow in `servedBody`). */
export function remember(state: OrderState, seq: number, kind: OrderKind, body: Uint8Array | null, reply: Uint8Array): void {
  if (!state.counting) return;
  state.served.set(seq, { kind, body, reply });
  state.served.delete(seq - SERVED_KEPT);
}

/** A /send's body, read after its reply left: kept for telling its replay from new bytes. */
export function servedBody(state: OrderState, seq: number, reply: Uint8Array, body: Uint8Array): void {
  const served = state.served.get(seq);
  if (served && served.reply === reply) served.body = body;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
