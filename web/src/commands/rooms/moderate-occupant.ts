/**
 * Use cases "kick an occupant" (XEP-0045 §8.2, role none) and "ban a user" (§9.1, affiliation outcast
 * on their real JID), each with an optional reason; the view asks for confirmation first. A refusal
 * (not-allowed, forbidden, ...) comes back as a sentence (refusals.ts).
 */
import type { Command } from "../../app/facade";
import { refusalSentence } from "../../model/rooms/refusals";
import { banRequest, kickRequest } from "../../model/stanzas/muc-admin";

export const kickOccupant: Command<"KICK_OCCUPANT"> = async ({ room, nick, reason }, { model }) => {
  await model.xmpp.request(kickRequest(room, nick, reason.trim())).catch((err) => {
    throw new Error(refusalSentence("kick", err));
  });
};

export const banOccupant: Command<"BAN_OCCUPANT"> = async ({ room, nick, reason }, { model }) => {
  const jid = model.rooms.get(room)?.occupants.get(nick)?.jid;
  if (!jid) throw new Error("This room does not show that person's address to you, so they cannot be banned.");
  await model.xmpp.request(banRequest(room, jid, reason.trim())).catch((err) => {
    throw new Error(refusalSentence("ban", err));
  });
};
