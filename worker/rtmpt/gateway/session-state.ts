/**
 * Gateway mode: the in-memory state of one live RTMPT session in its Durable Object (session.ts): the
 * origin socket and its writer, the capped buffer of origin bytes (buffer.ts), the request
 * sequencer (sequencer.ts) and the turn each request takes (order.ts), the polling-byte
 * ladder, the /send whose body is still on its way, and when the client was last heard from.
 */

import { INITIAL_POLL_STATE, type PollState } from "../protocol";
import { OriginBuffer } from "./buffer";
import { newOrderState, type OrderState } from "./order";
import { Sequencer } from "./sequencer";
import type { ByteSocket } from "./types";

/** How far ahead of the next expected seq a request may be (more: 400). */
const SEQ_WINDOW = 64;

/**
 * A /send answered before its body was read (`begin`): it holds its turn, so nothing later reaches the
 * origin, until its body is written. Its body may hang or be lost with its connection (`lost`); a
 * resend of that /send then takes the turn over (`ticket` says which copy's body counts). Never a
 * silent hole in the RTMP byte stream, never bytes written twice.
 */
export interface PendingSend {
  turn: number;
  seq: number;
  ticket: number;
  reply: Uint8Array;
  lost: boolean;
}

export interface Live {
  socket: ByteSocket;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  buffer: OriginBuffer;
  seq: Sequencer;
  order: OrderState;
  poll: PollState;
  /** A request came since the alarm was last set (the alarm then re-arms instead of expiring). */
  active: boolean;
  /** Why the origin side ended (socket closed or failed); the session ends once the client drained it. */
  originEnded: string | null;
  pendingSend: PendingSend | null;
  /** The last ticket handed to a `begin`. */
  tickets: number;
  /** Date.now() when a request of this session last arrived or progressed. */
  lastSeen: number;
  /** The timer that ends the session when its client is gone (liveness.ts). */
  watch: ReturnType<typeof setInterval> | null;
  /** The session ended (its object let go of it). */
  finished: boolean;
}

/** A fresh session over a connected socket, with `bufferCap` bytes of room for unpolled origin bytes. */
export function newLive(socket: ByteSocket, bufferCap: number): Live {
  const buffer = new OriginBuffer(bufferCap);
  return {
    socket,
    writer: socket.writable.getWriter(),
    buffer,
    seq: new Sequencer(0, SEQ_WINDOW, () => buffer.wake()),
    order: newOrderState(),
    poll: INITIAL_POLL_STATE,
    active: false,
    originEnded: null,
    pendingSend: null,
    tickets: 0,
    lastSeen: Date.now(),
    watch: null,
    finished: false,
  };
}
