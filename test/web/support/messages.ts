/**
 * The messages of one chat as the chat view sees them (ChatsProxy.live: the thread and its version
 * signal): a copy made only when the version changed since the last look, so a change to a thread that
 * forgot to bump its version stays invisible here too, as it would stay on screen.
 */
import type { ChatMessage, ChatsProxy, LiveThread } from "../../../web/src/model/chats/chats-proxy";

const copies = new WeakMap<LiveThread, { version: number; messages: readonly ChatMessage[] }>();

export function messagesWith(chats: ChatsProxy, peer: string): readonly ChatMessage[] {
  const thread = chats.live(peer);
  const version = thread.version.value;
  const seen = copies.get(thread);
  if (seen?.version === version) return seen.messages;
  const messages = [...thread.list];
  copies.set(thread, { version, messages });
  return messages;
}
