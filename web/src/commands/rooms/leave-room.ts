/**
 * Use case "leave a room" (XEP-0045 §7.14): an unavailable presence to my occupant JID; the room goes
 * from the list, the device and the bookmarks (XEP-0402 retract), so no device joins it again. Its
 * messages stay in the device history.
 */
import type { Command } from "../../app/facade";
import { roomChanges } from "../../model/rooms/room-changes";
import { bookmarkRetract } from "../../model/stanzas/bookmarks";
import { leavePresence } from "../../model/stanzas/muc-occupancy";
import { saveRooms } from "./room-session";

export const leaveRoom: Command<"LEAVE_ROOM"> = async ({ room }, { model }) => {
  const { rooms, xmpp, chats } = model;
  const known = rooms.get(room);
  if (!known) return;
  roomChanges(rooms).remove(room);
  saveRooms(model);
  if (chats.active.value === room) chats.close();
  if (!xmpp.isOnline()) return;
  if (known.state !== "left") await xmpp.send(leavePresence(room, known.nick));
  if (known.confirmed) await xmpp.request(bookmarkRetract(room)).catch(() => {});
};
