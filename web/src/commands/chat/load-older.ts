/**
 * Use case "show older messages" of one chat, asked for when the reader scrolls to its top: the page
 * of the server archive just before the oldest message here (XEP-0313 `with` + RSM `before`,
 * stanzas-sync.ts), until the archive's start. The results arrive as archive messages
 * (receive-message.ts), merge without duplicates and count as read; the chat keeps the reader's place.
 */
import type { Command } from "../../app/facade";
import { bareJid, isBareJid } from "../../model/stanzas/jid";
import { mamPageBefore, parseMamFin } from "../../model/stanzas/stanzas-sync";

/** Messages per page: about three screens of a phone. */
export const OLDER_PAGE = 50;

export const loadOlder: Command<"LOAD_OLDER"> = async ({ jid }, { model }) => {
  const { xmpp, chats, archive } = model;
  const peer = bareJid(jid);
  if (!isBareJid(peer)) throw new Error(`Not a chat address: ${jid}`);
  // Offline: nothing to ask yet; the chat asks again when it next renders near its top.
  if (!xmpp.isOnline() || !archive.begin(peer)) return;
  const cursor = archive.cursor(peer);
  const oldest = chats.live(peer).list[0];
  const before = cursor ? { id: cursor } : oldest?.stanzaId ? { id: oldest.stanzaId } : { end: oldest?.at ?? null };
  const queryId = `older-${model.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  chats.pageBack(peer);
  try {
    const fin = parseMamFin(await chats.readArchiveQuietly(() => xmpp.request(mamPageBefore(queryId, peer, before, OLDER_PAGE))));
    archive.pageDone(peer, fin);
  } catch {
    archive.failed(peer);
  } finally {
    chats.pageBack(null);
  }
};
