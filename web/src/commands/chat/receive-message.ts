/**
 * An incoming message (seed: RECEIVE_MESSAGE), live, a carbon (XEP-0280) or an archive result
 * (XEP-0313): chat bodies go to their thread in either direction (deduplicated, unread unless open);
 * live ones get a XEP-0184 receipt when asked and update the contact's chat state (XEP-0085);
 * receipts and errors update delivery state; corrections, retractions, reactions, replies and chat
 * markers are read by receive-rich.ts. A receipt counts live or as a received carbon (the contact
 * acknowledging what another client of mine sent, XEP-0280 §6), and only from the message's addressee.
 * Groupchat messages go to their room (receive-room-message.ts).
 */
import type { Command } from "../../app/facade";
import { fileFromUrl } from "../../model/files/shared-file";
import { privatePeerOf } from "../../model/rooms/private-chats";
import { receipt } from "../../model/stanzas/stanzas";
import { conversationOf } from "../../model/stanzas/stanzas-sync";
import { roomChunk, roomChunkNow } from "../rooms/room-chunk";
import { receiveRich } from "./receive-rich";

export const receiveMessage: Command<"RECEIVE_MESSAGE"> = async (msg, ctx) => {
  const { model } = ctx;
  const { chats, xmpp } = model;
  if (msg.type === "error") {
    if (msg.id) chats.setState(msg.id, "failed");
    return;
  }
  const own = xmpp.bare;
  // A private message with a room occupant is a conversation of its own (XEP-0045 §7.5).
  const occupant = privatePeerOf(msg, own, (jid) => model.rooms.has(jid));
  if (msg.receiptFor && (msg.via === "live" || msg.via === "carbon-received"))
    chats.setState(msg.receiptFor, "delivered", occupant ?? msg.bare);
  if (msg.type === "groupchat") return (roomChunkNow() ?? (await roomChunk())).receiveRoomMessage(msg, ctx);
  if (msg.type === "headline") return;
  const conversation = conversationOf(msg, own);
  const { direction } = conversation;
  const peer = occupant ?? conversation.peer;
  if (peer === own || !peer) return;
  const live = msg.via === "live";
  if (live && direction === "in" && msg.chatState) chats.setTyping(peer, msg.chatState === "composing");
  if (msg.body === null && !msg.rich) return;
  if (live && direction === "in" && msg.body !== null) chats.setTyping(peer, false);
  const rich = receiveRich(msg, peer, direction, chats);
  if (rich) {
    const unread = direction === "in" && !rich.retracted && !(msg.via === "archive" && !chats.archiveCountsUnread());
    const body = msg.body ?? "";
    chats.add(
      {
        id: msg.id,
        peer,
        direction,
        body,
        at: msg.at,
        state: direction === "out" ? "sent" : "delivered",
        ...(msg.stanzaId ? { stanzaId: msg.stanzaId } : {}),
        ...(msg.originId ? { originId: msg.originId } : {}),
        // A file as Conversations and Converse.js send one: the body is exactly the XEP-0066 URL.
        ...(msg.oobUrl && body.trim() === msg.oobUrl ? { file: fileFromUrl(msg.oobUrl) } : {}),
        ...rich,
      },
      unread,
      msg.queryId,
    );
  }
  if (live && direction === "in" && msg.receiptRequested && xmpp.isOnline()) await xmpp.send(receipt(msg.from, msg.id));
};
