/**
 * A groupchat message (XEP-0045 §7.4), live or from the room's archive (XEP-0313): only from a room I
 * am in (anything else claiming to be a room is dropped). My own messages come back reflected: matched
 * to the sent one by origin-id (XEP-0359), so they show once, and the reflection means delivered.
 * A subject (§8.1) updates the room; a message naming my nickname counts as a mention. A room sends
 * its messages in its own order, so a live one is never placed before what the room sent earlier,
 * even stamped a little earlier (a resumed stream's redelivery, XEP-0198, carries a whole-second
 * <delay/>).
 */
import type { CommandContext } from "../../app/facade";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { mentions } from "../../model/rooms/mentions";
import { roomChanges } from "../../model/rooms/room-changes";
import { resourceOf } from "../../model/stanzas/jid";
import type { Message } from "../../model/stanzas/stanzas";

export function receiveRoomMessage(msg: Message, { model, facade }: CommandContext): void {
  const { rooms, chats } = model;
  const room = rooms.get(msg.bare);
  if (!room || msg.via === "carbon-sent" || msg.via === "carbon-received") return;
  const nick = resourceOf(msg.from);
  if (msg.subject !== undefined && msg.body === null) {
    roomChanges(rooms).update(room.jid, { subject: msg.subject });
    return;
  }
  if (msg.body === null || !nick) return;
  const mine = nick === room.nick || (!!msg.originId && !!chats.outgoing(msg.originId));
  const mention = !mine && mentions(msg.body, room.nick);
  const id = msg.stanzaId ?? msg.originId ?? (msg.id || `${msg.at}-${nick}`);
  const newest = chats.live(room.jid).list.at(-1);
  const at = msg.via === "live" && newest && msg.at < newest.at && msg.at > newest.at - 1000 ? newest.at : msg.at;
  const entry: ChatMessage = {
    id: mine && msg.originId ? msg.originId : id,
    peer: room.jid,
    direction: mine ? "out" : "in",
    body: msg.body,
    at,
    state: "delivered",
    room: true,
    nick,
    ...(mention ? { mention: true as const } : {}),
    ...(msg.stanzaId ? { stanzaId: msg.stanzaId } : {}),
    ...(msg.originId ? { originId: msg.originId } : {}),
  };
  const quiet = msg.via === "archive" && !chats.archiveCountsUnread();
  const added = chats.add(entry, !mine && !quiet);
  if (mine && msg.originId) chats.setState(msg.originId, "delivered");
  if (!added || !mention || quiet) return;
  if (chats.active.value !== room.jid) roomChanges(rooms).addMention(room.jid);
  if (msg.via === "live" && !rooms.muted.value.has(room.jid))
    facade.send("ROOM_MENTION", { room: room.jid, nick, body: msg.body });
}
