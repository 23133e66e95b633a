/**
 * Sends the outbox (outgoing messages still "queued", kept on the device) oldest first, one at a time,
 * once the session is up and the archive check is done. Each message is on disk before it leaves and
 * keeps its id (= XEP-0359 origin-id), so a reload can match it against the archive instead of
 * sending it twice. A message with a file not uploaded yet is uploaded first (files/upload-queued.ts,
 * loaded on first use), so files and text leave in the order they were written; a message written
 * while a picked file is still being prepared waits for it. Stops at the first failure; the next
 * session start sends the rest (an upload that could not go while the session stays up is tried again
 * after a wait, files-proxy.ts retryLater). A message is "sent" once the server acknowledged it
 * (XEP-0198 §4), or once written when the server does not ack. A message to a room (XEP-0045
 * groupchat) waits until the room is joined and caught up from its archive (receive-room-presence.ts);
 * so does a private message to one of its occupants (XEP-0045 §7.5: only an occupant may send one).
 */
import type { Command } from "../../app/facade";
import { occupantOf } from "../../model/rooms/private-chats";
import { asPrivate } from "../../model/stanzas/muc-private";
import { chatMessage } from "../../model/stanzas/stanzas";
import { fileMessage } from "../../model/stanzas/upload";
import { roomChunkNow } from "../rooms/room-chunk";

export const flushOutbox: Command<"FLUSH_OUTBOX"> = async (_body, { model, facade }) => {
  const { chats, xmpp, device, outbox, rooms } = model;
  await outbox.flush(async () => {
    for (let msg of chats.queued()) {
      if (!outbox.synced || !xmpp.isOnline()) return false;
      // Written after a file still being prepared: it goes after that file (attach-file.ts sends the outbox again).
      if (model.files.heldBack(msg.at)) return false;
      // A room is synced only once the room chunk joined it (receive-room-presence.ts).
      const room = msg.room && rooms.get(msg.peer)?.synced ? roomChunkNow() : null;
      if (msg.room && !room) continue;
      const occupant = occupantOf(msg.peer);
      const viaRoom = occupant && rooms.get(occupant.room);
      if (occupant && viaRoom && !viaRoom.synced) continue;
      if (msg.file && !msg.file.url) {
        const { uploadQueued } = await import("../files/upload-queued");
        const outcome = await uploadQueued(msg, model);
        if (outcome === "stop") {
          // Still online (an HTTP cut or a busy service): try again after a wait, not only on the next trigger.
          if (xmpp.isOnline()) model.files.retryLater(() => void facade.send("FLUSH_OUTBOX"));
          return false;
        }
        const next = chats.outgoing(msg.id);
        if (outcome === "failed" || !next?.file?.url) continue;
        msg = next;
      }
      chats.setState(msg.id, "sending");
      await device.saved();
      try {
        const url = msg.file?.url;
        const stanza = room
          ? room.groupchatMessage(msg.peer, msg.body, msg.id)
          : url
            ? fileMessage(msg.peer, url, msg.id)
            : chatMessage(msg.peer, msg.body, msg.id);
        if (occupant) asPrivate(stanza);
        const original = msg.replyTo && chats.lookup(msg.peer, msg.replyTo.id);
        if (msg.replyTo)
          (await import("./rich-commands")).asReply(stanza, { ...msg.replyTo, quote: original?.body ?? msg.replyTo.quote ?? "" });
        await xmpp.send(stanza);
        // With stream management the server's ack marks it sent (mark-acknowledged.ts): written into a
        // socket that is already dead (the phone went offline) is not sent.
        if (!xmpp.acknowledges()) chats.setState(msg.id, "sent");
      } catch {
        chats.setState(msg.id, "queued");
        return false;
      }
    }
    return true;
  });
};
