/** Leave the open chat and go back to the roster. */
import type { Command } from "../../app/facade";

export const closeChat: Command<"CLOSE_CHAT"> = (_body, { model }) => {
  model.chats.close();
  model.drafts.rememberOpenChat(null);
};
