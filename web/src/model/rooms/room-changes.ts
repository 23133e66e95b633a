/**
 * The changes of the rooms proxy (rooms-proxy.ts) that only the room use cases make: joining, the
 * occupants, mentions, mutes and what the device keeps. They load with those use cases (their own
 * chunk); what every view and the outbox read stays in the proxy.
 */
import type { Occupant, Room, RoomsProxy, SavedRoom } from "./rooms-proxy";

export type RoomChanges = ReturnType<typeof roomChanges>;

export function roomChanges(p: RoomsProxy) {
  const set = (room: Room): void => {
    const next = new Map(p.rooms.value);
    next.set(room.jid, room);
    p.rooms.value = next;
  };
  return {
    /** Adds a room (or changes how I join it): joining, no occupants known yet. */
    join(saved: Omit<SavedRoom, "subject" | "name"> & Partial<SavedRoom>): Room {
      const old = p.get(saved.jid);
      const room: Room = {
        jid: saved.jid,
        nick: saved.nick,
        password: saved.password,
        name: saved.name ?? old?.name ?? "",
        subject: saved.subject ?? old?.subject ?? "",
        autojoin: saved.autojoin,
        state: "joining",
        problem: null,
        confirmed: old?.confirmed ?? false,
        synced: false,
        occupants: new Map(),
      };
      set(room);
      return room;
    },

    update(jid: string, change: Partial<Omit<Room, "jid">>): void {
      const room = p.get(jid);
      if (room) set({ ...room, ...change });
    },

    remove(jid: string): void {
      if (!p.has(jid)) return;
      const next = new Map(p.rooms.value);
      next.delete(jid);
      p.rooms.value = next;
      p.clearMentions(jid);
    },

    setOccupant(jid: string, occupant: Occupant): void {
      const room = p.get(jid);
      if (!room) return;
      const occupants = new Map(room.occupants);
      occupants.set(occupant.nick, occupant);
      set({ ...room, occupants });
    },

    removeOccupant(jid: string, nick: string): void {
      const room = p.get(jid);
      if (!room?.occupants.has(nick)) return;
      const occupants = new Map(room.occupants);
      occupants.delete(nick);
      set({ ...room, occupants });
    },

    addMention(jid: string): void {
      const next = new Map(p.mentions.value);
      next.set(jid, (next.get(jid) ?? 0) + 1);
      p.mentions.value = next;
    },

    setMuted(jid: string, muted: boolean): void {
      if (p.muted.value.has(jid) === muted) return;
      const next = new Set(p.muted.value);
      if (muted) next.add(jid);
      else next.delete(jid);
      p.muted.value = next;
    },

    /** The confirmed rooms, as the device keeps them. */
    saved(): SavedRoom[] {
      return p.list.value
        .filter((r) => r.confirmed)
        .map(({ jid, nick, password, name, subject, autojoin }) => ({ jid, nick, password, name, subject, autojoin }));
    },

    /** Shows the rooms kept on the device (before any connection): not joined yet. */
    load(saved: readonly SavedRoom[], muted: readonly string[]): void {
      const next = new Map(p.rooms.value);
      for (const s of saved) {
        if (next.has(s.jid)) continue;
        next.set(s.jid, { ...s, state: "left", problem: null, confirmed: true, synced: false, occupants: new Map() });
      }
      p.rooms.value = next;
      p.muted.value = new Set(muted);
    },
  };
}
