/**
 * Mediator of the roster view (seed: RosterMediator): filtered contacts with presence and unread
 * counts, pending subscription requests, whether presence is current (I am connected), and the
 * contact use cases.
 */
import { useComputed, useSignal } from "@preact/signals";
import { browserOnline } from "../../app/browser-online";
import { useFacade, useNotification } from "../../app/facade-context";
import { occupantOf, privateChatName } from "../../model/rooms/private-chats";
import { withFormerNames } from "../avatar/display-name";
import { useFrameValue } from "../use-frame-value";

export function useRosterMediator() {
  const facade = useFacade();
  const { roster, chats, xmpp, avatars, blocklist, rooms } = facade.model;
  const filter = useSignal("");
  const addProblem = useSignal<string | null>(null);
  const contacts = useComputed(() => {
    const nicks = avatars.nicks.value;
    const all = nicks.size
      ? roster.contacts.value.map((c) => (c.name === c.jid && nicks.has(c.jid) ? { ...c, name: nicks.get(c.jid) ?? c.jid } : c))
      : roster.contacts.value;
    const q = filter.value.trim().toLowerCase();
    if (!q) return all;
    return all.filter((c) => c.jid.includes(q) || c.name.toLowerCase().includes(q));
  });
  /** Conversations with people who are not in the roster (they wrote first). */
  const others = useComputed(() => {
    const known = new Set(roster.contacts.value.map((c) => c.jid));
    return chats.peers.value.filter((p) => !known.has(p) && !rooms.has(p) && !chats.live(p).list[0]?.room);
  });
  /** Names of the other conversations: private ones with a room occupant are "nick (room)". */
  const otherNames = useComputed(() => {
    const base = withFormerNames(roster.formerNames.value, avatars.nicks.value);
    const privates = others.value.filter((p) => occupantOf(p));
    if (!privates.length) return base;
    const names = new Map(base);
    for (const p of privates) names.set(p, privateChatName(p, (r) => rooms.rooms.value.get(r)?.name) ?? p);
    return names;
  });
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (command === "ADD_CONTACT") addProblem.value = message;
  });
  return {
    filter,
    contacts: contacts.value,
    total: roster.contacts.value.length,
    requests: roster.requests.value,
    others: others.value,
    otherNames: otherNames.value,
    // Per frame, not per incoming message.
    unread: useFrameValue(chats.unread),
    active: chats.active.value,
    /** Contacts' presence is only known while my session is up and the device has a network. */
    connected: xmpp.state.value === "online" && browserOnline.value,
    addProblem: addProblem.value,
    images: avatars.images.value,
    /** Names for people not in the roster: the one I gave them while they were, else their nickname. */
    nicks: withFormerNames(roster.formerNames.value, avatars.nicks.value),
    blocked: blocklist.blocked.value,
    block: (jid: string) => facade.send("BLOCK_CONTACT", { jid }),
    open: (jid: string) => facade.send("OPEN_CHAT", { jid }),
    approve: (jid: string) => facade.send("APPROVE_SUBSCRIPTION", { jid }),
    deny: (jid: string) => facade.send("DENY_SUBSCRIPTION", { jid }),
    add: async (jid: string, name: string) => {
      addProblem.value = null;
      await facade.send("ADD_CONTACT", { jid, name });
      return addProblem.peek() === null;
    },
  };
}
