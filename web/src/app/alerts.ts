/**
 * Attention outside the page: the unread total on the app icon (Badging API, where available) and a
 * system notification (Notifications API) for a message that arrives while the page is hidden (not for
 * a correction, retraction or reaction),
 * only once the user granted permission (asked from a button, never on load). In a room only a
 * mention of my nickname notifies (ROOM_MENTION, not sent for a muted room), titled "nick in room".
 */
import { privateChatName, privatePeerOf } from "../model/rooms/private-chats";
import type { Facade } from "./facade";

type BadgeNavigator = Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

export function showUnreadBadge(total: number, nav: BadgeNavigator = navigator): void {
  if (!nav.setAppBadge) return;
  void (total ? nav.setAppBadge(total) : (nav.clearAppBadge?.() ?? nav.setAppBadge(0))).catch(() => {});
}

function notify(facade: Facade, doc: Document, title: string, body: string, jid: string): void {
  if (!doc.hidden || typeof Notification === "undefined" || Notification.permission !== "granted") return;
  const n = new Notification(title, { body: body.slice(0, 200), tag: jid });
  n.onclick = () => {
    window.focus();
    void facade.send("OPEN_CHAT", { jid });
  };
}

/** Notifies each new live incoming chat message (and room mention) while the page is hidden; returns the unsubscribe. */
export function notifyWhileHidden(facade: Facade, doc: Document = document): () => void {
  const stopChats = facade.subscribe("RECEIVE_MESSAGE", (msg) => {
    if (msg.via !== "live" || msg.body === null || msg.type === "error" || msg.type === "groupchat") return;
    if (msg.bare === facade.model.xmpp.bare) return;
    // A retraction's or a correction's body is not news (rich.ts); a reply shows without its quote.
    if (msg.rich?.retracts || msg.rich?.replaces || msg.rich?.reactions) return;
    // A private message from a room occupant (XEP-0045 §7.5) is titled and opens as "nick (room)".
    const { rooms } = facade.model;
    const occupant = privatePeerOf(msg, facade.model.xmpp.bare, (jid) => rooms.has(jid));
    const title = occupant ? (privateChatName(occupant, (r) => rooms.get(r)?.name) ?? occupant) : msg.bare;
    notify(facade, doc, title, msg.rich?.text ?? msg.body, occupant ?? msg.bare);
  });
  const stopMentions = facade.subscribe("ROOM_MENTION", ({ room, nick, body }) =>
    notify(facade, doc, `${nick} in ${room}`, body, room),
  );
  return () => {
    stopChats();
    stopMentions();
  };
}
