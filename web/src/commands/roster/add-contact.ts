/** Use case "add a contact": roster set (RFC 6121 §2.3) then a subscription request (§3.1). */
import type { Command } from "../../app/facade";
import { isBareJid } from "../../model/stanzas/jid";
import { rosterSet, subscription } from "../../model/stanzas/stanzas";

export const addContact: Command<"ADD_CONTACT"> = async ({ jid, name }, { model }) => {
  const address = jid.trim().toLowerCase();
  if (!isBareJid(address)) throw new Error("Enter the contact's address as name@example.org.");
  if (address === model.xmpp.bare) throw new Error("That is your own address.");
  await model.xmpp.request(rosterSet(address, name.trim().slice(0, 200)));
  await model.xmpp.send(subscription("subscribe", address));
};
