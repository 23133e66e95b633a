/**
 * Another device of mine changed my room bookmarks (XEP-0402 §3.4, a PEP notification): a new room
 * bookmarked to autojoin is joined here too, a retracted one is left here too (that device left it),
 * a new name shows. The echo of my own publish or retract changes nothing (the room is already as it
 * says); a bookmark without a name never clears the room's (the echo of the publish a new room's join
 * makes, before its owner form named it, comes after that name was set).
 */
import type { Command } from "../../app/facade";
import { roomChanges } from "../../model/rooms/room-changes";
import { localOf } from "../../model/stanzas/jid";
import { leavePresence } from "../../model/stanzas/muc-occupancy";
import { saveRooms, sendJoin } from "./room-session";

export const receiveBookmarks: Command<"RECEIVE_BOOKMARKS"> = async ({ published, retracted }, { model }) => {
  const { rooms, xmpp, chats } = model;
  const changes = roomChanges(rooms);
  let changed = false;
  const joins: string[] = [];
  for (const b of published) {
    const room = rooms.get(b.jid);
    if (room) {
      const name = b.name || room.name;
      if (name !== room.name || b.autojoin !== room.autojoin) {
        changes.update(b.jid, { name, autojoin: b.autojoin });
        changed = true;
      }
      continue;
    }
    if (!b.autojoin) continue;
    changes.join({ jid: b.jid, nick: b.nick || localOf(xmpp.bare) || "me", password: b.password, name: b.name, autojoin: true });
    changes.update(b.jid, { confirmed: true });
    joins.push(b.jid);
    changed = true;
  }
  for (const jid of retracted) {
    const room = rooms.get(jid);
    if (!room) continue;
    changes.remove(jid);
    changed = true;
    if (chats.active.value === jid) chats.close();
    if (xmpp.isOnline() && room.state !== "left") await xmpp.send(leavePresence(jid, room.nick));
  }
  if (changed) saveRooms(model);
  for (const jid of joins) await sendJoin(model, jid);
};
