/**
 * Why a live stream's WebSocket closed, in the words of the worker's live Durable Object
 * (worker/live/live-stream.ts: close code 1000 "Stream ended: the publisher stopped", 1011 "Stream origin
 * lost: …", 1008 when this viewer fell too far behind; RFC 6455 §7.4): "ended" when the broadcast is
 * over (nothing to retry), "lost" when the stream's source went away or the connection broke (1006, no
 * close frame), which is worth retrying. Pure, shared by the player and its unit tests.
 */

export type StreamEnd = "ended" | "lost";

/** RFC 6455 §7.4.1 normal closure: the worker's "the publisher stopped". */
const NORMAL = 1000;

export function streamEnd(code: number): StreamEnd {
  return code === NORMAL ? "ended" : "lost";
}
