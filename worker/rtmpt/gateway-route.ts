/** Gateway mode, request side: routes an RTMPT request to its session's Durable Object. (Lands with the gateway issue.) */
import type { Context } from "hono";
import type { AppEnv } from "../app";
import type { RtmptRequest } from "./protocol";

export async function gatewayRtmpt(c: Context<AppEnv>, _request: RtmptRequest): Promise<Response> {
  return c.text("RTMPT gateway mode is not implemented yet\n", 501);
}
