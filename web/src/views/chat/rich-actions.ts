/**
 * What a message row can do beyond showing itself, handed down by the chat view: find another message
 * of the chat (a reply's original), answer one, correct or delete one of mine, react to one, and say
 * when the contact's messages were seen (chat markers). One object per chat, so rows stay memoised.
 */
import type { ChatMessage } from "../../model/chats/chats-proxy";

export interface RichActions {
  /** The message of this chat known by `id`, if this device has it. */
  lookup: (id: string) => ChatMessage | undefined;
  reply: (m: ChatMessage) => void;
  edit: (m: ChatMessage) => void;
  retract: (m: ChatMessage) => void;
  react: (m: ChatMessage, emoji: string) => void;
  /** In a room: whether I may remove this message of someone else's as a moderator (XEP-0425). */
  canModerate?: (m: ChatMessage) => boolean;
  moderate?: (m: ChatMessage, reason: string) => void;
  /** The newest of the contact's messages the reader has on screen (page visible, chat open). */
  seen: (m: ChatMessage) => void;
}

/** The reactions offered at a tap; any other emoji can be typed. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/** A XEP-0245 "/me" message: the text after "/me ", else null. */
export function meAction(body: string): string | null {
  return body.startsWith("/me ") && body.length > 4 ? body.slice(4) : null;
}
