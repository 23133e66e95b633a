/**
 * Gateway mode: the types shared by the session Durable Object (session.ts) and the request side
 * (route.ts): its RPC results (RTMPT as in Red5's RTMPTServlet), and the socket it holds and the
 * origins it tries (shared/connect-first.ts).
 */

export type { ByteSocket, TcpOrigin } from "../../shared/connect-first";

export type OpenResult = { ok: true; origin: string } | { ok: false; message: string };

export type Exchange =
  /**
   * 200: polling byte + origin bytes (or 0x00 for /close), `application/x-fcs`; `ticket` from `begin`;
   * `quietNext`: the seq of the next /send when nothing waits for the client (quiet-sends.ts).
   */
  | { kind: "reply"; body: Uint8Array; ticket?: number; quietNext?: number }
  /** A /send that reuses a served seq: read its body, then call `send` (it may be a replay). */
  | { kind: "need-body" }
  /** 404: no such session (unknown, expired, closed, origin gone). */
  | { kind: "gone"; message: string }
  /** 400: the request does not fit the session's sequence. */
  | { kind: "bad"; message: string };
