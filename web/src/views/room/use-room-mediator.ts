/**
 * Mediator of the room view: the room (subject, my nickname, occupants), its thread, and the
 * send / leave / mute / older-history use cases, and a moderator's removal of a message (XEP-0425).
 * The room is followed at most once per animation frame (use-frame-value.ts): a big room's join
 * changes it once per occupant presence.
 */
import { useFacade } from "../../app/facade-context";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { conversationActions } from "../chat/conversation-actions";
import { useFrameValue } from "../use-frame-value";

export function useRoomMediator(jid: string) {
  const facade = useFacade();
  const { rooms, chats, archive } = facade.model;
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
    /** Corrections, retractions, reactions and replies in the room (XEP-0308, 0424, 0444, 0461). */
    ...conversationActions(facade, jid),
    /** A moderator of a room that offers XEP-0425 may remove others' messages that have a room archive id. */
    canModerate: (m: ChatMessage) =>
      !!room?.moderation &&
      room.occupants.get(room.nick)?.role === "moderator" &&
      m.direction === "in" &&
      !!m.stanzaId &&
      m.retracted === undefined,
    moderate: (m: ChatMessage, reason: string) => facade.send("MODERATE_MESSAGE", { room: jid, id: m.id, reason }),
    close: () => facade.send("CLOSE_CHAT"),
    leave: () => facade.send("LEAVE_ROOM", { room: jid }),
    mute: (muted: boolean) => facade.send("MUTE_ROOM", { room: jid, muted }),
    rejoin: () => room && facade.send("JOIN_ROOM", { room: jid, nick: room.nick, password: room.password }),
  };
}
