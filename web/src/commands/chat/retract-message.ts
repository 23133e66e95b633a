/**
 * Use case "delete my message" (XEP-0424 Message Retraction): a retraction in both forms clients
 * read (rich.ts retraction), sent now (offline, it is refused); the message shows as deleted.
 */
import type { Command } from "../../app/facade";
import { ME } from "../../model/chats/amendments";
import { retraction } from "../../model/stanzas/rich-build";
import { newMessageId } from "./message-id";

export const retractMessage: Command<"RETRACT_MESSAGE"> = async ({ to, id }, { model }) => {
  const { chats, xmpp } = model;
  const original = chats.lookup(to, id);
  if (original?.direction !== "out") throw new Error("Only your own messages can be deleted.");
  if (original.retracted !== undefined) return;
  if (!xmpp.isOnline()) throw new Error("Offline: the message was not deleted.");
  // In a room, the message is named by the room's archive id, known once the room reflected it.
  if (original.room && !original.stanzaId) throw new Error("The room has not confirmed this message yet: try again in a moment.");
  const rid = newMessageId(model.now());
  await xmpp.send(
    original.room
      ? retraction(to, rid, original.stanzaId ?? "", "groupchat")
      : retraction(to, rid, original.originId ?? original.id),
  );
  chats.amend(to, original.id, { kind: "retract", id: rid, by: ME, at: model.now() });
};
