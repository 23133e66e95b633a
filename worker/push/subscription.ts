/**
 * A device's registration as the PWA sends it: its Push API subscription (W3C Push API,
 * `PushSubscription.toJSON()`: `{ endpoint, keys: { p256dh, auth } }`) and whether the notification
 * may show the message text. Validated strictly, with a short message for each refusal (a 400).
 */
import { fromBase64Url } from "./base64url";
import { isAllowedEndpoint, type PushService } from "./push-services";

/** Largest registration body in bytes (a real subscription is ~400 bytes). */
export const MAX_REGISTRATION_BYTES = 4096;
const MAX_ENDPOINT_CHARS = 2048;

export interface Subscription {
  endpoint: string;
  /** base64url, 65 bytes decoded. */
  p256dh: string;
  /** base64url, 16 bytes decoded. */
  auth: string;
}

export interface Registration {
  subscription: Subscription;
  /** The user allows the message text in the notification (only shown when the server sends it). */
  showBody: boolean;
}

/** The registration, or the reason it is refused. */
export function parseRegistration(body: unknown, services: readonly PushService[]): Registration | string {
  if (typeof body !== "object" || body === null) return "expected a JSON object";
  const { subscription, showBody } = body as { subscription?: unknown; showBody?: unknown };
  if (showBody !== undefined && typeof showBody !== "boolean") return "showBody must be true or false";
  if (typeof subscription !== "object" || subscription === null) return "subscription is missing";
  const { endpoint, keys } = subscription as { endpoint?: unknown; keys?: unknown };
  if (typeof endpoint !== "string" || endpoint.length === 0) return "subscription.endpoint is missing";
  if (endpoint.length > MAX_ENDPOINT_CHARS) return "subscription.endpoint is too long";
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "subscription.endpoint is not a URL";
  }
  if (!isAllowedEndpoint(url, services)) return "subscription.endpoint is not a known push service";
  if (typeof keys !== "object" || keys === null) return "subscription.keys is missing";
  const { p256dh, auth } = keys as { p256dh?: unknown; auth?: unknown };
  const point = typeof p256dh === "string" ? fromBase64Url(p256dh) : null;
  if (point?.byteLength !== 65 || point[0] !== 4) return "subscription.keys.p256dh is not a P-256 public key";
  const secret = typeof auth === "string" ? fromBase64Url(auth) : null;
  if (secret?.byteLength !== 16) return "subscription.keys.auth is not a 16-byte secret";
  return { subscription: { endpoint: url.href, p256dh: p256dh as string, auth: auth as string }, showBody: showBody === true };
}
