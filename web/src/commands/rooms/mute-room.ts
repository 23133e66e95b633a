/** Use case "mute a room": its messages and mentions still count, but nothing notifies (kept on this device). */
import type { Command } from "../../app/facade";
import { roomChanges } from "../../model/rooms/room-changes";
import { saveRooms } from "./room-session";

export const muteRoom: Command<"MUTE_ROOM"> = ({ room, muted }, { model }) => {
  if (!model.rooms.has(room)) return;
  roomChanges(model.rooms).setMuted(room, muted);
  saveRooms(model);
};
