/**
 * Mediator of the chat view (seed: ChatMediator): the open thread, the contact's presence, and the
 * send / close / remove / load-older use cases.
 */
import { browserOnline } from "../../app/browser-online";
import { useFacade } from "../../app/facade-context";

export function useChatMediator(jid: string) {
  const facade = useFacade();
  const { chats, roster, archive, drafts, xmpp } = facade.model;
  const contact = roster.contacts.value.find((c) => c.jid === jid);
  return {
    jid,
    name: contact?.name ?? jid,
    availability: contact?.availability ?? "offline",
    inRoster: !!contact,
    /** The contact's presence is only known while my session is up and the device has a network. */
    presenceKnown: xmpp.state.value === "online" && browserOnline.value,
    /** Read by the message list itself (it re-renders alone when messages arrive). */
    thread: chats.live(jid),
    typing: chats.typing.value.has(jid),
    /** Where the unread messages began when this chat was opened (its "new messages" divider). */
    firstUnread: chats.firstUnreadAtOpen(jid),
    /** Older history in the server archive: more, loading, complete or failed. */
    older: archive.states.value.get(jid) ?? "more",
    loadOlder: () => facade.send("LOAD_OLDER", { jid }),
    /** The unsent text kept for this chat. */
    draft: drafts.draft(jid),
    keepDraft: (text: string) => facade.send("KEEP_DRAFT", { jid, text }),
    chatState: (state: "composing" | "paused") => facade.send("SEND_CHAT_STATE", { to: jid, state }),
    send: (body: string) => facade.send("SEND_MESSAGE", { to: jid, body }),
    attach: (file: Blob & { name?: string }) => facade.send("ATTACH_FILE", { to: jid, file }),
    close: () => facade.send("CLOSE_CHAT"),
    remove: () => facade.send("REMOVE_CONTACT", { jid }),
    add: () => facade.send("ADD_CONTACT", { jid, name: "" }),
  };
}
