/**
 * Use cases "block" and "unblock" an address (XEP-0191 §3.3-3.4): a contact, a stranger who wrote,
 * or someone asking to see my presence (whose request goes away). The server then drops what they
 * send; the blocklist follows from its push too.
 */
import type { Command } from "../../app/facade";
import { blockSet, unblockSet } from "../../model/stanzas/blocking-requests";
import { isBareJid } from "../../model/stanzas/jid";

export const blockContact: Command<"BLOCK_CONTACT"> = async ({ jid }, { model, facade }) => {
  if (!isBareJid(jid)) throw new Error("Only an address like name@example.org can be blocked.");
  await model.xmpp.request(blockSet(jid));
  model.blocklist.add([jid]);
  model.roster.removeRequest(jid);
  await facade.send("CONTACT_DONE", { command: "BLOCK_CONTACT", message: `Blocked ${jid}: nothing they send reaches you.` });
};

export const unblockContact: Command<"UNBLOCK_CONTACT"> = async ({ jid }, { model, facade }) => {
  await model.xmpp.request(unblockSet(jid));
  model.blocklist.remove([jid]);
  await facade.send("CONTACT_DONE", { command: "UNBLOCK_CONTACT", message: `Unblocked ${jid}.` });
};
