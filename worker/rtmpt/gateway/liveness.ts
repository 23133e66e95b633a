/**
 * Gateway mode: when a session's client is gone. RTMPT has no connection to watch (every request is its
 * own HTTP exchange, often on a new TCP connection), and not every client says goodbye: librtmp's
 * RTMP_Close (rtmp.c:4129-4156) pipelines its last /send and /close and closes the socket without
 * reading the replies, so the kernel resets the connection and the /close never arrives; RootEncoder's
 * /close is fire and forget (TcpTunneledSocket.kt:167-176). Left to the idle alarm, such a session keeps
 * its origin socket 30–60 s, and nginx-rtmp keeps the stream name "already publishing".
 *
 * The rule: a client polls again within its polling byte × 100 ms (HaishinKit, RTMPTSocket.swift:255;
 * Flash waits less, about 16 ms per unit) and sends while it has data; so with no request running or
 * waiting and none arrived for CLIENT_GONE_MS beyond that delay, the client is gone. A request that
 * runs or waits without any progress for STALL_MS (a body that never finishes) ends the session too.
 * Before its first request after /open a client is still connecting: it computes its RTMP handshake
 * (FFmpeg, librtmp: an HMAC-SHA256 digest in C1) right after the /open reply, which on a loaded machine
 * can take seconds, so such a session is given STALL_MS, not its polling delay.
 * `clientVerdict` is pure; `watchClient` runs it on a timer for a live session (session-state.ts).
 */

import { POLL_UNIT_MS, pollingByte } from "../protocol";
import type { Live } from "./session-state";

/** Silence beyond the client's own polling delay after which it is taken as gone. */
export const CLIENT_GONE_MS = 2_500;
/** A request that shows no progress for this long ends the session. */
export const STALL_MS = 10_000;
/** How often the session checks. */
const LIVENESS_CHECK_MS = 200;

export interface LivenessInput {
  now: number;
  lastSeen: number;
  /** The polling byte of the last reply (the client's wait before its next idle poll). */
  pollingByte: number;
  /** A request holds the turn (and is not a /send whose body was lost), or one waits for it. */
  busy: boolean;
  /** A request was served since /open (until then the client is still connecting). */
  started: boolean;
}

export type Verdict = "alive" | "client_gone" | "client_stalled";

export function clientVerdict(s: LivenessInput): Verdict {
  const silent = s.now - s.lastSeen;
  if (s.busy) return silent > STALL_MS ? "client_stalled" : "alive";
  if (!s.started) return silent > STALL_MS ? "client_gone" : "alive";
  return silent > CLIENT_GONE_MS + s.pollingByte * POLL_UNIT_MS ? "client_gone" : "alive";
}

/** Checks `live` every LIVENESS_CHECK_MS; calls `end` once with the verdict when its client is gone or stalled. */
export function watchClient(live: Live, end: (verdict: Exclude<Verdict, "alive">) => void): ReturnType<typeof setInterval> {
  const timer = setInterval(() => {
    if (live.finished) return clearInterval(timer);
    const verdict = clientVerdict({
      now: Date.now(),
      lastSeen: live.lastSeen,
      pollingByte: pollingByte(live.poll),
      // A /send whose body was lost holds the turn but shows no client: it does not count as busy.
      busy: (live.seq.current !== null && !live.pendingSend?.lost) || live.seq.hasWaiting(),
      started: live.seq.next > 0,
    });
    if (verdict === "alive") return;
    clearInterval(timer);
    end(verdict);
  }, LIVENESS_CHECK_MS);
  return timer;
}
