/**
 * Whether Enter sends the message (else it starts a new line and the Send button sends): the reader's
 * choice in Settings (localStorage `porthole.enterSends`, "1" or "0"), by default yes where the primary
 * pointer is fine (a keyboard is likely) and no on touch screens, whose keyboards have no Shift+Enter.
 */
export const ENTER_SENDS_KEY = "porthole.enterSends";

export function isTouch(): boolean {
  return typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;
}

export function enterSends(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): boolean {
  const choice = storage?.getItem(ENTER_SENDS_KEY);
  if (choice === "1") return true;
  if (choice === "0") return false;
  return !isTouch();
}
