/**
 * The five RTMPT prefixes (/fcs /open /send /idle /close, rtmpt/protocol.ts), routed by Hono on the
 * first path segment: 404 while RTMPT is off, 405 for anything but POST, then the path grammar, the
 * body cap (http/body.ts) and the per-client limit on /open, then proxy mode (rtmpt/proxy/) or gateway
 * mode (rtmpt/gateway/). In proxy mode the same checks and handler also run ahead of the router
 * (rtmpt-fast-path.ts), for the POSTs that would reach `serve` here.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app";
import type { Config, Env } from "../env";
import { contentLengthProblem } from "../http/body";
import { PLAIN_TEXT } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";
import { gatewayRtmpt } from "../rtmpt/gateway/route";
import { parseRtmptPath, RTMPT_PREFIXES, type RtmptRequest } from "../rtmpt/protocol";
import { proxyRtmpt } from "../rtmpt/proxy/route";

export const rtmpt = new Hono<AppEnv>();

/** `/open` and everything under it (`/open/1`), for each prefix; `/opened` is not matched. */
const PATHS = RTMPT_PREFIXES.map((prefix) => `/${prefix}/*`);

function refusal(message: string, status: number): Response {
  return new Response(`${message}\n`, { status, headers: PLAIN_TEXT });
}

/**
 * The checks every RTMPT POST passes in both modes: the path grammar, the announced Content-Length
 * against the cap, and on `/open` the per-client limit on new sessions. The parsed request, or the
 * refusal to answer.
 */
export function checkRtmpt(
  raw: Request,
  path: string,
  env: Env,
  config: Config,
): RtmptRequest | Promise<RtmptRequest | Response> | Response {
  const parsed = parseRtmptPath(path);
  if (!parsed.ok) return refusal(parsed.message, parsed.status);
  const length = contentLengthProblem(raw.headers.get("content-length") ?? undefined, config.maxBody);
  if (length) return refusal(length.message, length.status);
  const request = parsed.request;
  if (request.kind !== "open") return request;
  return limitNewSession(env.SESSION_LIMITER, "rtmpt-open", raw).then((limited) => limited ?? request);
}

/** An RTMPT POST in proxy mode: the checks, then the proxy. `url` is the request's, parsed once. */
export async function serveProxy(raw: Request, url: URL, env: Env, config: Config): Promise<Response> {
  const pending = checkRtmpt(raw, url.pathname, env, config);
  const checked = pending instanceof Promise ? await pending : pending;
  if (checked instanceof Response) return checked;
  return proxyRtmpt(raw, url, config, checked);
}

async function serve(c: Context<AppEnv>): Promise<Response> {
  const config = c.get("config");
  const raw = c.req.raw;
  if (config.rtmptMode === "proxy") return serveProxy(raw, new URL(raw.url), c.env, config);
  const checked = await checkRtmpt(raw, c.req.path, c.env, config);
  if (checked instanceof Response) return checked;
  return gatewayRtmpt(c, checked);
}

for (const path of PATHS) {
  rtmpt.use(path, async (c, next) => {
    if (c.get("config").rtmptMode === "off") return c.text("RTMPT is not enabled on this host\n", 404, PLAIN_TEXT);
    await next();
  });
  rtmpt.post(path, serve);
  rtmpt.all(path, (c) => c.text("Method not allowed: RTMPT uses POST\n", 405, { ...PLAIN_TEXT, Allow: "POST" }));
}
