/**
 * Recovery after a reload, a long sleep or a dropped connection: fetch what the server archived since
 * the newest archive id on this device (XEP-0313, RSM paging), or the newest page on a new device.
 * The results arrive as messages (receive-message.ts) and merge without duplicates (chats-proxy.ts);
 * outbox messages found there were sent before and are marked so, never sent again. With `room`, the
 * same from that room's own archive (XEP-0313 on the room JID, XEP-0045 rooms): after the newest room
 * archive id on this device (CATCH_UP_ROOM, once each join completes).
 */
import type { Command } from "../../app/facade";
import type { Model } from "../../model/index";
import { mamQuery, parseMamFin } from "../../model/stanzas/stanzas-sync";

const PAGE = 100;
const NEWEST_PAGE = 50;
const MAX_PAGES = 50;

export async function catchUp(model: Model, room?: string): Promise<void> {
  const { xmpp, chats } = model;
  let after = room ? chats.lastRoomStanzaId(room) : chats.lastStanzaId();
  const query = (from: string | null, max: number) => {
    const iq = mamQuery(`mam-${model.now().toString(36)}-${Math.random().toString(36).slice(2)}`, from, max);
    if (room) iq.attrs.to = room;
    return xmpp.request(iq);
  };
  // Archives stamp whole seconds: what comes after the anchor, or after a copy here the read meets,
  // stays after it (chats-proxy.ts catchingUp). Without an anchor, the newest page.
  const scope = room ?? "*";
  chats.catchingUp(scope, chats.newestArchived(room)?.at ?? Number.NEGATIVE_INFINITY);
  try {
    if (!after) {
      await chats.readArchiveQuietly(() => query(null, NEWEST_PAGE));
      return;
    }
    for (let page = 0; page < MAX_PAGES; page++) {
      let fin: ReturnType<typeof parseMamFin>;
      try {
        fin = parseMamFin(await query(after, PAGE));
      } catch {
        // The archive no longer knows that id (expired): take the newest page instead.
        await query(null, NEWEST_PAGE);
        return;
      }
      if (fin.complete || !fin.last) return;
      after = fin.last;
    }
  } finally {
    chats.catchingUp(scope, null);
  }
}

/** A room's newest page asked for ahead of its join (room-session.ts), while it is being read. */
const readsAhead = new WeakMap<Model, Map<string, Promise<void>>>();

/** Reads a room's newest archive page now, ahead of the join; the join's catch-up waits for it. Resolves once read. */
export function readRoomAhead(model: Model, room: string): Promise<void> {
  const reads = readsAhead.get(model) ?? new Map<string, Promise<void>>();
  readsAhead.set(model, reads);
  const read = catchUp(model, room)
    .catch(() => {})
    .finally(() => {
      if (reads.get(room) === read) reads.delete(room);
    });
  reads.set(room, read);
  return read;
}

/** The read of `room`'s newest page ahead of its join, while it is under way (else undefined). */
export const roomReadAhead = (model: Model, room: string): Promise<void> | undefined => readsAhead.get(model)?.get(room);

/**
 * Catches up one room from its own archive; a room without an archive (no XEP-0313 on it) has only
 * live messages. A read ahead of the join still under way is waited for first: the catch-up reads
 * after the newest message that page brings, never after a message from the middle of it.
 */
export const catchUpRoom: Command<"CATCH_UP_ROOM"> = async ({ room }, { model }) => {
  await readsAhead.get(model)?.get(room);
  await catchUp(model, room).catch(() => {});
};
