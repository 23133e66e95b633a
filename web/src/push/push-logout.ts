/**
 * Logout's part of push notifications: when this browser has a push registration, turn it off
 * (push-enable.ts, loaded only then). Never blocks a logout: failures are ignored, and a missing
 * IndexedDB (private mode, tests) counts as no registration.
 */
import type { IqRequest } from "./push-enable";

export async function disablePushOnLogout(request: IqRequest | null): Promise<void> {
  if (typeof indexedDB === "undefined" || typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  try {
    const { readPushDevice } = await import("./push-device");
    if (!(await readPushDevice())) return;
    const { disablePush } = await import("./push-enable");
    await disablePush(request);
  } catch {
    // logout goes on
  }
}
