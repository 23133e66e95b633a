/**
 * The rooms I am in (XEP-0045): per room my nickname, its password, name and subject, the join's
 * progress, the occupants live as their presences arrive (role, affiliation), whether its archive
 * catch-up since the last join is done (only then may the outbox send into it), mention counts and
 * which rooms are muted. The messages themselves live in the chats (chats-proxy.ts, peer = the room).
 * A room is "confirmed" once a join succeeded: only confirmed rooms are kept on the device and
 * bookmarked (XEP-0402), so a mistyped address never comes back. What only the room use cases change
 * (joins, occupants, mentions, mutes) is in room-changes.ts, loaded with them.
 */
import { computed, signal } from "@preact/signals";
import type { Affiliation, Role } from "../stanzas/muc";

export type RoomState = "joining" | "joined" | "left";

export interface Occupant {
  nick: string;
  role: Role;
  affiliation: Affiliation;
  jid: string | null;
}

export interface Room {
  jid: string;
  nick: string;
  password: string;
  /** The room's name from its bookmark (empty: none). */
  name: string;
  subject: string;
  autojoin: boolean;
  state: RoomState;
  /** A sentence saying why the last join failed or why I am out (refusals.ts), else null. */
  problem: string | null;
  /** A join succeeded once: kept on the device and in the bookmarks. */
  confirmed: boolean;
  /** The archive catch-up after the last join is done. */
  synced: boolean;
  occupants: ReadonlyMap<string, Occupant>;
  /** The room offers occupant ids (XEP-0421): its messages' authors are known by them. */
  occupantIds?: true;
  /** The XEP-0425 moderation namespace the room offers (its disco#info): moderators may remove messages. */
  moderation?: string;
}

/** What the device keeps of a room (history-store.ts meta "rooms"). */
export interface SavedRoom {
  jid: string;
  nick: string;
  password: string;
  name: string;
  subject: string;
  autojoin: boolean;
}

export class RoomsProxy {
  readonly rooms = signal<ReadonlyMap<string, Room>>(new Map());
  /** Unseen mentions of my nickname per room. */
  readonly mentions = signal<ReadonlyMap<string, number>>(new Map());
  /** Rooms that do not notify (kept on the device). */
  readonly muted = signal<ReadonlySet<string>>(new Set());
  /** The rooms in the order they were joined. */
  readonly list = computed(() => [...this.rooms.value.values()]);

  has(jid: string): boolean {
    return this.rooms.value.has(jid);
  }

  get(jid: string): Room | undefined {
    return this.rooms.value.get(jid);
  }

  clearMentions(jid: string): void {
    if (!this.mentions.value.has(jid)) return;
    const next = new Map(this.mentions.value);
    next.delete(jid);
    this.mentions.value = next;
  }

  clear(): void {
    this.rooms.value = new Map();
    this.mentions.value = new Map();
    this.muted.value = new Set();
  }
}
