/**
 * Use case "tell the contact I am typing" (XEP-0085): composing / paused / active, only while online.
 * To a contact's bare JID, or to a room occupant in a private conversation (XEP-0045 §7.5): then a
 * chat message to room@service/nick marked with <x xmlns=muc#user/> like the private messages
 * themselves (muc-private.ts), only to an occupant of a room I know, as Converse.js's MUCOccupant sends its chat states (occupant.js:
 * type="chat", no-store hints).
 */
import type { Command } from "../../app/facade";
import { occupantOf } from "../../model/rooms/private-chats";
import { isBareJid } from "../../model/stanzas/jid";
import { asPrivate } from "../../model/stanzas/muc-private";
import { chatState } from "../../model/stanzas/stanzas";

export const sendChatState: Command<"SEND_CHAT_STATE"> = async ({ to, state }, { model }) => {
  const occupant = isBareJid(to) ? null : occupantOf(to);
  if ((!isBareJid(to) && !(occupant && model.rooms.has(occupant.room))) || !model.xmpp.isOnline()) return;
  const stanza = chatState(to, state);
  await model.xmpp.send(occupant ? asPrivate(stanza) : stanza);
};
