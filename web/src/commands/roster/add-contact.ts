/**
 * Use case "add a contact": roster set (RFC 6121 §2.3), then, when my server supports it, a
 * pre-approval (§3.4: `subscribed` before they ask, so their request back is accepted by the server
 * itself), then my subscription request (§3.1). Adding someone whose request is waiting approves it.
 * Servers without pre-approval: receive-presence.ts approves the request of someone I added.
 */
import type { Command } from "../../app/facade";
import { isBareJid } from "../../model/stanzas/jid";
import { NS_PRE_APPROVAL } from "../../model/stanzas/roster-edit";
import { rosterSet, subscription } from "../../model/stanzas/stanzas";

export const addContact: Command<"ADD_CONTACT"> = async ({ jid, name }, { model, facade }) => {
  const { xmpp, roster } = model;
  const address = jid.trim().toLowerCase();
  if (!isBareJid(address)) throw new Error("Enter the contact's address as name@example.org.");
  if (address === xmpp.bare) throw new Error("That is your own address.");
  const shown = name.trim().slice(0, 200);
  await xmpp.request(rosterSet(address, shown || model.avatars.nicks.value.get(address) || ""));
  const asked = roster.requests.value.includes(address);
  if (asked || xmpp.streamFeatures().has(NS_PRE_APPROVAL)) await xmpp.send(subscription("subscribed", address));
  roster.removeRequest(address);
  await xmpp.send(subscription("subscribe", address));
  await facade.send("CONTACT_DONE", {
    command: "ADD_CONTACT",
    message: asked
      ? `Added ${address}; you now share presence.`
      : `Added ${address}. You see each other's presence once they accept.`,
  });
};
