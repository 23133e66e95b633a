/**
 * What later messages change about an earlier one, applied the same whatever order they arrive in
 * (live, from the archive while catching up, or while paging back, where a correction comes before
 * the message it corrects):
 * - a correction (XEP-0308) replaces the body, the newest correction winning, and marks it edited;
 * - a retraction (XEP-0424) empties it for good ("message deleted");
 * - a set of reactions (XEP-0444) replaces that sender's previous set, the newest set winning.
 * - a moderation (XEP-0425) empties a room message for good ("removed by a moderator").
 * Only a message's author may correct or retract it (XEP-0308 §5, XEP-0424 §6): anything else is
 * dropped. A moderation comes from the room itself (receive-room-message.ts checks that), by MODERATOR. An author is "me" for my messages, else the sender's address (the contact in a chat; in a
 * room, the occupant: room@service/nick, since everyone's messages come from the room).
 */
import type { ChatMessage } from "./chats-proxy";

/** The author of my own messages and amendments. */
export const ME = "me";
/** The author of a room's own moderations (XEP-0425). */
export const MODERATOR = "room";

interface Base {
  /** The amending message's own id (the same copy arriving twice changes nothing). */
  id: string;
  /** Who sent it: ME, or the sender's address. */
  by: string;
  /** When it was sent (the archive's stamp, or its arrival). */
  at: number;
  /** The same author known another way: a room occupant by nickname, for a message kept before the room's occupant ids were known. */
  alsoBy?: string;
}

export type Amendment =
  | (Base & { kind: "correct"; body: string })
  | (Base & { kind: "retract" })
  | (Base & { kind: "react"; emojis: string[] })
  | (Base & { kind: "moderate"; reason?: string });

/** An amendment whose message is not on this device yet, kept until it arrives. */
export interface PendingAmendment {
  /** The conversation (the contact's bare JID, or a room's). */
  peer: string;
  /** The id the amendment names (the message's id, origin-id or archive id). */
  target: string;
  amendment: Amendment;
}

export const authorOf = (m: Pick<ChatMessage, "direction" | "peer" | "room" | "nick" | "occupantId">): string =>
  m.direction === "out"
    ? ME
    : m.room
      ? m.occupantId
        ? occupantIdAuthor(m.peer, m.occupantId)
        : occupantAuthor(m.peer, m.nick ?? "")
      : m.peer;

/** The author of a room message or amendment by XEP-0421 occupant id (a room that offers them). */
export const occupantIdAuthor = (room: string, occupantId: string): string => `${room}#${occupantId}`;

/** The author of a room message or amendment by `nick` (not me). */
export const occupantAuthor = (room: string, nick: string): string => `${room}/${nick}`;

/** `m` with `a` applied, or null when it changes nothing or is not allowed. */
export function amended(m: ChatMessage, a: Amendment): ChatMessage | null {
  if (a.kind === "react") {
    const previous = m.reactions?.[a.by];
    if (previous && (previous.at > a.at || previous.id === a.id)) return null;
    const reactions = { ...m.reactions };
    // A room occupant known by occupant id is named by the nickname it reacted under.
    const name = a.alsoBy?.includes("/") ? a.alsoBy.slice(a.alsoBy.indexOf("/") + 1) : undefined;
    if (a.emojis.length) reactions[a.by] = { id: a.id, at: a.at, emojis: a.emojis, ...(name ? { name } : {}) };
    else delete reactions[a.by];
    const { reactions: _, ...rest } = m;
    return Object.keys(reactions).length ? { ...rest, reactions } : rest;
  }
  if (a.kind === "moderate") {
    if (!m.room || a.by !== MODERATOR || m.moderated) return null;
    const { reactions: _r, edit: _e, file: _f, ...rest } = m;
    return { ...rest, body: "", retracted: m.retracted ?? a.at, moderated: a.reason ? { reason: a.reason } : {} };
  }
  const author = authorOf(m);
  if ((a.by !== author && a.alsoBy !== author) || m.retracted !== undefined) return null;
  if (a.kind === "retract") return { ...m, body: "", retracted: a.at };
  if (m.edit && (m.edit.at > a.at || m.edit.id === a.id)) return null;
  return { ...m, body: a.body, edit: { id: a.id, at: a.at } };
}
