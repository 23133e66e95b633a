/** A PEP notification from a contact (or from my own account): a new avatar to show, or a nickname. */
import type { Command } from "../../app/facade";
import { announce, setNick } from "../../model/avatars/avatar-choice";
import { lookUpAvatar } from "./avatar-lookup";

export const receiveContactEvent: Command<"RECEIVE_CONTACT_EVENT"> = async (event, { model }) => {
  if (event.kind === "nick") {
    setNick(model.avatars, event.jid, event.nick);
    return;
  }
  if (announce(model.avatars, event.jid, event.hash, "pep") && event.hash)
    await lookUpAvatar(model, event.jid, event.hash, "pep", event.type);
};
