/**
 * Gateway mode: which sessions' next /send may be answered 0x01 alone, before its body arrives, in one
 * call into the session instead of two. A /send whose body comes after its headers (FFmpeg,
 * libavformat/http.c http_connect: headers and body are two writes, Nagle on) needs its reply's headers
 * first (route.ts), and their Content-Length is the polling byte plus the origin bytes waiting: only the
 * session knows those, so such a /send costs a call to learn them (`begin`) and one to hand over the
 * body (`complete`). When the session's last reply left nothing waiting for the client (no origin byte
 * buffered, no request running, queued or half done, a client that counts its seq), its next /send is
 * answered with the polling byte alone (Content-Length 1) at once, and its body, once read, goes to the
 * session in one call (`sendQuiet`); origin bytes that arrived meanwhile stay buffered for the next
 * request (RTMPT replies carry whatever is waiting, Red5's RTMPTServlet; a reply with none is an
 * ordinary reply). A publisher's steady stream of /send is served so, one call each.
 *
 * This is a hint kept per isolate, never the session's state: the session checks every request as
 * always, and a hint that no longer holds (another isolate served the session since) costs at most
 * that one request (session.ts `sendQuiet`). Bounded: forgotten when its session answers otherwise,
 * all of it past HINTS_KEPT sessions.
 */
import type { Exchange } from "./types";

/** Sessions remembered at most (each an id and a number); past this the hints start over. */
const HINTS_KEPT = 10_000;

/** Session id → the seq of its next /send, when that one may be answered 0x01 alone. */
const quietNext = new Map<string, number>();

/** Whether `/send/<id>/<seq>` (its body not there yet) may be answered 0x01 alone and served in one call. */
export function mayAnswerQuietly(id: string, seq: number): boolean {
  return quietNext.get(id) === seq;
}

/** Takes the session's answer to a request as the hint for its next /send (none: forget the session). */
export function noteAnswer(id: string, answer: Exchange): void {
  noteNext(id, answer.kind === "reply" ? answer.quietNext : undefined);
}

/** The seq of the session's next /send that may be answered 0x01 alone, or undefined: forget the session. */
export function noteNext(id: string, next: number | undefined): void {
  if (next === undefined) {
    quietNext.delete(id);
    return;
  }
  if (quietNext.size >= HINTS_KEPT && !quietNext.has(id)) quietNext.clear();
  quietNext.set(id, next);
}

/** How many sessions have a hint (for tests). */
export function quietHints(): number {
  return quietNext.size;
}
