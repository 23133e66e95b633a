/**
 * Use case "send a message" (seed: SendMessageCommand): a chat message (RFC 6121 §5.2.2) asking for a
 * delivery receipt (XEP-0184). It goes to the outbox first (on the device, shown pending) and leaves
 * from there, in order, now or when the session is back (flush-outbox.ts).
 */
import type { Command } from "../../app/facade";
import { MAX_BODY } from "../../app/limits";
import { isBareJid } from "../../model/stanzas/jid";

export const sendMessage: Command<"SEND_MESSAGE"> = async ({ to, body }, { model, facade }) => {
  const text = body.replace(/\s+$/, "");
  if (!text.trim()) return;
  if (!isBareJid(to)) throw new Error(`Not a chat address: ${to}`);
  if (text.length > MAX_BODY) throw new Error(`Messages are limited to ${MAX_BODY} characters.`);
  const id = crypto.randomUUID?.() ?? `m${model.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  model.chats.addOutgoing({ id, peer: to, body: text, at: model.now(), state: "queued" });
  await model.device.saved();
  await facade.send("FLUSH_OUTBOX");
};
