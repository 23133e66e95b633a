/** Use case "keep what I typed": the composer's unsent text of one chat stays on the device (drafts-proxy.ts). */
import type { Command } from "../../app/facade";
import { chatPeer, isChatPeer } from "../../model/rooms/private-chats";

export const keepDraft: Command<"KEEP_DRAFT"> = ({ jid, text }, { model }) => {
  const peer = chatPeer(jid);
  if (!isChatPeer(peer)) throw new Error(`Not a chat address: ${jid}`);
  model.drafts.keep(peer, text);
};
