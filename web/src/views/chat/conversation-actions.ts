/**
 * What the chat and room mediators share: the use cases a conversation's composer and rows send
 * (keep a draft, send, correct XEP-0308, retract XEP-0424, react XEP-0444, find a message by any of
 * its ids), and my newest message there that can still be corrected.
 */
import type { Facade } from "../../app/facade";
import type { ChatMessage } from "../../model/chats/chats-proxy";

export function conversationActions(facade: Facade, jid: string) {
  const { chats, drafts } = facade.model;
  return {
    /** The unsent text kept for this conversation. */
    draft: drafts.draft(jid),
    keepDraft: (text: string) => facade.send("KEEP_DRAFT", { jid, text }),
    send: (body: string, replyTo?: string) =>
      facade.send("SEND_MESSAGE", { to: jid, body, ...(replyTo !== undefined ? { replyTo } : {}) }),
    correct: (id: string, body: string) => facade.send("CORRECT_MESSAGE", { to: jid, id, body }),
    lookup: (id: string) => chats.lookup(jid, id),
    retract: (m: ChatMessage) => facade.send("RETRACT_MESSAGE", { to: jid, id: m.id }),
    react: (m: ChatMessage, emoji: string) => facade.send("REACT_MESSAGE", { to: jid, id: m.id, emoji }),
    /** My newest message here that can still be corrected (sent, or reflected by the room; not deleted). */
    lastOwn: (): ChatMessage | null => {
      const list = chats.live(jid).list;
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i] as ChatMessage;
        if (m.direction !== "out") continue;
        return m.retracted === undefined && m.state !== "queued" && m.state !== "sending" && m.state !== "failed" ? m : null;
      }
      return null;
    },
  };
}
