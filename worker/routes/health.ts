/**
 * `/healthz`: liveness and a summary of the active configuration (never secrets), plus which RTMPT
 * origins answer (`rtmpt.probe`): in proxy mode one `POST /fcs/ident2` per origin (what Flash sends
 * first; Red5 answers 404, any HTTP status means "up"), in gateway mode a TCP connect that is closed at
 * once (`cloudflare:sockets`). In parallel, each bounded by min(2 s, RTMPT_ORIGIN_TIMEOUT_MS), cached for
 * a few seconds per isolate so that /healthz cannot be used to flood the origins. The answer is 200
 * whatever the origins say (the worker itself is alive).
 */
import { connect } from "cloudflare:sockets";
import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Config, Origin } from "../env";

export const health = new Hono<AppEnv>();

const PROBE_TIMEOUT_MS = 2000;
const CACHE_MS = 3000;

export interface OriginProbe {
  origin: string;
  up: boolean;
  /** The HTTP status the origin answered, when it did. */
  status?: number;
  /** Why it is down: "timeout" or "unreachable". */
  error?: string;
}

let cache: { key: string; at: number; probes: OriginProbe[] } | undefined;

function originName(o: Origin): string {
  return o.url.origin === "null" ? `${o.url.protocol}//${o.url.host}` : o.url.origin;
}

/** Resolves with the outcome of `work`, or "timeout" after `ms` (the work is then abandoned via `abort`). */
async function bounded<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T | "timeout"> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function probeOrigin(o: Origin, mode: Config["rtmptMode"], timeoutMs: number): Promise<OriginProbe> {
  const origin = originName(o);
  try {
    if (mode === "gateway") {
      const socket = connect({ hostname: o.host, port: o.port });
      const outcome = await bounded(timeoutMs, () => socket.opened);
      socket.close().catch(() => {});
      return outcome === "timeout" ? { origin, up: false, error: "timeout" } : { origin, up: true };
    }
    const outcome = await bounded(timeoutMs, async (signal) => {
      const res = await fetch(`${origin}/fcs/ident2`, {
        method: "POST",
        body: new Uint8Array([0]),
        headers: { "content-type": "application/x-fcs", "user-agent": "Porthole-healthz" },
        signal,
        redirect: "manual",
      });
      await res.body?.cancel();
      return res.status;
    });
    return outcome === "timeout" ? { origin, up: false, error: "timeout" } : { origin, up: true, status: outcome };
  } catch {
    return { origin, up: false, error: "unreachable" };
  }
}

async function probeAll(config: Config): Promise<OriginProbe[]> {
  const key = `${config.rtmptMode} ${config.origins.map(originName).join(",")}`;
  if (cache && cache.key === key && Date.now() - cache.at < CACHE_MS) return cache.probes;
  const timeoutMs = Math.min(PROBE_TIMEOUT_MS, config.originTimeoutMs);
  const probes = await Promise.all(config.origins.map((o) => probeOrigin(o, config.rtmptMode, timeoutMs)));
  cache = { key, at: Date.now(), probes };
  return probes;
}

health.get("/healthz", async (c) => {
  const config = c.get("config");
  const probe = config.rtmptMode === "off" ? undefined : await probeAll(config);
  return c.json(
    {
      ok: true,
      rtmpt: {
        mode: config.rtmptMode,
        origins: config.origins.map(originName),
        ...(probe ? { probe, up: probe.filter((p) => p.up).length } : {}),
      },
      xmpp: { enabled: config.xmppWebSocketUrl !== null },
    },
    200,
    { "Cache-Control": "no-store" },
  );
});
