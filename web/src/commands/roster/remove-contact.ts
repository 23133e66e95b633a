/** Use case "remove a contact": roster remove (RFC 6121 §2.5), which also cancels both subscriptions. */
import type { Command } from "../../app/facade";
import { rosterRemove } from "../../model/stanzas/stanzas";

export const removeContact: Command<"REMOVE_CONTACT"> = async ({ jid }, { model, facade }) => {
  await model.xmpp.request(rosterRemove(jid));
  if (model.chats.active.value === jid) model.chats.close();
  await facade.send("CONTACT_DONE", { command: "REMOVE_CONTACT", message: `Removed ${jid} from your contacts.` });
};
