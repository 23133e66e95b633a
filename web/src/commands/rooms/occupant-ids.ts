/**
 * Once in a room: does it offer occupant ids (XEP-0421, its disco#info)? Then its messages' authors are
 * known by them (receive-room-message.ts). Asked without holding up the join; until the answer, and in
 * rooms without them, authors are known by nickname.
 */
import type { Model } from "../../model/index";
import { roomChanges } from "../../model/rooms/room-changes";
import { roomInfoRequest } from "../../model/stanzas/muc-admin";
import { offersOccupantIds } from "../../model/stanzas/occupant-id";

export async function learnOccupantIds(model: Model, room: string): Promise<void> {
  const info = await model.xmpp.request(roomInfoRequest(room)).catch(() => null);
  if (info && offersOccupantIds(info) && model.rooms.has(room)) roomChanges(model.rooms).update(room, { occupantIds: true });
}
