/**
 * At every session start: the rooms come back. The bookmarks (XEP-0402) add the rooms joined on other
 * devices (autojoin ones); then each room is joined again, unless the stream was resumed (XEP-0198)
 * with this page already in it: the occupancy survived on the server, so a self-ping (XEP-0410,
 * ping-rooms.ts) checks it instead of a rejoin. A fresh session's rooms always need a join (the old
 * session's occupancy ended with it).
 */
import type { Facade } from "../../app/facade";
import type { Model } from "../../model/index";
import { roomChanges } from "../../model/rooms/room-changes";
import { bookmarksGet, parseBookmarks } from "../../model/stanzas/bookmarks";
import { localOf } from "../../model/stanzas/jid";
import { saveRooms, sendJoin } from "./room-session";

/** How often joined rooms are self-pinged (XEP-0410 §4 suggests minutes, not seconds). */
const SELF_PING_MS = 5 * 60_000;
const pingers = new WeakMap<Model, ReturnType<typeof setInterval>>();

export async function joinRooms(model: Model, facade: Facade, resumed: boolean): Promise<void> {
  if (!pingers.has(model))
    pingers.set(
      model,
      setInterval(() => void facade.send("PING_ROOMS"), SELF_PING_MS),
    );
  const { rooms, xmpp } = model;
  const marks = await xmpp
    .request(bookmarksGet())
    .then(parseBookmarks)
    .catch(() => []);
  let added = false;
  for (const b of marks) {
    if (!b.autojoin || rooms.has(b.jid)) continue;
    roomChanges(rooms).join({
      jid: b.jid,
      nick: b.nick || localOf(xmpp.bare) || "me",
      password: b.password,
      name: b.name,
      autojoin: true,
    });
    roomChanges(rooms).update(b.jid, { confirmed: true, state: "left" });
    added = true;
  }
  if (added) saveRooms(model);
  let ping = false;
  // All at once: a room joined for the first time waits for its newest archive page (room-session.ts).
  const joins: Promise<void>[] = [];
  for (const room of rooms.list.value) {
    if (resumed && room.state === "joined") ping = true;
    else if (room.autojoin || room.state !== "left") joins.push(sendJoin(model, room.jid));
  }
  await Promise.all(joins);
  if (ping) await facade.send("PING_ROOMS");
}
