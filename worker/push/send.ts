/**
 * Sends one Web Push message (RFC 8030 §5): a POST of the aes128gcm body (RFC 8291) to the
 * subscription's endpoint with VAPID authorization (RFC 8292), `TTL`, `Urgency: high` and, per
 * conversation, a `Topic` (§5.4) so the push service keeps only the latest undelivered one.
 * Outcomes (RFC 8030 §5, §6.2, §8.3): 201/2xx sent; 404/410 the subscription is gone (drop it);
 * 429 and 5xx are retried with backoff (`Retry-After` honoured up to a cap); anything else failed.
 * The endpoint is checked against the allowed push services again here, right before the request.
 */
import { fromBase64Url } from "./base64url";
import { encryptPayload } from "./encrypt";
import { isAllowedEndpoint, type PushService } from "./push-services";
import type { Subscription } from "./subscription";
import { type VapidKeys, vapidAuthorization } from "./vapid";

export type SendOutcome =
  | { kind: "sent"; status: number; attempts: number }
  | { kind: "gone"; status: number; attempts: number }
  | { kind: "failed"; status: number; attempts: number; reason: string };

export interface SendOptions {
  vapid: VapidKeys;
  subject: string;
  services: readonly PushService[];
  /** RFC 8030 §5.4 topic (up to 32 base64url characters); none = no replacement. */
  topic?: string;
  /** Seconds the push service keeps an undelivered message. */
  ttl?: number;
  /** Tries in all (first + retries). Default 3. */
  attempts?: number;
  /** Backoff before retry n (1-based), in ms, when no Retry-After says otherwise. */
  backoffMs?: (retry: number) => number;
  fetcher?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RETRY_AFTER_MS = 10_000;

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Math.min(Number(header.trim()) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - Date.now()), MAX_RETRY_AFTER_MS);
}

export async function sendPush(sub: Subscription, payload: Uint8Array, o: SendOptions): Promise<SendOutcome> {
  const endpoint = new URL(sub.endpoint);
  if (!isAllowedEndpoint(endpoint, o.services)) {
    return { kind: "failed", status: 0, attempts: 0, reason: "endpoint not in PUSH_SERVICES" };
  }
  const p256dh = fromBase64Url(sub.p256dh);
  const auth = fromBase64Url(sub.auth);
  if (!p256dh || !auth) return { kind: "failed", status: 0, attempts: 0, reason: "bad subscription keys" };
  const body = await encryptPayload(payload, { p256dh, auth });
  const fetcher = o.fetcher ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const backoff = o.backoffMs ?? ((retry: number) => 1000 * 2 ** (retry - 1));
  const tries = o.attempts ?? 3;
  let last: SendOutcome = { kind: "failed", status: 0, attempts: 0, reason: "not sent" };
  for (let attempt = 1; attempt <= tries; attempt++) {
    const headers: Record<string, string> = {
      Authorization: await vapidAuthorization(endpoint, o.subject, o.vapid, Math.floor(Date.now() / 1000)),
      "Content-Encoding": "aes128gcm",
      "Content-Type": "application/octet-stream",
      TTL: String(o.ttl ?? 86_400),
      Urgency: "high",
    };
    if (o.topic) headers.Topic = o.topic;
    let res: Response;
    try {
      res = await fetcher(endpoint.href, { method: "POST", headers, body, redirect: "manual" });
    } catch (err) {
      last = { kind: "failed", status: 0, attempts: attempt, reason: `unreachable: ${String(err).slice(0, 120)}` };
      if (attempt < tries) await sleep(backoff(attempt));
      continue;
    }
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { kind: "sent", status: res.status, attempts: attempt };
    if (res.status === 404 || res.status === 410) return { kind: "gone", status: res.status, attempts: attempt };
    last = { kind: "failed", status: res.status, attempts: attempt, reason: `push service answered ${res.status}` };
    if (res.status !== 429 && res.status < 500) return last;
    if (attempt < tries) {
      await sleep(retryAfterMs(res.headers.get("retry-after")) ?? backoff(attempt));
    }
  }
  return last;
}
