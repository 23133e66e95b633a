/**
 * Use case "am I still in my rooms?" (XEP-0410 self-ping), on a timer and after a resumed stream: an iq
 * ping to my own occupant JID. A result, or an error saying only that the occupant does not answer
 * pings (service-unavailable, feature-not-implemented), means I am in; not-acceptable (not an occupant)
 * or item-not-found (no such occupant) means the room dropped me silently: join again.
 */
import type { Command } from "../../app/facade";
import { errorCondition } from "../../model/rooms/refusals";
import { selfPing } from "../../model/stanzas/muc-occupancy";
import { sendJoin } from "./room-session";

const DROPPED: ReadonlySet<string> = new Set(["not-acceptable", "item-not-found"]);

export const pingRooms: Command<"PING_ROOMS"> = async (_body, { model }) => {
  const { rooms, xmpp } = model;
  const joined = rooms.list.value.filter((r) => r.state === "joined");
  await Promise.all(
    joined.map(async (room) => {
      if (!xmpp.isOnline()) return;
      const condition = await xmpp.request(selfPing(room.jid, room.nick)).then(
        () => "",
        (err) => errorCondition(err),
      );
      if (DROPPED.has(condition) && rooms.get(room.jid)?.state === "joined") await sendJoin(model, room.jid);
    }),
  );
};
