/**
 * Gateway mode: one Durable Object per RTMPT session, bridging it to plain RTMP over TCP.
 * (Skeleton; the bridge lands with the gateway issue.)
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class RtmptSession extends DurableObject<Env> {}
