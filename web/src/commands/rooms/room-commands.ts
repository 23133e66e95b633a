/**
 * The room use cases (XEP-0045) as one chunk, loaded on first use (app/facade.ts registers them by name),
 * so group chat costs the first load nothing.
 */
import type { Command } from "../../app/facade";
import type { NotificationName } from "../../app/notifications";
import { roomChanges } from "../../model/rooms/room-changes";
import { occupantParser } from "../../model/stanzas/muc";
import { parseOccupantPresence } from "../../model/stanzas/muc-occupancy";
import { adminCommands } from "./admin-commands";
import { joinRoom } from "./join-room";
import { joinRooms } from "./join-rooms";
import { leaveRoom } from "./leave-room";
import { muteRoom } from "./mute-room";
import { pingRooms } from "./ping-rooms";
import { receiveBookmarks } from "./receive-bookmarks";
import { receiveRoomMessage } from "./receive-room-message";
import { receiveRoomPresence } from "./receive-room-presence";

export const roomCommands: { [K in NotificationName]?: Command<K> } = {
  JOIN_ROOM: joinRoom,
  LEAVE_ROOM: leaveRoom,
  MUTE_ROOM: muteRoom,
  PING_ROOMS: pingRooms,
  RECEIVE_ROOM_PRESENCE: receiveRoomPresence,
  RECEIVE_BOOKMARKS: receiveBookmarks,
  ...adminCommands,
};

export { groupchatMessage } from "../../model/stanzas/muc-occupancy";
export { joinRooms, receiveRoomMessage, roomChanges };

occupantParser.parse = parseOccupantPresence;
