/**
 * The server acknowledged messages (XEP-0198 §4 <a h/>, or the h of <resumed/> after a resumption):
 * they reached it, so they are "sent". A receipt that came first (delivered) stays.
 */
import type { Command } from "../../app/facade";

export const markAcknowledged: Command<"MESSAGES_ACKED"> = ({ ids }, { model }) => {
  for (const id of ids) if (id) model.chats.setState(id, "sent");
};
