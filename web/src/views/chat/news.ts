/**
 * What the message list (message-list.tsx) counts as news and when its newest message counts as seen:
 * the "N new messages" divider and the "↓ N new" button count others' messages only (my own reply,
 * sent after the divider, is no news to me), and the log is at its bottom when its last row is in view,
 * however it got there (scrolled, or opened at a divider that is near the end of a short log).
 */
import type { ChatMessage } from "../../model/chats/chats-proxy";

/** A log within this many px of its end counts as at the bottom. */
export const BOTTOM_SLACK = 8;

/** Others' messages in `list` from index `from` on. */
export function othersFrom(list: readonly ChatMessage[], from: number): number {
  let count = 0;
  for (let i = Math.max(0, from); i < list.length; i++) if ((list[i] as ChatMessage).direction === "in") count++;
  return count;
}

/** Whether the scrolled log shows its end (the newest row). */
export function atBottom(el: { scrollHeight: number; scrollTop: number; clientHeight: number }): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
}
