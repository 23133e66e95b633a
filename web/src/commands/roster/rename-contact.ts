/** Use case "rename a contact": a roster set with the new name (RFC 6121 §2.4), groups kept. */
import type { Command } from "../../app/facade";
import { rosterRename } from "../../model/stanzas/roster-edit";

export const MAX_CONTACT_NAME = 200;

export const renameContact: Command<"RENAME_CONTACT"> = async ({ jid, name }, { model, facade }) => {
  const item = model.roster.get(jid);
  if (!item) throw new Error(`${jid} is not in your contacts.`);
  const next = name.replace(/\s+/g, " ").trim().slice(0, MAX_CONTACT_NAME);
  await model.xmpp.request(rosterRename(item, next));
  await facade.send("CONTACT_DONE", {
    command: "RENAME_CONTACT",
    message: next ? `Renamed ${jid}: ${next}` : `${jid} now shows by address.`,
  });
};
