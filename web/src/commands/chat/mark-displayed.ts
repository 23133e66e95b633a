/**
 * Use case "the reader saw a message" (XEP-0333 Chat Markers): the message list reports the newest of
 * the contact's messages on screen while the page is visible and the chat open; a displayed marker goes
 * for the newest of those up to it that asked for markers (`<markable/>`) and have none yet (one marker
 * covers everything before it). Contacts whose messages do not ask get none. Offline: sent next time
 * the reader sees it.
 */
import type { Command } from "../../app/facade";
import { displayedMarker } from "../../model/stanzas/rich-build";

export const markDisplayed: Command<"MARK_DISPLAYED"> = async ({ jid, id }, { model }) => {
  const { chats, xmpp } = model;
  const m = chats.lookup(jid, id);
  if (m?.direction !== "in" || m.displayed || !xmpp.isOnline()) return;
  const newest = chats.markDisplayed(jid, m.id);
  if (newest) await xmpp.send(displayedMarker(jid, newest.id));
};
