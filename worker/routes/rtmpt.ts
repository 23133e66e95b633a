/**
 * The five RTMPT prefixes (/fcs /open /send /idle /close, rtmpt/protocol.ts), routed by Hono on the
 * first path segment: 404 while RTMPT is off, 405 for anything but POST, then the path grammar, the
 * body cap (http/body.ts) and the per-client limit on /open, then proxy mode (rtmpt/proxy/) or gateway
 * mode (rtmpt/gateway/).
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app";
import { contentLengthProblem } from "../http/body";
import { PLAIN_TEXT } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";
import { gatewayRtmpt } from "../rtmpt/gateway/route";
import { parseRtmptPath, RTMPT_PREFIXES } from "../rtmpt/protocol";
import { proxyRtmpt } from "../rtmpt/proxy/route";

export const rtmpt = new Hono<AppEnv>();

/** `/open` and everything under it (`/open/1`), for each prefix; `/opened` is not matched. */
const PATHS = RTMPT_PREFIXES.map((prefix) => `/${prefix}/*`);

async function serve(c: Context<AppEnv>): Promise<Response> {
  const config = c.get("config");
  const parsed = parseRtmptPath(c.req.path);
  if (!parsed.ok) return c.text(`${parsed.message}\n`, parsed.status, PLAIN_TEXT);
  const length = contentLengthProblem(c.req.header("content-length"), config.maxBody);
  if (length) return c.text(`${length.message}\n`, length.status, PLAIN_TEXT);
  if (parsed.request.kind === "open") {
    const limited = await limitNewSession(c.env.SESSION_LIMITER, "rtmpt-open", c.req.raw);
    if (limited) return limited;
  }
  return config.rtmptMode === "proxy" ? proxyRtmpt(c, parsed.request) : gatewayRtmpt(c, parsed.request);
}

for (const path of PATHS) {
  rtmpt.use(path, async (c, next) => {
    if (c.get("config").rtmptMode === "off") return c.text("RTMPT is not enabled on this host\n", 404, PLAIN_TEXT);
    await next();
  });
  rtmpt.post(path, serve);
  rtmpt.all(path, (c) => c.text("Method not allowed: RTMPT uses POST\n", 405, { ...PLAIN_TEXT, Allow: "POST" }));
}
