/**
 * Turning "Notify me when Porthole is closed" on and off (W3C Push API + XEP-0357):
 * on = notification permission (asked from the user's click), a Push API subscription with the
 * worker's VAPID key, its registration with the worker (which answers the node and secret), and the
 * <enable/> to the user's own server; off (or logout) = <disable/>, the worker forgets the node, the
 * subscription is dropped. Lazily loaded: nothing here is in the first load.
 */
import type { Element } from "@xmpp/xml";
import { fetchPushServer, registerSubscription, removeDevice, replaceSubscription } from "./push-api";
import { clearPushDevice, type PushDevice, readPushDevice, writePushDevice } from "./push-device";
import { disableIq, enableIq } from "./push-stanzas";

export type IqRequest = (iq: Element) => Promise<Element>;

export function pushSupported(): boolean {
  return (
    typeof navigator !== "undefined" &&
    "serviceWorker" in navigator &&
    typeof PushManager !== "undefined" &&
    typeof Notification !== "undefined"
  );
}

/** Turns push on for `account`; `permission` is the promise of Notification.requestPermission() started in the click. */
export async function enablePush(
  account: string,
  request: IqRequest,
  showBody: boolean,
  permission: Promise<NotificationPermission>,
): Promise<PushDevice> {
  if ((await permission) !== "granted")
    throw new Error("Notifications are blocked for this site: allow them in the browser's site settings.");
  const server = await fetchPushServer();
  const registration = await navigator.serviceWorker.ready;
  const old = await registration.pushManager.getSubscription();
  if (old) await old.unsubscribe().catch(() => false);
  const sub = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: server.key });
  const made = await registerSubscription(sub.toJSON(), showBody);
  const device: PushDevice = { account, jid: made.jid, node: made.node, secret: made.secret, vapidKey: server.key, showBody };
  try {
    await request(enableIq(made.jid, made.node, made.secret));
  } catch (err) {
    await removeDevice(made.node, made.secret).catch(() => {});
    await sub.unsubscribe().catch(() => false);
    throw new Error(`Your server did not enable push notifications (${err instanceof Error ? err.message : String(err)}).`);
  }
  await writePushDevice(device);
  return device;
}

/** Changes whether the text may be shown, for the device already on. */
export async function setShowBody(showBody: boolean): Promise<void> {
  const device = await readPushDevice();
  if (!device) return;
  const sub = await currentSubscription();
  if (!sub) return;
  await replaceSubscription(device.node, device.secret, sub.toJSON(), showBody);
  await writePushDevice({ ...device, showBody });
}

/** Turns push off (the user's switch, or logout); `request` null when offline: the worker side still goes. */
export async function disablePush(request: IqRequest | null): Promise<void> {
  const device = await readPushDevice();
  if (!device) return;
  await clearPushDevice();
  if (request) await withTimeout(request(disableIq(device.jid, device.node))).catch(() => {});
  await withTimeout(removeDevice(device.node, device.secret)).catch(() => {});
  const sub = await currentSubscription().catch(() => null);
  await sub?.unsubscribe().catch(() => false);
}

/** The subscription of this page's service worker registration, if any (never waits for one to appear). */
async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

function withTimeout<T>(p: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);
}

export { readPushDevice };
