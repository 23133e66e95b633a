/**
 * Gateway mode: the in-memory state of one live RTMPT session in its Durable Object (gateway.ts): the
 * origin socket and its writer, the capped buffer of origin bytes (gateway-buffer.ts), the request
 * sequencer (gateway-sequencer.ts), the polling-byte ladder and the replies kept for replays.
 */
import { OriginBuffer } from "./gateway-buffer";
import { Sequencer } from "./gateway-sequencer";
import type { ByteSocket } from "./gateway-types";
import { INITIAL_POLL_STATE, type PollState } from "./protocol";

/** How far ahead of the next expected seq a request may be (more: 400). */
const SEQ_WINDOW = 64;

export interface Live {
  socket: ByteSocket;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  buffer: OriginBuffer;
  seq: Sequencer;
  poll: PollState;
  /** A request came since the alarm was last set (the alarm then re-arms instead of expiring). */
  active: boolean;
  /** Why the origin side ended (socket closed or failed); the session ends once the client drained it. */
  originEnded: string | null;
  replies: Map<number, Uint8Array>;
  /**
   * A /send whose reply was given (`begin`) but whose body never arrived (its connection dropped): it
   * keeps its turn, so nothing later reaches the origin, until the client resends that seq with its body
   * (or the gap times out and the session ends). Never a silent hole in the RTMP byte stream.
   */
  bodyLost: number | null;
}

/** A fresh session over a connected socket, with `bufferCap` bytes of room for unpolled origin bytes. */
export function newLive(socket: ByteSocket, bufferCap: number): Live {
  const buffer = new OriginBuffer(bufferCap);
  return {
    socket,
    writer: socket.writable.getWriter(),
    buffer,
    seq: new Sequencer(0, SEQ_WINDOW, () => buffer.wake()),
    poll: INITIAL_POLL_STATE,
    active: false,
    originEnded: null,
    replies: new Map(),
    bodyLost: null,
  };
}
