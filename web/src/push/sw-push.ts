/**
 * The service worker's part of push notifications (W3C Push API §11, Notifications API):
 * - `push`: show the notification for the payload (push-notification.ts), and set the app badge
 *   (Badging API) to the count when the browser has one;
 * - `notificationclick`: close it, focus an open Porthole window and ask it to open that chat
 *   (a message the page's OPEN_CHAT listener handles), or open a new window;
 * - `pushsubscriptionchange`: the browser replaced the subscription; subscribe again with the same
 *   VAPID key and give the worker the new one for the same node (the user's server keeps pushing to
 *   that node, so no new <enable/> is needed).
 */
import { replaceSubscription } from "./push-api";
import { readPushDevice } from "./push-device";
import { notificationFor, OPEN_CHAT, parsePushPayload } from "./push-notification";

declare const self: ServiceWorkerGlobalScope;

type SubscriptionChangeEvent = ExtendableEvent & {
  oldSubscription?: PushSubscription | null;
  newSubscription?: PushSubscription | null;
};

export function listenForPushes(): void {
  self.addEventListener("push", (event) => {
    const payload = parsePushPayload(event.data?.text() ?? null);
    const { title, options } = notificationFor(payload);
    const nav = self.navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void> };
    event.waitUntil(
      Promise.all([self.registration.showNotification(title, options), nav.setAppBadge?.(payload.count).catch(() => {})]),
    );
  });

  self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const chat = (event.notification.data as { chat?: string | null } | null)?.chat ?? null;
    event.waitUntil(
      (async () => {
        const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
        const open = windows[0];
        if (open) {
          if (chat) open.postMessage({ type: OPEN_CHAT, jid: chat });
          await open.focus().catch(() => {});
          return;
        }
        await self.clients.openWindow("/");
      })(),
    );
  });

  self.addEventListener("pushsubscriptionchange", (event) => {
    const change = event as SubscriptionChangeEvent;
    change.waitUntil(
      (async () => {
        const device = await readPushDevice();
        if (!device) return;
        const sub =
          change.newSubscription ??
          (await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: device.vapidKey }));
        await replaceSubscription(device.node, device.secret, sub.toJSON(), device.showBody);
      })(),
    );
  });
}
