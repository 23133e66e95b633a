/**
 * Use case "delete a conversation" with someone who is not a contact (they wrote first): it goes
 * from the list and from this device. The server's archive keeps its copy.
 */
import type { Command } from "../../app/facade";

export const deleteChat: Command<"DELETE_CHAT"> = async ({ jid }, { model, facade }) => {
  if (model.roster.get(jid)) throw new Error(`${jid} is a contact: remove the contact instead.`);
  model.chats.forget(jid);
  model.device.write((s, a) => s.deleteChat?.(a, jid) ?? Promise.resolve());
  await facade.send("CONTACT_DONE", {
    command: "DELETE_CHAT",
    message: `Deleted the conversation with ${jid} from this device.`,
  });
};
