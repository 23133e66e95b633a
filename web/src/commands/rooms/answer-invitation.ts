/**
 * Use cases "accept an invitation" (join the room through JOIN_ROOM, with the password the invitation
 * carried) and "decline it" (for a mediated invitation, tell the inviter through the room: XEP-0045
 * §7.8.2 <decline/>; a direct one, XEP-0249, has nothing to answer).
 */
import type { Command } from "../../app/facade";
import { declineInvitation } from "../../model/stanzas/invitations";

export const acceptInvitation: Command<"ACCEPT_INVITATION"> = async ({ room, nick }, { model, facade }) => {
  const invitation = model.invitations.get(room);
  await facade.send("JOIN_ROOM", { room, nick, password: invitation?.password ?? "" });
  if (model.rooms.has(room)) model.invitations.remove(room);
};

export const declineInvitationCommand: Command<"DECLINE_INVITATION"> = async ({ room, reason }, { model }) => {
  const invitation = model.invitations.get(room);
  if (!invitation) return;
  model.invitations.remove(room);
  if (invitation.kind === "mediated" && model.xmpp.isOnline()) {
    await model.xmpp.send(declineInvitation(room, invitation.from, `d-${model.now().toString(36)}`, reason));
  }
};
