/**
 * The worker's outbound TCP connection: to an rtmp:// origin for an RTMPT gateway session
 * (rtmpt/gateway/) and a live stream (live/live-stream.ts), to the XMPP server for the push component
 * (push/component.ts). Tries the origins in the given order (`connect()` from cloudflare:sockets, plain
 * TCP unless an origin asks for TLS from the first byte) and keeps the first that accepts within the
 * timeout. Logs nothing: each caller logs its own event with the failures.
 */
import { connect } from "cloudflare:sockets";
import { bounded, TIMED_OUT } from "./bounded";

/** The part of a cloudflare:sockets Socket that RTMP over TCP uses (also what unit tests hand in). */
export interface ByteSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): Promise<void>;
}

export interface TcpOrigin {
  host: string;
  port: number;
  /** TLS from the first byte (a `tls://` address); plain TCP when absent. */
  tls?: boolean;
}

/** The connected socket and its `host:port`, or none; `failures` says why each origin before it did not. */
export type Connected = { socket: ByteSocket; origin: string; failures: string[] } | { socket: null; failures: string[] };

/**
 * Connects to the first origin (in the given order) that accepts within `timeoutMs`. `open` is
 * cloudflare:sockets' `connect()`, or a stand-in whose sockets open, refuse or hang on demand.
 */
export async function connectFirst(
  origins: readonly TcpOrigin[],
  timeoutMs: number,
  open: typeof connect = connect,
): Promise<Connected> {
  const failures: string[] = [];
  for (const o of origins) {
    const origin = `${o.host}:${o.port}`;
    const socket = open({ hostname: o.host, port: o.port }, { secureTransport: o.tls ? "on" : "off", allowHalfOpen: false });
    let problem: string | null;
    try {
      problem = (await bounded(timeoutMs, () => socket.opened)) === TIMED_OUT ? `no answer within ${timeoutMs} ms` : null;
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
    if (problem === null) return { socket, origin, failures };
    failures.push(`${origin}: ${problem}`);
    socket.close().catch(() => {});
  }
  return { socket: null, failures };
}
