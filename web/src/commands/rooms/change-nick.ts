/**
 * Use case "change my nickname in a room" (XEP-0045 §7.6): presence to the new occupant JID. The room
 * answers with my old occupant leaving with status 303 and the new nickname (receive-room-presence.ts
 * then keeps it), or refuses: conflict (in use), not-acceptable (reserved), said as a sentence.
 */
import type { Command } from "../../app/facade";
import { refusalSentence } from "../../model/rooms/refusals";
import { nickChange } from "../../model/stanzas/muc-admin";

const NICK_TIMEOUT_MS = 15_000;
/** RFC 7622 §3.4: a resourcepart is at most 1023 bytes. */
const MAX_NICK = 1023;

export const changeNick: Command<"CHANGE_NICK"> = async ({ room, nick }, { model, facade }) => {
  const wanted = nick.trim();
  const r = model.rooms.get(room);
  if (!wanted) throw new Error("Enter a nickname.");
  if (new TextEncoder().encode(wanted).length > MAX_NICK) throw new Error("That nickname is too long.");
  if (r?.state !== "joined") throw new Error("Join the room before changing your nickname.");
  if (wanted === r.nick) return;
  const outcome = new Promise<string | null>((resolve) => {
    const done = (result: string | null) => {
      clearTimeout(timer);
      stop();
      resolve(result);
    };
    const timer = setTimeout(() => done(refusalSentence("nick", "remote-server-timeout")), NICK_TIMEOUT_MS);
    const stop = facade.subscribe("RECEIVE_ROOM_PRESENCE", (p) => {
      if (p.room !== room) return;
      if (p.error && p.nick === wanted) done(refusalSentence("nick", p.error.condition));
      else if (p.codes.includes(303) && p.codes.includes(110)) done(null);
    });
  });
  await model.xmpp.send(nickChange(room, wanted, `n-${model.now().toString(36)}`));
  const refusal = await outcome;
  if (refusal !== null) throw new Error(refusal);
};
