/**
 * A presence from a room (XEP-0045 §7.2): others' presences keep the occupant list live (roles,
 * affiliations; unavailable = gone); my own (status 110, §7.2.2) completes a join: the room is joined,
 * kept on the device and bookmarked (XEP-0402) the first time, caught up from its archive, then the
 * outbox may send into it. A refusal of a join (§7.2.6-§7.2.10) is said in a sentence (refusals.ts); a
 * room never joined is then dropped again. My own unavailable presence says I am out (kicked, banned).
 */
import type { Command } from "../../app/facade";
import { joinRefusal, removalSentence } from "../../model/rooms/refusals";
import { roomChanges } from "../../model/rooms/room-changes";
import { learnOccupantIds } from "./occupant-ids";
import { publishBookmark } from "./publish-bookmark";
import { saveRooms } from "./room-session";

export const receiveRoomPresence: Command<"RECEIVE_ROOM_PRESENCE"> = async (p, { model, facade }) => {
  const { rooms } = model;
  const room = rooms.get(p.room);
  if (!room) return;
  if (p.error) {
    if (p.nick !== room.nick || room.state !== "joining") return;
    const message = joinRefusal(p.error.condition, p.error.text);
    if (room.confirmed) roomChanges(rooms).update(room.jid, { state: "left", problem: message });
    else roomChanges(rooms).remove(room.jid);
    facade.send("ROOM_REFUSED", { room: room.jid, nick: room.nick, message });
    return;
  }
  const self = p.codes.includes(110);
  if (!p.available) {
    roomChanges(rooms).removeOccupant(room.jid, p.nick);
    if (self && p.codes.includes(303) && p.newNick) return renamed(model, room.jid, p.newNick);
    if (self)
      roomChanges(rooms).update(room.jid, {
        state: "left",
        synced: false,
        problem: removalSentence(p.codes, p.actor ?? "", p.reason ?? ""),
      });
    return;
  }
  roomChanges(rooms).setOccupant(room.jid, { nick: p.nick, role: p.role, affiliation: p.affiliation, jid: p.jid });
  if (!self || room.state === "joined") return;
  // The service may have changed my nickname (status 210, §7.2.2): its choice is the one I have.
  const firstTime = !room.confirmed;
  roomChanges(rooms).update(room.jid, { state: "joined", nick: p.nick, problem: null, confirmed: true });
  if (firstTime || p.nick !== room.nick) {
    saveRooms(model);
    const r = rooms.get(room.jid);
    // Not awaited: the archive catch-up need not wait for the bookmark's round trips.
    if (r) void publishBookmark(model, r);
  }
  void learnOccupantIds(model, room.jid);
  await facade.send("CATCH_UP_ROOM", { room: room.jid });
  if (rooms.get(room.jid)?.state !== "joined") return;
  roomChanges(rooms).update(room.jid, { synced: true });
  await facade.send("FLUSH_OUTBOX");
};

/** My nickname changed (§7.6, status 303): kept on the device and in the bookmark. */
async function renamed(model: Parameters<typeof saveRooms>[0], jid: string, nick: string): Promise<void> {
  roomChanges(model.rooms).update(jid, { nick });
  saveRooms(model);
  const r = model.rooms.get(jid);
  if (r) await publishBookmark(model, r);
}
