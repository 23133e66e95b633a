/**
 * Use case "someone invites me to a room" (XEP-0249 direct, XEP-0045 §7.8.2 mediated): kept as a
 * prompt to accept or decline, unless I am already in that room.
 */
import type { Command } from "../../app/facade";

export const receiveInvitation: Command<"RECEIVE_INVITATION"> = (invitation, { model }) => {
  if (model.rooms.get(invitation.room)?.state === "joined") return;
  model.invitations.add(invitation);
};
