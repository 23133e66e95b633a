/**
 * The settings' side of "Enter sends the message": reading the choice as the composer does
 * (views/chat/enter-sends.ts: localStorage `porthole.enterSends`, "1" or "0", by default on for a fine
 * primary pointer and off for touch) and storing it, without failing where the browser refuses storage.
 */
import { ENTER_SENDS_KEY, enterSends, isTouch } from "../chat/enter-sends";

type Store = Pick<Storage, "getItem" | "setItem">;

/** The storage, or undefined where even reaching it throws (storage disabled for the site). */
function localStore(): Store | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function readEnterSends(store: Store | undefined = localStore()): boolean {
  try {
    return enterSends(store);
  } catch {
    return !isTouch();
  }
}

/** Stores the choice; false when the browser refused to store it. */
export function writeEnterSends(on: boolean, store: Store | undefined = localStore()): boolean {
  if (!store) return false;
  try {
    store.setItem(ENTER_SENDS_KEY, on ? "1" : "0");
    return true;
  } catch {
    return false;
  }
}
