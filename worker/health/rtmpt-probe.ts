/**
 * /healthz's probe of the RTMPT origins: in proxy mode one `POST /fcs/ident2` per origin (what Flash
 * sends first; Red5 answers 404, any HTTP status means "up"), in gateway mode a TCP connect that is
 * closed at once (`cloudflare:sockets`). In parallel, each bounded by min(2 s, RTMPT_ORIGIN_TIMEOUT_MS).
 */
import { connect } from "cloudflare:sockets";
import type { Config, Origin } from "../env";
import { bounded, TIMED_OUT } from "../shared/bounded";
import { cachedProbe, httpProbe, PROBE_TIMEOUT_MS, type ProbeResult } from "./probe";

export interface OriginProbe extends ProbeResult {
  origin: string;
}

export function originName(o: Origin): string {
  return o.url.origin === "null" ? `${o.url.protocol}//${o.url.host}` : o.url.origin;
}

async function probeOrigin(o: Origin, mode: Config["rtmptMode"], timeoutMs: number): Promise<OriginProbe> {
  const origin = originName(o);
  if (mode === "gateway") {
    try {
      const socket = connect({ hostname: o.host, port: o.port });
      const outcome = await bounded(timeoutMs, () => socket.opened);
      socket.close().catch(() => {});
      return outcome === TIMED_OUT ? { origin, up: false, error: "timeout" } : { origin, up: true };
    } catch {
      return { origin, up: false, error: "unreachable" };
    }
  }
  const result = await httpProbe(timeoutMs, (signal) =>
    fetch(`${origin}/fcs/ident2`, {
      method: "POST",
      body: new Uint8Array([0]),
      headers: { "content-type": "application/x-fcs", "user-agent": "Porthole-healthz" },
      signal,
      redirect: "manual",
    }),
  );
  return { origin, ...result };
}

/** Every origin's probe, in RTMPT_ORIGINS order (cached for a few seconds per isolate). */
export const probeOrigins = cachedProbe(
  (config: Config) => `${config.rtmptMode} ${config.origins.map(originName).join(",")}`,
  (config: Config) => {
    const timeoutMs = Math.min(PROBE_TIMEOUT_MS, config.originTimeoutMs);
    return Promise.all(config.origins.map((o) => probeOrigin(o, config.rtmptMode, timeoutMs)));
  },
);
