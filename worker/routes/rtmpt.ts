/**
 * The five RTMPT prefixes (/fcs /open /send /idle /close): shared checks (mode, method, path
 * grammar, body cap, per-client limit on /open), then proxy mode (rtmpt/proxy.ts) or gateway mode (rtmpt/gateway-route.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { PLAIN_TEXT } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";
import { gatewayRtmpt } from "../rtmpt/gateway-route";
import { isRtmptPath, parseRtmptPath } from "../rtmpt/protocol";
import { proxyRtmpt } from "../rtmpt/proxy";

export const rtmpt = new Hono<AppEnv>();

rtmpt.all("*", async (c, next) => {
  const pathname = new URL(c.req.url).pathname;
  if (!isRtmptPath(pathname)) return next();
  const config = c.get("config");
  if (config.rtmptMode === "off") return c.text("RTMPT is not enabled on this host\n", 404, PLAIN_TEXT);
  if (c.req.method !== "POST") return c.text("Method not allowed: RTMPT uses POST\n", 405, { ...PLAIN_TEXT, Allow: "POST" });
  const parsed = parseRtmptPath(pathname);
  if (!parsed.ok) return c.text(`${parsed.message}\n`, parsed.status, PLAIN_TEXT);
  const length = c.req.header("content-length");
  if (length !== undefined && (!/^\d{1,20}$/.test(length) || Number(length) > config.maxBody)) {
    return c.text(
      /^\d{1,20}$/.test(length) ? "Request body too large\n" : "Bad Content-Length\n",
      /^\d{1,20}$/.test(length) ? 413 : 400,
      PLAIN_TEXT,
    );
  }
  if (parsed.request.kind === "open") {
    const limited = await limitNewSession(c.env.SESSION_LIMITER, "rtmpt-open", c.req.raw);
    if (limited) return limited;
  }
  return config.rtmptMode === "proxy" ? proxyRtmpt(c, parsed.request) : gatewayRtmpt(c, parsed.request);
});
