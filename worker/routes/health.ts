/**
 * `/healthz`: liveness and a summary of the active configuration (never secrets). In RTMPT proxy mode it
 * also reports which origins answer HTTP: one `POST /fcs/ident2` per origin (what Flash sends first; Red5
 * answers 404, any HTTP status means "up"), in parallel, each bounded by min(2 s, RTMPT_ORIGIN_TIMEOUT_MS),
 * and cached for a few seconds per isolate so that /healthz cannot be used to flood the origins.
 * The answer is 200 whatever the origins say (the worker itself is alive); read `rtmpt.probe`.
 */
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

async function probeOrigin(o: Origin, timeoutMs: number): Promise<OriginProbe> {
  const origin = originName(o);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const res = await fetch(`${origin}/fcs/ident2`, {
      method: "POST",
      body: new Uint8Array([0]),
      headers: { "content-type": "application/x-fcs", "user-agent": "Porthole-healthz" },
      signal: controller.signal,
      redirect: "manual",
    });
    await res.body?.cancel();
    return { origin, up: true, status: res.status };
  } catch {
    return { origin, up: false, error: timedOut ? "timeout" : "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

async function probeAll(config: Config): Promise<OriginProbe[]> {
  const key = config.origins.map(originName).join(",");
  if (cache && cache.key === key && Date.now() - cache.at < CACHE_MS) return cache.probes;
  const timeoutMs = Math.min(PROBE_TIMEOUT_MS, config.originTimeoutMs);
  const probes = await Promise.all(config.origins.map((o) => probeOrigin(o, timeoutMs)));
  cache = { key, at: Date.now(), probes };
  return probes;
}

health.get("/healthz", async (c) => {
  const config = c.get("config");
  const probe = config.rtmptMode === "proxy" ? await probeAll(config) : undefined;
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
