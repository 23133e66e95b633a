/**
 * Mediator of the chat view (seed: ChatMediator): the open thread, the contact's presence, and the
 * send / close / remove / load-older use cases, and what rows do to messages (reply, correct, retract,
 * react, seen: rich-actions.ts).
 */

import { browserOnline } from "../../app/browser-online";
import { useFacade } from "../../app/facade-context";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { occupantOf, privateChatName } from "../../model/rooms/private-chats";
import { displayName, withFormerNames } from "../avatar/display-name";
import { conversationActions } from "./conversation-actions";

export function useChatMediator(jid: string) {
  const facade = useFacade();
  const { chats, roster, archive, xmpp, avatars, blocklist, rooms } = facade.model;
  const contact = roster.contacts.value.find((c) => c.jid === jid);
  // A private conversation with a room occupant (XEP-0045 §7.5): "nick (room)", there while they are.
  const occupant = occupantOf(jid);
  const inRoom = occupant ? rooms.rooms.value.get(occupant.room)?.occupants.has(occupant.nick) : false;
  const privateName = privateChatName(jid, (r) => rooms.rooms.value.get(r)?.name);
  return {
    jid,
    name: privateName ?? displayName(jid, contact?.name, withFormerNames(roster.formerNames.value, avatars.nicks.value)),
    /** A private conversation with a room occupant, not a contact. */
    isPrivate: occupant !== null,
    image: avatars.images.value.get(jid),
    blocked: blocklist.blocked.value.has(jid),
    availability: inRoom ? ("available" as const) : (contact?.availability ?? "offline"),
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
    ...conversationActions(facade, jid),
    chatState: (state: "composing" | "paused") => facade.send("SEND_CHAT_STATE", { to: jid, state }),
    attach: (file: Blob & { name?: string }) => facade.send("ATTACH_FILE", { to: jid, file }),
    seen: (m: ChatMessage) => facade.send("MARK_DISPLAYED", { jid, id: m.id }),
    close: () => facade.send("CLOSE_CHAT"),
    remove: () => facade.send("REMOVE_CONTACT", { jid }),
    add: () => facade.send("ADD_CONTACT", { jid, name: "" }),
    rename: (name: string) => facade.send("RENAME_CONTACT", { jid, name }),
    block: () => facade.send("BLOCK_CONTACT", { jid }),
    unblock: () => facade.send("UNBLOCK_CONTACT", { jid }),
    deleteChat: () => facade.send("DELETE_CHAT", { jid }),
  };
}
