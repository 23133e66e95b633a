/**
 * Mediator of the room view: the room (subject, my nickname, occupants), its thread, and the
 * send / leave / mute / older-history use cases, and a moderator's removal of a message (XEP-0425).
 * The room is followed at most once per animation frame (use-frame-value.ts): a big room's join
 * changes it once per occupant presence.
 */
import { useFacade } from "../../app/facade-context";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { useFrameValue } from "../use-frame-value";

export function useRoomMediator(jid: string) {
  const facade = useFacade();
  const { rooms, chats, archive, drafts } = facade.model;
  const room = useFrameValue(rooms.rooms).get(jid);
  // In arrival order: the people list sorts what it shows (people-filter.ts), only while it is open.
  const occupants = [...(room?.occupants.values() ?? [])];
  return {
    jid,
    name: room?.name || jid,
    subject: room?.subject ?? "",
    nick: room?.nick ?? "",
    state: room?.state ?? "left",
    problem: room?.problem ?? null,
    occupants,
    muted: rooms.muted.value.has(jid),
    thread: chats.live(jid),
    firstUnread: chats.firstUnreadAtOpen(jid),
    older: archive.states.value.get(jid) ?? "more",
    loadOlder: () => facade.send("LOAD_OLDER", { jid }),
    draft: drafts.draft(jid),
    keepDraft: (text: string) => facade.send("KEEP_DRAFT", { jid, text }),
    send: (body: string, replyTo?: string) =>
      facade.send("SEND_MESSAGE", { to: jid, body, ...(replyTo !== undefined ? { replyTo } : {}) }),
    /** Corrections, retractions, reactions and replies in the room (XEP-0308, 0424, 0444, 0461). */
    correct: (id: string, body: string) => facade.send("CORRECT_MESSAGE", { to: jid, id, body }),
    lookup: (id: string) => chats.lookup(jid, id),
    retract: (m: ChatMessage) => facade.send("RETRACT_MESSAGE", { to: jid, id: m.id }),
    react: (m: ChatMessage, emoji: string) => facade.send("REACT_MESSAGE", { to: jid, id: m.id, emoji }),
    /** A moderator of a room that offers XEP-0425 may remove others' messages that have a room archive id. */
    canModerate: (m: ChatMessage) =>
      !!room?.moderation &&
      room.occupants.get(room.nick)?.role === "moderator" &&
      m.direction === "in" &&
      !!m.stanzaId &&
      m.retracted === undefined,
    moderate: (m: ChatMessage, reason: string) => facade.send("MODERATE_MESSAGE", { room: jid, id: m.id, reason }),
    /** My newest message of this room that can still be corrected (the room reflected it, not deleted). */
    lastOwn: () => {
      const list = chats.live(jid).list;
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i] as ChatMessage;
        if (m.direction !== "out") continue;
        return m.retracted === undefined && m.state !== "queued" && m.state !== "sending" && m.state !== "failed" ? m : null;
      }
      return null;
    },
    close: () => facade.send("CLOSE_CHAT"),
    leave: () => facade.send("LEAVE_ROOM", { room: jid }),
    mute: (muted: boolean) => facade.send("MUTE_ROOM", { room: jid, muted }),
    rejoin: () => room && facade.send("JOIN_ROOM", { room: jid, nick: room.nick, password: room.password }),
  };
}
