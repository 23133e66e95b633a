/**
 * Private messages with a room occupant (XEP-0045 §7.5): a conversation of its own, keyed by the
 * occupant's JID (room@service/nick), never merged into the room or into a one-to-one chat with the
 * room's bare address. Named "nick (room)" wherever it is listed.
 */
import { bareJid, isBareJid, resourceOf } from "../stanzas/jid";
import type { Message } from "../stanzas/stanzas";

/** The room and nickname of an occupant JID, or null for any address without both. */
export function occupantOf(peer: string): { room: string; nick: string } | null {
  const nick = resourceOf(peer);
  const room = bareJid(peer);
  return nick && isBareJid(room) ? { room, nick } : null;
}

/** The key of a private conversation with `nick` in `room` (the room part lower case, the nickname as it is). */
export const occupantPeer = (room: string, nick: string): string => `${bareJid(room)}/${nick}`;

/** The conversation key of a chat address: a room occupant's JID as occupantPeer writes it, else the bare JID. */
export function chatPeer(jid: string): string {
  const o = occupantOf(jid);
  return o ? occupantPeer(o.room, o.nick) : bareJid(jid);
}

/** A conversation address the chat use cases accept: a bare JID, or a room occupant's JID. */
export const isChatPeer = (peer: string): boolean => isBareJid(peer) || occupantOf(peer) !== null;

/** How a private conversation is named: "nick (room name)", the room's address when it has no name. */
export function privateChatName(peer: string, roomName: (room: string) => string | undefined): string | null {
  const o = occupantOf(peer);
  return o ? `${o.nick} (${roomName(o.room) || o.room})` : null;
}

/**
 * The private conversation a chat message belongs to, or null when it is none: one marked as private
 * (<x xmlns=muc#user/>, as Converse.js and Conversations receive and send them), or a chat message
 * from an occupant of a room I know (servers that do not mark them).
 */
export function privatePeerOf(msg: Message, own: string, isRoom: (jid: string) => boolean): string | null {
  if (msg.type !== "chat" && msg.type !== "normal") return null;
  const o = occupantOf(msg.occupant ?? (msg.bare !== own && isRoom(msg.bare) ? msg.from : ""));
  return o ? occupantPeer(o.room, o.nick) : null;
}
