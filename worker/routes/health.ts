/**
 * `/healthz`: liveness, a summary of the active configuration (never secrets, never the upstream
 * addresses beyond the RTMPT origins the operator listed), the build label of the served PWA
 * (`build`, health/build-id.ts), and whether each enabled upstream answers: `rtmpt.probe` per origin
 * (health/rtmpt-probe.ts) and `xmpp.up` (health/xmpp-probe.ts), probed in parallel, each bounded by 2 s
 * and cached for a few seconds per isolate.
 *
 * 200 with `ok: true` while every enabled upstream is reachable at least in part; 503 with `ok: false`
 * when one is entirely unreachable (the XMPP upstream is down, or every RTMPT origin is), so that a load
 * balancer or monitor can act on the status alone. The JSON says which.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { buildId } from "../health/build-id";
import { originName, probeOrigins } from "../health/rtmpt-probe";
import { probeXmpp } from "../health/xmpp-probe";

export const health = new Hono<AppEnv>();

health.get("/healthz", async (c) => {
  const config = c.get("config");
  const [probe, xmpp, build] = await Promise.all([
    config.rtmptMode === "off" ? undefined : probeOrigins(config),
    config.xmppWebSocketUrl ? probeXmpp(config.xmppWebSocketUrl) : undefined,
    buildId(c.env.ASSETS),
  ]);
  const up = probe?.filter((p) => p.up).length;
  const ok = up !== 0 && xmpp?.up !== false;
  return c.json(
    {
      ok,
      build,
      rtmpt: {
        mode: config.rtmptMode,
        origins: config.origins.map(originName),
        ...(probe ? { probe, up } : {}),
      },
      xmpp: { enabled: xmpp !== undefined, ...xmpp },
    },
    ok ? 200 : 503,
    { "Cache-Control": "no-store" },
  );
});
