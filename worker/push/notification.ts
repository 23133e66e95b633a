/**
 * What the service worker receives in a push (the plaintext inside the RFC 8291 encryption): a small
 * JSON object built from the XEP-0357 summary. The message text is included only when the XMPP
 * server sent one (Prosody: push_notification_with_body) and this device's user allowed it.
 * The `Topic` (RFC 8030 §5.4) names the conversation, so an undelivered older push from the same
 * sender is replaced at the push service.
 */
import { toBase64Url } from "./base64url";
import type { PushSummary } from "./publish";

export interface PushPayload {
  /** Bare JID of the sender, when the server includes it. */
  sender?: string;
  count?: number;
  body?: string;
}

const MAX_BODY_CHARS = 500;

export function notificationPayload(summary: PushSummary, showBody: boolean): PushPayload {
  const payload: PushPayload = {};
  if (summary.sender) payload.sender = summary.sender.slice(0, 3071);
  if (summary.messageCount) payload.count = summary.messageCount;
  if (showBody && summary.body) payload.body = [...summary.body].slice(0, MAX_BODY_CHARS).join("");
  return payload;
}

/** RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet. */
export async function conversationTopic(sender: string | undefined): Promise<string | undefined> {
  if (!sender) return undefined;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(sender));
  return toBase64Url(new Uint8Array(digest)).slice(0, 32);
}
