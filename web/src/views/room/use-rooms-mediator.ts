/**
 * Mediator of the rooms beside the contacts: the rooms I am in with their unread and mention counts,
 * and the join form's use case. A refused join (refusals.ts) or a refused input comes back as a
 * sentence; the form keeps what was typed until the join succeeds.
 */
import { useSignal } from "@preact/signals";
import { useFacade, useNotification } from "../../app/facade-context";
import { useFrameValue } from "../use-frame-value";

export function useRoomsMediator() {
  const facade = useFacade();
  const { rooms, chats } = facade.model;
  const problem = useSignal<string | null>(null);
  const pending = useSignal<string | null>(null);
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (command === "JOIN_ROOM") problem.value = message;
  });
  useNotification("ROOM_REFUSED", ({ room, message }) => {
    if (room === pending.value) problem.value = message;
  });
  return {
    // Once per frame at most: every occupant presence of a room changes the list.
    rooms: useFrameValue(rooms.list),
    unread: useFrameValue(chats.unread),
    mentions: rooms.mentions.value,
    muted: rooms.muted.value,
    active: chats.active.value,
    problem: problem.value,
    open: (jid: string) => facade.send("OPEN_CHAT", { jid }),
    /** Resolves true once the join succeeded (then the room opens), false when it was refused. */
    join: async (room: string, nick: string, password: string) => {
      problem.value = null;
      const jid = room.trim().toLowerCase();
      pending.value = jid;
      await facade.send("JOIN_ROOM", { room, nick, password });
      if (problem.peek() !== null) return false;
      const joined = await new Promise<boolean>((resolve) => {
        const check = () => {
          const r = rooms.get(jid);
          if (r?.state === "joined") return resolve(true);
          if (!r || problem.peek() !== null) return resolve(false);
          setTimeout(check, 50);
        };
        check();
      });
      if (joined) void facade.send("OPEN_CHAT", { jid });
      return joined;
    },
  };
}
