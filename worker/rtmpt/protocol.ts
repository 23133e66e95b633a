/**
 * Pure RTMPT facts (no hono, no cloudflare:*): the request path grammar, the polling byte ladder and
 * session ids. RTMPT as FFmpeg (libavformat/rtmphttp.c), rtmpdump (librtmp/rtmp.c), Red5
 * (RTMPTServlet.java), HaishinKit (Sources/RTMP/RTMPTSocket.swift) and RootEncoder
 * (TcpTunneledSocket.kt) speak it: every request is a POST with `Content-Type: application/x-fcs`;
 * `/fcs/ident2`, `/open/1` (body 0x00, or none from RootEncoder; reply `<id>\n`), then
 * `/send|idle|close/<id>/<seq>`. `/close/<id>` may come without a seq: HaishinKit (1.9.8
 * RTMPTSocket.swift:119, empty body) and RootEncoder (TcpTunneledSocket.kt:169, body 0x00) send it so.
 */

import { toHex } from "../shared/hex";

export const RTMPT_PREFIXES = ["fcs", "open", "send", "idle", "close"] as const;
export const RTMPT_CONTENT_TYPE = "application/x-fcs";

/** Session ids: letters and digits, short enough for ffmpeg's 63-byte read (we never exceed 64). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;
/** Sequence numbers are decimal counters; 10 digits is beyond any real session. */
const SEQ_PATTERN = /^\d{1,10}$/;

export type RtmptRequest =
  | { kind: "fcs"; path: string }
  | { kind: "open"; path: string }
  | { kind: "send" | "idle"; path: string; id: string; seq: number }
  /** `seq` null: `/close/<id>` without a sequence number. */
  | { kind: "close"; path: string; id: string; seq: number | null };

export type RtmptParse = { ok: true; request: RtmptRequest } | { ok: false; status: 400 | 404; message: string };

/** Parses an RTMPT request path, one whose first segment is one of RTMPT_PREFIXES (routes/rtmpt.ts). */
export function parseRtmptPath(pathname: string): RtmptParse {
  const parts = pathname.split("/").slice(1);
  const [prefix, a, b, ...rest] = parts;
  const bad = (message: string): RtmptParse => ({ ok: false, status: 400, message });
  switch (prefix) {
    case "fcs":
      // Flash asks /fcs/ident2 (and historically /fcs/ident); anything short and plain is allowed through.
      if (a === undefined || b !== undefined || !/^[A-Za-z0-9]{1,16}$/.test(a))
        return { ok: false, status: 404, message: "Not found" };
      return { ok: true, request: { kind: "fcs", path: pathname } };
    case "open":
      if (a === undefined || b !== undefined || !/^\d{1,3}$/.test(a)) return bad("Bad RTMPT open path (expected /open/1)");
      return { ok: true, request: { kind: "open", path: pathname } };
    case "send":
    case "idle":
    case "close": {
      const seqless = prefix === "close" && a !== undefined && b === undefined;
      if (a === undefined || (b === undefined && !seqless) || rest.length > 0)
        return bad(`Bad RTMPT path (expected /${prefix}/<session>/<seq>)`);
      if (!SESSION_ID_PATTERN.test(a)) return bad("Bad RTMPT session id");
      if (b === undefined) return { ok: true, request: { kind: "close", path: pathname, id: a, seq: null } };
      if (!SEQ_PATTERN.test(b)) return bad("Bad RTMPT sequence number");
      return { ok: true, request: { kind: prefix, path: pathname, id: a, seq: Number(b) } };
    }
    default:
      return { ok: false, status: 404, message: "Not found" };
  }
}

/**
 * The polling byte that starts every /open-less reply tells the client how long to wait before its
 * next idle poll. Red5's ladder: 0x01 while data flows, doubling after more than 10 empty polls.
 */
export const POLL_LADDER = [0x01, 0x03, 0x05, 0x09, 0x11, 0x21] as const;
const EMPTY_POLLS_BEFORE_BACKOFF = 10;
/** What one unit of the polling byte means to the slowest client: HaishinKit waits byte × 100 ms. */
export const POLL_UNIT_MS = 100;

export interface PollState {
  /** Index into POLL_LADDER. */
  step: number;
  /** Consecutive replies that carried no data. */
  emptyReplies: number;
}

export const INITIAL_POLL_STATE: PollState = { step: 0, emptyReplies: 0 };

/** Advances the ladder after a reply that did (`hadData`) or did not carry origin bytes. */
export function nextPollState(state: PollState, hadData: boolean): PollState {
  if (hadData) return { step: 0, emptyReplies: 0 };
  const emptyReplies = state.emptyReplies + 1;
  if (emptyReplies > EMPTY_POLLS_BEFORE_BACKOFF && state.step < POLL_LADDER.length - 1) {
    return { step: state.step + 1, emptyReplies: 0 };
  }
  return { step: state.step, emptyReplies };
}

export function pollingByte(state: PollState): number {
  return POLL_LADDER[Math.min(state.step, POLL_LADDER.length - 1)] ?? 0x01;
}

/** A new unguessable session id: 128 random bits as 32 lowercase hex digits. */
export function newSessionId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
