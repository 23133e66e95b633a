/**
 * Use case "the reader saw a message" (XEP-0333 Chat Markers): the message list reports the newest of
 * the contact's messages on screen while the page is visible and the chat open; a displayed marker goes
 * for the newest of those up to it that asked for markers (`<markable/>`) and have none yet (one marker
 * covers everything before it). Contacts whose messages do not ask get none. Offline: sent next time
 * the reader sees it. In a private conversation with a room occupant the marker is marked private
 * like the messages (<x xmlns=muc#user/>, muc-private.ts).
 */
import type { Command } from "../../app/facade";
import { occupantOf } from "../../model/rooms/private-chats";
import { asPrivate } from "../../model/stanzas/muc-private";
import { displayedMarker } from "../../model/stanzas/rich-build";

export const markDisplayed: Command<"MARK_DISPLAYED"> = async ({ jid, id }, { model }) => {
  const { chats, xmpp } = model;
  const m = chats.lookup(jid, id);
  if (m?.direction !== "in" || m.displayed || !xmpp.isOnline()) return;
  const newest = chats.markDisplayed(jid, m.id);
  if (!newest) return;
  const marker = displayedMarker(jid, newest.id);
  await xmpp.send(occupantOf(jid) ? asPrivate(marker) : marker);
};
