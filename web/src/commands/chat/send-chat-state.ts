/** Use case "tell the contact I am typing" (XEP-0085): composing / paused / active, only while online. */
import type { Command } from "../../app/facade";
import { isBareJid } from "../../model/stanzas/jid";
import { chatState } from "../../model/stanzas/stanzas";

export const sendChatState: Command<"SEND_CHAT_STATE"> = async ({ to, state }, { model }) => {
  if (!isBareJid(to) || !model.xmpp.isOnline()) return;
  await model.xmpp.send(chatState(to, state));
};
