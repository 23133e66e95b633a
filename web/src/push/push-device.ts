/**
 * This browser's push registration, kept where both the page and the service worker can read it
 * (IndexedDB, database `porthole-push`): the account it belongs to, the XEP-0357 push service JID,
 * node and secret the worker gave it, the VAPID key it subscribed with, and whether the user allows
 * the message text in notifications. One record per browser profile.
 */

export interface PushDevice {
  /** The account's bare JID. */
  account: string;
  /** The push component's JID (the <enable/> `jid`). */
  jid: string;
  node: string;
  secret: string;
  /** The VAPID public key (base64url) the subscription was made with. */
  vapidKey: string;
  showBody: boolean;
}

const DB = "porthole-push";
const STORE = "device";
const KEY = "device";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = act(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export async function readPushDevice(): Promise<PushDevice | null> {
  return ((await run("readonly", (s) => s.get(KEY))) as PushDevice | undefined) ?? null;
}

export async function writePushDevice(device: PushDevice): Promise<void> {
  await run("readwrite", (s) => s.put(device, KEY));
}

export async function clearPushDevice(): Promise<void> {
  await run("readwrite", (s) => s.delete(KEY));
}
