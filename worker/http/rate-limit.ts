/**
 * Per-client limit on new sessions: each RTMPT `/open` (a proxied origin session, or in gateway mode a
 * Durable Object and a TCP connect) and each XMPP WebSocket upgrade (an upstream connection) costs the
 * host something, so one address may start at most `limit` of each kind per `period` seconds. Uses the
 * Workers rate-limiting binding `SESSION_LIMITER` (wrangler.toml `[[ratelimits]]`, enforced per
 * Cloudflare location); without the binding there is no limit. Requests within a session (/send, /idle,
 * XMPP frames) are never counted.
 *
 * The key is the client address Cloudflare observed (`CF-Connecting-IP`, which clients cannot set at the
 * edge); an IPv6 client is keyed by its /64, since one host usually holds a whole /64. A limiter that fails
 * lets the request through (logged once per isolate): an outage of the limiter must not take the edge down.
 */

import { logEvent } from "../shared/log";
import { PLAIN_TEXT } from "./headers";

export type SessionKind = "rtmpt-open" | "xmpp-connect" | "live-view" | "push-register";

/** The `[[ratelimits]]` period in wrangler.toml, in seconds (Retry-After of a 429). */
const LIMIT_PERIOD_S = 60;

let limiterFailed = false;

/** `CF-Connecting-IP` reduced to the unit one client controls: the IPv4 address, or the IPv6 /64. */
export function clientKey(address: string | null | undefined): string {
  const ip = (address ?? "").trim().toLowerCase();
  if (ip === "") return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(ip)) return ip;
  if (!/^[0-9a-f:.]{2,45}$/.test(ip) || !ip.includes(":")) return "unknown";
  const [head = "", tail] = ip.split("::", 2);
  const front = head === "" ? [] : head.split(":");
  const back = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined ? front : [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(":")}::/64`;
}

/**
 * Counts one new session of `kind` for the request's client. Returns a 429 to answer when over the
 * limit, or null to go on.
 */
export async function limitNewSession(
  limiter: RateLimit | undefined,
  kind: SessionKind,
  request: Request,
): Promise<Response | null> {
  if (!limiter) return null;
  const key = `${kind}:${clientKey(request.headers.get("cf-connecting-ip"))}`;
  try {
    const { success } = await limiter.limit({ key });
    if (success) return null;
  } catch (err) {
    if (!limiterFailed) {
      limiterFailed = true;
      logEvent("rate_limiter_error", { message: String(err).slice(0, 200) }, "error");
    }
    return null;
  }
  const what = kind === "rtmpt-open" ? "RTMPT sessions" : kind === "live-view" ? "live stream connections" : "XMPP connections";
  return new Response(`Too many new ${what} from your address; try again in a minute\n`, {
    status: 429,
    headers: { ...PLAIN_TEXT, "Retry-After": String(LIMIT_PERIOD_S) },
  });
}
