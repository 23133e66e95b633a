/**
 * Sends the outbox (outgoing messages still "queued", kept on the device) oldest first, one at a time,
 * once the session is up and the archive check is done. Each message is on disk before it leaves and
 * keeps its id (= XEP-0359 origin-id), so a reload can match it against the archive instead of
 * sending it twice. Stops at the first failure; the next session start sends the rest. A message is
 * "sent" once the server acknowledged it (XEP-0198 §4), or once written when the server does not ack.
 */
import type { Command } from "../../app/facade";
import { chatMessage } from "../../model/stanzas/stanzas";

export const flushOutbox: Command<"FLUSH_OUTBOX"> = async (_body, { model }) => {
  const { chats, xmpp, device, outbox } = model;
  await outbox.flush(async () => {
    for (const msg of chats.queued()) {
      if (!outbox.synced || !xmpp.isOnline()) return false;
      chats.setState(msg.id, "sending");
      await device.saved();
      try {
        await xmpp.send(chatMessage(msg.peer, msg.body, msg.id));
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
