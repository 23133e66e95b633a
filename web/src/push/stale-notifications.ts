/**
 * When Porthole opens, the push notifications it showed while closed are stale (the messages are now
 * on screen, or were read on another device): close them and clear the app badge (Notifications
 * API `getNotifications()`, Badging API). A later push shows a fresh one.
 */
export async function closeStaleNotifications(): Promise<void> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    for (const n of (await registration?.getNotifications()) ?? []) n.close();
    await (navigator as Navigator & { clearAppBadge?: () => Promise<void> }).clearAppBadge?.();
  } catch {
    // nothing to close
  }
}
