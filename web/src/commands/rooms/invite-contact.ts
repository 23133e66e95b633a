/**
 * Use case "invite a contact to this room": a direct invitation (XEP-0249), with the room's password.
 * In a members-only room an owner or admin first makes the contact a member (XEP-0045 §9.3), as
 * Converse.js's MUC.directInvite does, or the invitee could not get in.
 */
import type { Command } from "../../app/facade";
import { refusalSentence } from "../../model/rooms/refusals";
import { directInvitation } from "../../model/stanzas/invitations";
import { bareJid, isBareJid } from "../../model/stanzas/jid";
import { affiliationRequest, isMembersOnly, roomInfoRequest } from "../../model/stanzas/muc-admin";

export const inviteContact: Command<"INVITE_CONTACT"> = async ({ room, jid, reason }, { model }) => {
  const to = bareJid(jid.trim());
  if (!isBareJid(to)) throw new Error("Enter the contact's address as name@example.org.");
  const r = model.rooms.get(room);
  if (r?.state !== "joined") throw new Error(refusalSentence("invite", "not-acceptable"));
  const me = r.occupants.get(r.nick);
  if (me && (me.affiliation === "owner" || me.affiliation === "admin")) {
    const info = await model.xmpp.request(roomInfoRequest(room)).catch(() => null);
    if (info && isMembersOnly(info)) {
      await model.xmpp.request(affiliationRequest(room, to, "member", reason)).catch((err) => {
        throw new Error(refusalSentence("invite", err));
      });
    }
  }
  await model.xmpp.send(directInvitation(to, room, `i-${model.now().toString(36)}`, reason, r.password));
};
