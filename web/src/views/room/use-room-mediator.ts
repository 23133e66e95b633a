/**
 * Mediator of the room view: the room (subject, my nickname, occupants), its thread, and the
 * send / leave / mute / older-history use cases.
 */
import { useFacade } from "../../app/facade-context";

export function useRoomMediator(jid: string) {
  const facade = useFacade();
  const { rooms, chats, archive, drafts } = facade.model;
  const room = rooms.rooms.value.get(jid);
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
    send: (body: string) => facade.send("SEND_MESSAGE", { to: jid, body }),
    close: () => facade.send("CLOSE_CHAT"),
    leave: () => facade.send("LEAVE_ROOM", { room: jid }),
    mute: (muted: boolean) => facade.send("MUTE_ROOM", { room: jid, muted }),
    rejoin: () => room && facade.send("JOIN_ROOM", { room: jid, nick: room.nick, password: room.password }),
  };
}
