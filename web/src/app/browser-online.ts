/**
 * navigator.onLine as a signal, kept current by the window's `online` / `offline` events (HTML
 * Living Standard, "Navigator.onLine"). False means the device has no network at all: whatever the
 * XMPP session last reported, nothing can reach the server.
 */
import { signal } from "@preact/signals";

export const browserOnline = signal(typeof navigator === "undefined" ? true : navigator.onLine);

if (typeof window !== "undefined") {
  window.addEventListener("online", () => {
    browserOnline.value = true;
  });
  window.addEventListener("offline", () => {
    browserOnline.value = false;
  });
}
