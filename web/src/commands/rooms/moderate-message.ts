/**
 * Use case "remove someone's message as a moderator" (XEP-0425): the room is asked to retract the
 * message named by its room archive id, in the version the room offers (moderation-request.ts), with
 * an optional reason. Once the room agrees the message shows as removed here at once; the room's own
 * announcement (room-moderation.ts) then says the same to everyone. A refusal comes back as a sentence.
 */
import type { Command } from "../../app/facade";
import { MODERATOR } from "../../model/chats/amendments";
import { refusalSentence } from "../../model/rooms/refusals";
import { MAX_REASON } from "../../model/stanzas/moderation";
import { moderateRequest } from "../../model/stanzas/moderation-request";

export const moderateMessage: Command<"MODERATE_MESSAGE"> = async ({ room, id, reason }, { model }) => {
  const { rooms, chats, xmpp } = model;
  const version = rooms.get(room)?.moderation;
  if (!version) throw new Error("This room does not let moderators remove messages.");
  const m = chats.lookup(room, id);
  if (!m?.stanzaId) throw new Error("This message has no id in the room's archive, so it cannot be removed.");
  const why = reason.trim().slice(0, MAX_REASON);
  await xmpp.request(moderateRequest(room, m.stanzaId, why, version)).catch((err) => {
    throw new Error(refusalSentence("moderate", err));
  });
  chats.amend(room, m.stanzaId, {
    kind: "moderate",
    id: `mine-${m.stanzaId}`,
    by: MODERATOR,
    at: model.now(),
    ...(why ? { reason: why } : {}),
  });
};
