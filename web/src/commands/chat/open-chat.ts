/** Use case "open a chat" with a contact: shows the thread and clears its unread count. */
import type { Command } from "../../app/facade";
import { bareJid, isBareJid } from "../../model/stanzas/jid";

export const openChat: Command<"OPEN_CHAT"> = ({ jid }, { model }) => {
  const peer = bareJid(jid);
  if (!isBareJid(peer)) throw new Error(`Not a chat address: ${jid}`);
  model.chats.open(peer);
  model.rooms.clearMentions(peer);
  model.drafts.rememberOpenChat(peer);
};
