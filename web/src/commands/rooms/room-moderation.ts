/**
 * A room's XEP-0425 moderation as it arrives (model/stanzas/moderation.ts): an announcement that a
 * moderator removed a message, live or read back from the room's archive, amends that message (or
 * waits for it, chats-proxy.ts amend) to "removed by a moderator"; a tombstone the archive keeps in the
 * removed message's place shows as that message, removed. Only the room may say so: an announcement
 * counts only from the room's bare JID (an occupant's copy, from room/nick, is nobody's word), a
 * tombstone only when read from the room's archive.
 */
import { MODERATOR } from "../../model/chats/amendments";
import type { ChatsProxy } from "../../model/chats/chats-proxy";
import { resourceOf } from "../../model/stanzas/jid";
import type { Message } from "../../model/stanzas/stanzas";

/** True when the message was a moderation and is done with (shown or dropped). */
export function receiveModeration(msg: Message, room: string, chats: ChatsProxy): boolean {
  const mod = msg.moderation;
  if (!mod) return false;
  const reason = mod.reason ? { reason: mod.reason } : {};
  if (mod.target) {
    if (msg.from !== room) return true;
    const id = msg.stanzaId ?? msg.id ?? `${msg.at}`;
    chats.amend(room, mod.target, { kind: "moderate", id, by: MODERATOR, at: msg.at, ...reason });
    return true;
  }
  const nick = resourceOf(msg.from);
  if (msg.via !== "archive" || !msg.stanzaId || !nick) return true;
  chats.add(
    {
      id: msg.stanzaId,
      peer: room,
      direction: "in",
      body: "",
      at: msg.at,
      state: "delivered",
      room: true,
      nick,
      stanzaId: msg.stanzaId,
      retracted: msg.at,
      moderated: reason,
    },
    false,
    msg.queryId,
  );
  // The same message may be on this device already (seen before it was removed): remove it there too.
  chats.amend(room, msg.stanzaId, { kind: "moderate", id: `tombstone-${msg.stanzaId}`, by: MODERATOR, at: msg.at, ...reason });
  return true;
}
