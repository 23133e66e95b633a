/** `/healthz`: liveness and a summary of the active configuration (never secrets). */
import { Hono } from "hono";
import type { AppEnv } from "../app";

export const health = new Hono<AppEnv>();

health.get("/healthz", (c) => {
  const config = c.get("config");
  return c.json(
    {
      ok: true,
      rtmpt: {
        mode: config.rtmptMode,
        origins: config.origins.map((o) => (o.url.origin === "null" ? `${o.url.protocol}//${o.url.host}` : o.url.origin)),
      },
      xmpp: { enabled: config.xmppWebSocketUrl !== null },
    },
    200,
    { "Cache-Control": "no-store" },
  );
});
