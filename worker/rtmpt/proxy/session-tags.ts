/**
 * Proxy mode, pure part (no hono, no cloudflare:*; only Web Crypto): sticky-session tags that let every
 * later request of a session find the origin that opened it without shared state (which origin a new
 * session tries first, and then, is rotation.ts), and the origin's `/open` reply.
 *
 * Public session id = <i><mac><originId>, letters and digits only (RTMPT session ids are path segments;
 * FFmpeg's rtmphttp.c reads at most 63 bytes of the `/open` reply `<id>\n`, so the public id stays <= 62):
 *   i        origin index, one hex digit (so RTMPT_ORIGINS holds at most MAX_ORIGINS = 16, rotation.ts)
 *   mac      first 12 hex digits (48 bits) of HMAC-SHA256(RTMPT_TAG_SECRET, "<origin URL>\n<originId>")
 *   originId the id the origin answered to `/open` (Red5, Wowza and AMS use short alphanumeric ids)
 * The MAC binds the id to the origin's URL, so a forged tag, an id moved to another origin, or an id
 * minted before RTMPT_ORIGINS changed is rejected instead of reaching the wrong server.
 */

import { toHex } from "../../shared/hex";
import { MAX_ORIGINS } from "../rotation";

export interface TaggableOrigin {
  index: number;
  url: URL;
}

const MAC_HEX = 12;
export const TAG_LENGTH = 1 + MAC_HEX;
/** ffmpeg reads 63 bytes of the `/open` reply, which ends in `\n`. */
export const MAX_PUBLIC_ID = 62;
export const MAX_ORIGIN_ID = MAX_PUBLIC_ID - TAG_LENGTH;
const ORIGIN_ID = /^[A-Za-z0-9]+$/;

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, origin: TaggableOrigin, originId: string): Promise<string> {
  const data = new TextEncoder().encode(`${origin.url.protocol}//${origin.url.host}\n${originId}`);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), data));
  return toHex(sig.subarray(0, MAC_HEX / 2));
}

/** Equal-time comparison of two strings of the same length. */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The public id for an origin's session id, or null when the origin id is unusable (not alphanumeric, too long). */
export async function tagSessionId(secret: string, origin: TaggableOrigin, originId: string): Promise<string | null> {
  if (!ORIGIN_ID.test(originId) || originId.length > MAX_ORIGIN_ID) return null;
  if (origin.index < 0 || origin.index >= MAX_ORIGINS) return null;
  return `${origin.index.toString(16)}${await mac(secret, origin, originId)}${originId}`;
}

/**
 * Public ids whose MAC was checked, per secret and origin: the MAC is a function of exactly these, so a
 * hit is the same verdict without the HMAC every request of a session would otherwise recompute.
 * Bounded: emptied when full (a miss only costs one HMAC).
 */
const verified = new Set<string>();
const VERIFIED_MAX = 4096;

export type Untagged<O extends TaggableOrigin> =
  | { ok: true; origin: O; originId: string }
  | { ok: false; status: 400 | 404; message: string };

/**
 * Checks a public session id and returns the origin that owns it and the origin's own id: at once when
 * the id's MAC was checked before (every request of a session after its first), else after the HMAC.
 */
export function untagSessionId<O extends TaggableOrigin>(
  secret: string,
  origins: readonly O[],
  publicId: string,
): Untagged<O> | Promise<Untagged<O>> {
  if (publicId.length <= TAG_LENGTH || publicId.length > MAX_PUBLIC_ID || !ORIGIN_ID.test(publicId)) {
    return { ok: false, status: 400, message: "Bad RTMPT session id" };
  }
  const index = Number.parseInt(publicId.charAt(0), 16);
  const origin = origins.find((o) => o.index === index);
  if (Number.isNaN(index) || !origin) return UNKNOWN;
  const originId = publicId.slice(TAG_LENGTH);
  const key = `${secret}\n${origin.url.protocol}//${origin.url.host}\n${publicId}`;
  if (verified.has(key)) return { ok: true, origin, originId };
  return verify(secret, origin, originId, publicId, key);
}

const UNKNOWN = { ok: false, status: 404, message: "Unknown RTMPT session" } as const;

async function verify<O extends TaggableOrigin>(
  secret: string,
  origin: O,
  originId: string,
  publicId: string,
  key: string,
): Promise<Untagged<O>> {
  const expected = await mac(secret, origin, originId);
  if (!same(expected, publicId.slice(1, TAG_LENGTH))) return UNKNOWN;
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.add(key);
  return { ok: true, origin, originId };
}

/**
 * Parses an origin's `/open` reply: the session id, then the line end the origin used (`\n` for Red5 and
 * Wowza), which the worker keeps so the client sees the same framing. Null when it is not an id.
 */
export function parseOpenReply(body: Uint8Array): { id: string; trailer: string } | null {
  if (body.length === 0 || body.length > 256) return null;
  const text = String.fromCharCode(...body);
  const m = /^([A-Za-z0-9]+)(\r?\n)?$/.exec(text);
  if (!m?.[1]) return null;
  return { id: m[1], trailer: m[2] ?? "" };
}
