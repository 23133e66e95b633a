/** The room administration use cases (XEP-0045 owner, admin and moderator; XEP-0249), for the room chunk's table. */
import type { Command } from "../../app/facade";
import type { NotificationName } from "../../app/notifications";
import { acceptInvitation, declineInvitationCommand } from "./answer-invitation";
import { changeNick } from "./change-nick";
import { renameRoom, setSubject } from "./configure-room";
import { createRoom } from "./create-room";
import { inviteContact } from "./invite-contact";
import { moderateMessage } from "./moderate-message";
import { banOccupant, kickOccupant } from "./moderate-occupant";
import { receiveInvitation } from "./receive-invitation";

export const adminCommands: { [K in NotificationName]?: Command<K> } = {
  CREATE_ROOM: createRoom,
  RENAME_ROOM: renameRoom,
  SET_SUBJECT: setSubject,
  CHANGE_NICK: changeNick,
  KICK_OCCUPANT: kickOccupant,
  BAN_OCCUPANT: banOccupant,
  MODERATE_MESSAGE: moderateMessage,
  INVITE_CONTACT: inviteContact,
  RECEIVE_INVITATION: receiveInvitation,
  ACCEPT_INVITATION: acceptInvitation,
  DECLINE_INVITATION: declineInvitationCommand,
};
