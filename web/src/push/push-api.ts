/**
 * The worker's push endpoints as the PWA and its service worker call them (README, "Push
 * notifications"): the VAPID key, registering a Push API subscription, replacing it after a
 * `pushsubscriptionchange`, removing it. Each failure is an Error with the worker's short message.
 */

export interface PushServer {
  /** VAPID public key, base64url (the Push API's applicationServerKey). */
  key: string;
  /** The push component's JID. */
  jid: string;
}

async function failure(res: Response): Promise<Error> {
  const text = (await res.text().catch(() => "")).trim();
  return new Error(text || `The server answered ${res.status}`);
}

export async function fetchPushServer(): Promise<PushServer> {
  const res = await fetch("/push/vapid-public-key", { cache: "no-store" });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as PushServer;
}

export async function registerSubscription(
  sub: PushSubscriptionJSON,
  showBody: boolean,
): Promise<{ jid: string; node: string; secret: string }> {
  const res = await fetch("/push/devices", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ subscription: sub, showBody }),
  });
  if (res.status !== 201) throw await failure(res);
  return (await res.json()) as { jid: string; node: string; secret: string };
}

export async function replaceSubscription(
  node: string,
  secret: string,
  sub: PushSubscriptionJSON,
  showBody: boolean,
): Promise<void> {
  const res = await fetch(`/push/devices/${encodeURIComponent(node)}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ subscription: sub, showBody }),
  });
  if (res.status !== 204) throw await failure(res);
}

export async function removeDevice(node: string, secret: string): Promise<void> {
  const res = await fetch(`/push/devices/${encodeURIComponent(node)}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${secret}` },
  });
  if (res.status !== 204 && res.status !== 404) throw await failure(res);
}
