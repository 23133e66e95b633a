/**
 * The rich parts of a received chat message (model/stanzas/rich.ts), live, a carbon or from the
 * archive: a correction, retraction or set of reactions amends the message it names (or waits for it,
 * chats-proxy.ts amend) and is not shown itself; a displayed marker makes my messages "read" (from the
 * contact) or the contact's messages displayed (from another device of mine); a reply, a markable
 * message and an archive tombstone are messages with something more to show.
 */
import { ME } from "../../model/chats/amendments";
import type { ChatMessage, ChatsProxy } from "../../model/chats/chats-proxy";
import type { Message } from "../../model/stanzas/stanzas";

/** What the message adds to its own row, or null when it was only about other messages. */
export type RichFields = Pick<ChatMessage, "body" | "replyTo" | "markable" | "retracted">;

export function receiveRich(
  msg: Message,
  peer: string,
  direction: "in" | "out",
  chats: ChatsProxy,
  /** Who sent it, when not the conversation's peer (a room's occupant, amendments.ts occupantAuthor). */
  author?: string,
  /** The same author known another way (a room occupant by nickname, amendments.ts). */
  alsoBy?: string,
): Partial<RichFields> | null {
  const rich = msg.rich;
  if (!rich) return {};
  const by = direction === "out" ? ME : (author ?? peer);
  const also = direction === "in" && alsoBy && alsoBy !== by ? { alsoBy } : {};
  const id = msg.originId || msg.id || msg.stanzaId || "";
  if (rich.displayed) {
    if (direction === "in") chats.markRead(peer, rich.displayed);
    else chats.markDisplayed(peer, rich.displayed);
  }
  if (rich.retracts) {
    chats.amend(peer, rich.retracts, { kind: "retract", id, by, ...also, at: msg.at });
    return null;
  }
  if (rich.replaces) {
    if (msg.body !== null)
      chats.amend(peer, rich.replaces, { kind: "correct", id, by, ...also, at: msg.at, body: rich.text ?? msg.body });
    return null;
  }
  if (rich.reactions) {
    chats.amend(peer, rich.reactions.id, { kind: "react", id, by, ...also, at: msg.at, emojis: rich.reactions.emojis });
    return null;
  }
  if (rich.tombstone) return { body: "", retracted: msg.at };
  if (msg.body === null) return null;
  const fields: Partial<RichFields> = {};
  if (rich.text !== undefined) fields.body = rich.text;
  if (rich.reply) fields.replyTo = rich.reply;
  if (rich.markable && direction === "in") fields.markable = true;
  return fields;
}
