/**
 * Use case "join a room" (XEP-0045 §7.2): the room address and a nickname (and the room's password,
 * if it has one). The room is listed at once as joining; my own presence coming back (status 110,
 * receive-room-presence.ts) completes the join, a refusal ends it with a sentence (refusals.ts).
 * Offline, the join goes out when the session is up (join-rooms.ts). The bookmark says autojoin
 * (every device joins it) unless asked otherwise, as the watch page does for a stream's room; a room
 * already known keeps its own choice.
 */
import type { Command } from "../../app/facade";
import { roomChanges } from "../../model/rooms/room-changes";
import { bareJid, isBareJid } from "../../model/stanzas/jid";
import { sendJoin } from "./room-session";

/** RFC 7622 §3.4: a resourcepart (the nickname) is at most 1023 bytes. */
const MAX_NICK = 1023;

export const joinRoom: Command<"JOIN_ROOM"> = async ({ room, nick, password, autojoin, creating }, { model }) => {
  const jid = bareJid(room.trim());
  const name = nick.trim();
  if (!isBareJid(jid)) throw new Error("Enter the room's address as room@conference.example.org.");
  if (!name) throw new Error("Enter a nickname.");
  if (new TextEncoder().encode(name).length > MAX_NICK) throw new Error("That nickname is too long.");
  const old = model.rooms.get(jid);
  roomChanges(model.rooms).join({ jid, nick: name, password, autojoin: old?.autojoin ?? autojoin ?? true });
  await sendJoin(model, jid, !creating);
};
