/**
 * Attention outside the page: the unread total on the app icon (Badging API, where available) and a
 * system notification (Notifications API) for a message that arrives while the page is hidden (not for
 * a correction, retraction or reaction),
 * only once the user granted permission (asked from a button, never on load).
 */
import type { Facade } from "./facade";

type BadgeNavigator = Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

export function showUnreadBadge(total: number, nav: BadgeNavigator = navigator): void {
  if (!nav.setAppBadge) return;
  void (total ? nav.setAppBadge(total) : (nav.clearAppBadge?.() ?? nav.setAppBadge(0))).catch(() => {});
}

/** Notifies each new live incoming chat message while the page is hidden; returns the unsubscribe. */
export function notifyWhileHidden(facade: Facade, doc: Document = document): () => void {
  return facade.subscribe("RECEIVE_MESSAGE", (msg) => {
    if (!doc.hidden || msg.via !== "live" || msg.body === null || msg.type === "error") return;
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    if (msg.bare === facade.model.xmpp.bare) return;
    // A retraction's or a correction's body is not news (rich.ts); a reply shows without its quote.
    if (msg.rich?.retracts || msg.rich?.replaces || msg.rich?.reactions) return;
    const n = new Notification(msg.bare, { body: (msg.rich?.text ?? msg.body).slice(0, 200), tag: msg.bare });
    n.onclick = () => {
      window.focus();
      void facade.send("OPEN_CHAT", { jid: msg.bare });
    };
  });
}
