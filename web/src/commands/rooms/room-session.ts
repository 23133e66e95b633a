/**
 * What the room use cases share: keeping the rooms on the device and sending a join (XEP-0045 §7.2.2).
 */
import type { Model } from "../../model/index";
import { roomChanges } from "../../model/rooms/room-changes";
import { joinPresence } from "../../model/stanzas/muc-occupancy";
import { readRoomAhead } from "../session/catch-up";

/** The longest a join waits for the room's newest archive page read ahead of it (ms). */
export const JOIN_WAIT_MS = 1000;

/** Keeps the confirmed rooms and the muted ones on the device. */
export function saveRooms(model: Model): void {
  const rooms = roomChanges(model.rooms).saved();
  const muted = [...model.rooms.muted.value];
  model.device.write(async (s, a) => {
    await s.putMeta(a, "rooms", rooms);
    await s.putMeta(a, "mutedRooms", muted);
  });
}

/**
 * (Re)joins a room known to the rooms proxy: joining, its occupants to come, when online. A room this
 * device holds nothing of has its newest archive page read first, and the join presence goes out once
 * that page is in (or after JOIN_WAIT_MS): its messages are shown before the occupant list arrives (in
 * a room of a thousand, a thousand presences that would otherwise be handled before the page shows);
 * the catch-up that completes the join then reads only what came since. A room whose archive is
 * closed to non-occupants refuses it, and that catch-up reads the page instead. Not
 * for a room being created (`earlyRead` false): ejabberd 23.01 answering a query to a room that does
 * not exist yet may start that room, and the join then finds it made, not created (no status 201).
 */
export async function sendJoin(model: Model, jid: string, earlyRead = true): Promise<void> {
  const known = model.rooms.get(jid);
  if (!known) return;
  const room = roomChanges(model.rooms).join(known);
  if (!model.xmpp.isOnline()) return;
  if (earlyRead && !model.chats.lastRoomStanzaId(room.jid)) {
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      readRoomAhead(model, room.jid),
      new Promise<void>((r) => {
        waited = setTimeout(r, JOIN_WAIT_MS);
      }),
    ]);
    clearTimeout(waited);
    // Left, or offline, meanwhile: the join goes out with the next session (join-rooms.ts), if at all.
    if (model.rooms.get(room.jid)?.state !== "joining" || !model.xmpp.isOnline()) return;
  }
  await model.xmpp.send(joinPresence(room.jid, room.nick, room.password));
}
