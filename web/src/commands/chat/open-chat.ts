/**
 * Use case "open a chat" with a contact, or a private one with a room occupant (room@service/nick,
 * XEP-0045 §7.5): shows the thread and clears its unread count.
 */
import type { Command } from "../../app/facade";
import { occupantOf, occupantPeer } from "../../model/rooms/private-chats";
import { bareJid, isBareJid } from "../../model/stanzas/jid";

export const openChat: Command<"OPEN_CHAT"> = ({ jid }, { model }) => {
  const o = occupantOf(jid);
  const privatePeer = o && occupantPeer(o.room, o.nick);
  const isPrivate = !!privatePeer && (model.rooms.has(o.room) || model.chats.live(privatePeer).list.length > 0);
  const peer = isPrivate ? privatePeer : bareJid(jid);
  if (!isPrivate && !isBareJid(peer)) throw new Error(`Not a chat address: ${jid}`);
  model.chats.open(peer);
  model.rooms.clearMentions(peer);
  model.drafts.rememberOpenChat(peer);
};
