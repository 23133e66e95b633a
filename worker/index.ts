/**
 * Porthole's composition root: validates config once, mounts one sub-app per concern, and hands
 * everything else to the static assets (the PWA). See ../README.md (Architecture).
 */
import { Hono } from "hono";
import type { AppEnv } from "./app";
import { ConfigError, type Env, getConfig } from "./env";
import { logRejection } from "./http/rejections";
import { serveAsset } from "./http/security";
import { health } from "./routes/health";
import { live } from "./routes/live";
import { push } from "./routes/push";
import { rtmpt } from "./routes/rtmpt";
import { rtmptFastPath } from "./routes/rtmpt-fast-path";
import { upload } from "./routes/upload";
import { wellKnown } from "./routes/well-known";
import { xmpp } from "./routes/xmpp";
import { logEvent } from "./shared/log";

export { LiveStream } from "./live/live-stream";
export { PushHub } from "./push/push-hub";
export { RtmptSession } from "./rtmpt/gateway/session";

/**
 * Routes match the path as the URL parser leaves it (dot segments resolved, percent-escapes kept), the
 * same path the handlers parse: `/%6Fpen/1` is not `/open/1` to the router either.
 */
const app = new Hono<AppEnv>({ getPath: (request) => new URL(request.url).pathname });

app.use("*", async (c, next) => {
  const config = getConfig(c.env);
  if (config instanceof ConfigError) {
    return c.text(`Porthole is misconfigured: ${config.message}\n`, 500, { "Cache-Control": "no-store" });
  }
  c.set("config", config);
  await next();
  await logRejection(c.req.raw, c.res);
});

app.route("/", health);
app.route("/", rtmpt);
app.route("/", live);
app.route("/", xmpp);
app.route("/", upload);
app.route("/", push);
app.route("/", wellKnown);

app.all("*", (c) => {
  // Static assets never read a request body, and a streamed one cannot be replayed when the assets
  // layer follows a redirect (that threw: a 500 for e.g. a chunked POST to /x.php with Upgrade headers).
  const raw = c.req.raw;
  const request = raw.body ? new Request(raw.url, { method: raw.method, headers: raw.headers }) : raw;
  return serveAsset(request, c.env.ASSETS, c.get("config"));
});

app.onError((err, c) => {
  logEvent("unhandled_error", { path: new URL(c.req.url).pathname, message: String(err) }, "error");
  return c.text("Internal error\n", 500);
});

/** The router alone, without the RTMPT fast path in front (tests compare the two). */
export const routed = app.fetch;

// Proxy mode's RTMPT requests skip the router (routes/rtmpt-fast-path.ts: same checks, answers and logs).
app.fetch = (request, env, ctx) => rtmptFastPath(request, env as Env) ?? routed(request, env, ctx);

export default app;
