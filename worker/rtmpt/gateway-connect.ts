/**
 * Gateway mode: the TCP connection to an RTMP origin for a new session. Tries the configured origins in
 * the given order (`connect()` from cloudflare:sockets, plain TCP) and keeps the first that accepts within
 * the timeout; logs a failover or a total failure as one log record each.
 */
import { connect } from "cloudflare:sockets";
import type { ByteSocket, GatewayOrigin } from "./gateway-types";

export type Connected = { socket: ByteSocket; origin: string; failures: string[] } | { socket: null; failures: string[] };

/** Connects to the first origin (in the given order) that accepts within `timeoutMs`. */
export async function connectFirst(origins: GatewayOrigin[], timeoutMs: number): Promise<Connected> {
  const failures: string[] = [];
  for (const o of origins) {
    const origin = `${o.host}:${o.port}`;
    const socket = connect({ hostname: o.host, port: o.port }, { secureTransport: "off", allowHalfOpen: false });
    try {
      await withTimeout(socket.opened, timeoutMs, `no answer within ${timeoutMs} ms`);
    } catch (err) {
      failures.push(`${origin}: ${err instanceof Error ? err.message : String(err)}`);
      socket.close().catch(() => {});
      continue;
    }
    if (failures.length > 0) logEvent("rtmpt_gateway_failover", { failures });
    return { socket, origin, failures };
  }
  logEvent("rtmpt_gateway_open_failed", { failures });
  return { socket: null, failures };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** One log record (an object, so Workers Logs indexes its fields) per session event, at info level. */
export function logEvent(event: string, fields: Record<string, unknown>): void {
  console.info({ event, ...fields });
}
