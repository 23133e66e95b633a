/**
 * What the service worker shows for a push (Notifications API): the worker's payload
 * (worker/push/notification.ts: `{ sender?, count?, body? }`) as one notification per conversation
 * (`tag` = the sender, so a newer push replaces the older one), "New message" with the sender when
 * the server named one, the text only when the payload carries it (the server sent it and the user
 * allowed it). Pure: unit-tested in Node.
 */

export interface PushPayload {
  sender?: string;
  count?: number;
  body?: string;
}

export interface ShownNotification {
  title: string;
  options: NotificationOptions & { renotify?: boolean };
}

export function parsePushPayload(text: string | null): PushPayload {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const out: PushPayload = {};
    if (typeof v.sender === "string" && v.sender.length <= 3071) out.sender = v.sender;
    if (typeof v.count === "number" && Number.isInteger(v.count) && v.count > 0) out.count = v.count;
    if (typeof v.body === "string") out.body = v.body.slice(0, 500);
    return out;
  } catch {
    return {};
  }
}

export function notificationFor(p: PushPayload): ShownNotification {
  return {
    title: p.sender ? `New message from ${p.sender}` : "New message",
    options: {
      body: p.body ?? "",
      tag: p.sender ? `chat:${p.sender}` : "chat",
      renotify: true,
      icon: "/icons/icon-192.png",
      data: { chat: p.sender ?? null },
    },
  };
}

/** The message the service worker posts to an open window on a click: open that chat. */
export const OPEN_CHAT = "porthole-open-chat";

export function openChatMessage(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const { type, jid } = data as { type?: unknown; jid?: unknown };
  return type === OPEN_CHAT && typeof jid === "string" && jid.length > 0 ? jid : null;
}
