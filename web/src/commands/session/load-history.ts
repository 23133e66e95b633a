/**
 * Shows an account's device history (history-store.ts) at once: its roster, conversations, unread
 * counts and outbox, before any connection. Returns the saved session, if any.
 */

import { contactCommands } from "../../app/lazy-command";
import type { SavedSession } from "../../model/device/history-store";
import type { Model } from "../../model/index";
import { roomChunk } from "../rooms/room-chunk";

export async function loadHistory(model: Model, account: string): Promise<SavedSession | null> {
  const { chats, roster, archive, device } = model;
  if (device.account !== account) {
    chats.clear();
    roster.clear();
    archive.clear();
    model.avatars.clear();
    model.blocklist.clear();
    model.rooms.clear();
    model.invitations.clear();
  }
  device.useAccount(account);
  model.drafts.useAccount(account);
  const { messages, meta } = await model.store.load(account).catch((err) => {
    console.warn("device history unavailable:", err);
    return { messages: [], meta: {} as Awaited<ReturnType<Model["store"]["load"]>>["meta"] };
  });
  if (device.account !== account) return null;
  if (meta.roster && roster.size === 0) roster.setAll(meta.roster);
  if (meta.formerNames) roster.loadFormerNames(meta.formerNames);
  chats.loadPending(meta.amendments ?? []);
  chats.load(messages, new Map(meta.unread ?? []));
  // Avatars kept on the device, once their code is in (never holding up the history).
  await contactCommands()
    .then((c) => c.restoreAvatars(model, account))
    .catch(() => {});
  if (meta.rooms?.length || meta.mutedRooms?.length)
    (await roomChunk()).roomChanges(model.rooms).load(meta.rooms ?? [], meta.mutedRooms ?? []);
  return meta.session ?? null;
}
