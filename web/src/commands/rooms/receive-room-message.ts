/**
 * A groupchat message (XEP-0045 §7.4), live or from the room's archive (XEP-0313): only from a room I
 * am in (anything else claiming to be a room is dropped). My own messages come back reflected: matched
 * to the sent one by origin-id (XEP-0359), so they show once, and the reflection means delivered.
 * A subject (§8.1) updates the room; a message naming my nickname counts as a mention. A room sends
 * its messages in its own order, so a live one is never placed before what the room sent earlier,
 * even stamped a little earlier (a resumed stream's redelivery, XEP-0198, carries a whole-second
 * <delay/>).
 * Corrections (XEP-0308), retractions (XEP-0424), reactions (XEP-0444) and replies (XEP-0461) work as in
 * a chat (receive-rich.ts), with the occupant as author (amendments.ts occupantAuthor): only the one who
 * wrote a message corrects or retracts it. Retractions, reactions and replies name the message by the
 * room's archive id (XEP-0424 / XEP-0444 / XEP-0461 on groupchat), corrections by its origin id.
 * Chat markers (XEP-0333) are not used in rooms. A moderation (XEP-0425, room-moderation.ts) is
 * trusted only from the room's bare JID, a moderated tombstone only from the room's archive.
 */
import type { CommandContext } from "../../app/facade";
import { occupantAuthor, occupantIdAuthor } from "../../model/chats/amendments";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { mentions } from "../../model/rooms/mentions";
import { roomChanges } from "../../model/rooms/room-changes";
import { resourceOf } from "../../model/stanzas/jid";
import type { Message } from "../../model/stanzas/stanzas";
import { receiveRich } from "../chat/receive-rich";
import { receiveModeration } from "./room-moderation";

export function receiveRoomMessage(msg: Message, { model, facade }: CommandContext): void {
  const { rooms, chats } = model;
  const room = rooms.get(msg.bare);
  if (!room || msg.via === "carbon-sent" || msg.via === "carbon-received") return;
  if (msg.moderation && receiveModeration(msg, room.jid, chats)) return;
  const nick = resourceOf(msg.from);
  if (msg.subject !== undefined && msg.body === null) {
    roomChanges(rooms).update(room.jid, { subject: msg.subject });
    return;
  }
  if (!nick || (msg.body === null && !msg.rich)) return;
  const mine = nick === room.nick || (!!msg.originId && !!chats.outgoing(msg.originId));
  // The author: by XEP-0421 occupant id in a room that offers them, else (and also) by nickname.
  const occupantId = room.occupantIds && msg.occupantId ? msg.occupantId : undefined;
  const byNick = occupantAuthor(room.jid, nick);
  let rich: ReturnType<typeof receiveRich> = {};
  if (msg.rich) {
    const { displayed: _displayed, markable: _markable, ...parts } = msg.rich;
    const author = occupantId ? occupantIdAuthor(room.jid, occupantId) : byNick;
    rich = receiveRich({ ...msg, rich: parts }, room.jid, mine ? "out" : "in", chats, mine ? undefined : author, byNick);
  }
  if (!rich || (msg.body === null && rich.retracted === undefined)) {
    // An amendment of mine came back from the room: it went through.
    if (mine && msg.originId) chats.setState(msg.originId, "delivered");
    return;
  }
  const body = rich.body ?? msg.body ?? "";
  const mention = !mine && mentions(body, room.nick);
  const id = msg.stanzaId ?? msg.originId ?? (msg.id || `${msg.at}-${nick}`);
  const newest = chats.live(room.jid).list.at(-1);
  const at = msg.via === "live" && newest && msg.at < newest.at && msg.at > newest.at - 1000 ? newest.at : msg.at;
  const entry: ChatMessage = {
    id: mine && msg.originId ? msg.originId : id,
    peer: room.jid,
    direction: mine ? "out" : "in",
    ...rich,
    body,
    at,
    state: "delivered",
    room: true,
    nick,
    ...(mention ? { mention: true as const } : {}),
    ...(msg.stanzaId ? { stanzaId: msg.stanzaId } : {}),
    ...(msg.originId ? { originId: msg.originId } : {}),
    ...(occupantId && !mine ? { occupantId } : {}),
  };
  const quiet = msg.via === "archive" && !chats.archiveCountsUnread();
  const added = chats.add(entry, !mine && !quiet, msg.queryId);
  if (mine && msg.originId) chats.setState(msg.originId, "delivered");
  if (!added || !mention || quiet) return;
  if (chats.active.value !== room.jid) roomChanges(rooms).addMention(room.jid);
  if (msg.via === "live" && !rooms.muted.value.has(room.jid)) facade.send("ROOM_MENTION", { room: room.jid, nick, body });
}
