/**
 * An incoming presence (RFC 6121 §3-4): availability updates the roster (and a contact going offline
 * is no longer typing, XEP-0085); a subscription request is listed for approval (or approved at once
 * when the contact already has it, §3.1.3).
 */
import type { Command } from "../../app/facade";
import { subscription } from "../../model/stanzas/stanzas";

export const receivePresence: Command<"RECEIVE_PRESENCE"> = async (p, { model }) => {
  const { roster, xmpp, chats } = model;
  if (p.bare === xmpp.bare) return;
  if (p.type === "available" || p.type === "unavailable") {
    roster.applyPresence(p);
    if (p.type === "unavailable") chats.setTyping(p.bare, false);
  } else if (p.type === "subscribe") {
    const item = roster.get(p.bare);
    if (item && (item.subscription === "from" || item.subscription === "both")) {
      await xmpp.send(subscription("subscribed", p.bare));
    } else {
      roster.addRequest(p.bare);
    }
  } else if (p.type === "unsubscribe") {
    roster.removeRequest(p.bare);
  }
};
