/**
 * Once in a room: does it offer occupant ids (XEP-0421, its disco#info)? Then its messages' authors are
 * known by them (receive-room-message.ts). Asked without holding up the join; until the answer, and in
 * rooms without them, authors are known by nickname. The same answer says whether its moderators may
 * remove messages (XEP-0425, moderation-request.ts).
 */
import type { Model } from "../../model/index";
import { roomChanges } from "../../model/rooms/room-changes";
import { moderationOffered } from "../../model/stanzas/moderation-request";
import { roomInfoRequest } from "../../model/stanzas/muc-admin";
import { offersOccupantIds } from "../../model/stanzas/occupant-id";

export async function learnOccupantIds(model: Model, room: string): Promise<void> {
  const info = await model.xmpp.request(roomInfoRequest(room)).catch(() => null);
  if (!info || !model.rooms.has(room)) return;
  const moderation = moderationOffered(info);
  if (offersOccupantIds(info) || moderation)
    roomChanges(model.rooms).update(room, {
      ...(offersOccupantIds(info) ? { occupantIds: true as const } : {}),
      ...(moderation ? { moderation } : {}),
    });
}
