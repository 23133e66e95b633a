/** Proxy mode: ProxyPass + ProxyPassReverse of RTMPT to http(s) origins. (Lands with the proxy issue.) */
import type { Context } from "hono";
import type { AppEnv } from "../app";
import type { RtmptRequest } from "./protocol";

export async function proxyRtmpt(c: Context<AppEnv>, _request: RtmptRequest): Promise<Response> {
  return c.text("RTMPT proxy mode is not implemented yet\n", 501);
}
