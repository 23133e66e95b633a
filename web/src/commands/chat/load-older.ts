/**
 * Use case "show older messages" of one chat, asked for when the reader scrolls to its top: the page
 * of the server archive just before the oldest message here (XEP-0313 `with` + RSM `before`,
 * stanzas-sync.ts), until the archive's start. The results arrive as archive messages
 * (receive-message.ts), merge without duplicates and count as read; the chat keeps the reader's place.
 * A room pages back through the room's own archive (XEP-0313 on the room JID, XEP-0045 rooms), before
 * the oldest archive id the room gave (stanza-id by = the room; nothing else is trusted there).
 */
import type { Command } from "../../app/facade";
import type { Model } from "../../model/index";
import { chatPeer, isChatPeer } from "../../model/rooms/private-chats";
import { mamPageBefore, parseMamFin } from "../../model/stanzas/stanzas-sync";
import { roomReadAhead } from "../session/catch-up";

/** Messages per page: about three screens of a phone. */
export const OLDER_PAGE = 50;

export const loadOlder: Command<"LOAD_OLDER"> = async ({ jid }, { model }) => {
  const { xmpp, chats, archive } = model;
  const peer = chatPeer(jid);
  if (!isChatPeer(peer)) throw new Error(`Not a chat address: ${jid}`);
  // Offline: nothing to ask yet; the chat asks again when it next renders near its top.
  if (!xmpp.isOnline()) return;
  const room = model.rooms.has(peer);
  // A room shown empty while its join reads the newest page: that read brings it; asking for a page
  // "before nothing" now would read the same page twice. The log asks again once it has rows.
  if (room && chats.live(peer).list.length === 0 && !model.rooms.get(peer)?.synced) return;
  // While the room is being joined, a page before that one waits for the join: the service answers in
  // order, and the join's thousand presences should not wait behind a page nobody scrolled to yet.
  if (room) await joinSettled(model, peer);
  // And the newest page read ahead of the join, if still arriving (the join may have gone out without
  // it, JOIN_WAIT_MS): otherwise the rest of it is taken for older history (chats-proxy.ts pageBack)
  // and shown before the start of that page.
  if (room) await roomReadAhead(model, peer);
  if (!xmpp.isOnline() || !archive.begin(peer)) return;
  const cursor = archive.cursor(peer);
  // In a room only the room's own archive ids name a place in its archive (my own queued messages have none).
  const shown = chats.live(peer).list;
  const oldest = room ? (shown.find((m) => m.room && m.stanzaId) ?? shown[0]) : shown[0];
  const before = cursor ? { id: cursor } : oldest?.stanzaId ? { id: oldest.stanzaId } : { end: oldest?.at ?? null };
  const queryId = `older-${model.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const query = mamPageBefore(queryId, room ? null : peer, before, OLDER_PAGE);
  if (room) query.attrs.to = peer;
  chats.pageBack(peer, queryId);
  try {
    const fin = parseMamFin(await chats.readArchiveQuietly(() => xmpp.request(query)));
    archive.pageDone(peer, fin);
  } catch {
    archive.failed(peer);
  } finally {
    chats.pageBack(peer, null);
  }
};

/** Resolves once `room` is no longer being joined (joined, refused, left or gone). */
function joinSettled(model: Model, room: string): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const stop = model.rooms.rooms.subscribe((rooms) => {
      if (done || rooms.get(room)?.state === "joining") return;
      done = true;
      resolve();
      queueMicrotask(() => stop());
    });
  });
}
