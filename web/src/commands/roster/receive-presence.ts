/**
 * An incoming presence (RFC 6121 §3-4): availability updates the roster (and a contact going offline
 * is no longer typing, XEP-0085); what else it carries (a vCard avatar hash, a subscription request
 * or its withdrawal) is handled by receive-subscription.ts, loaded with the contact use cases.
 */
import type { Command } from "../../app/facade";
import { contactCommands } from "../../app/lazy-command";

export const receivePresence: Command<"RECEIVE_PRESENCE"> = async (p, { model }) => {
  const { roster, xmpp, chats } = model;
  const mine = p.bare === xmpp.bare;
  if (!mine && (p.type === "available" || p.type === "unavailable")) {
    roster.applyPresence(p);
    if (p.type === "unavailable") chats.setTyping(p.bare, false);
  }
  const other = p.type !== "available" && p.type !== "unavailable" && !mine;
  if (other || (p.type === "available" && p.photo !== undefined)) await (await contactCommands()).receiveCard(model, p);
};
