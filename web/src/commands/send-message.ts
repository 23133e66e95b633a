/**
 * Use case "send a message" (seed: SendMessageCommand): a chat message (RFC 6121 §5.2.2) asking for a
 * delivery receipt (XEP-0184). While offline it is queued and sent when the session is back.
 */
import type { Command } from "../app/facade";
import { MAX_BODY } from "../app/limits";
import { isBareJid } from "../model/jid";
import { chatMessage } from "../model/stanzas";

export const sendMessage: Command<"SEND_MESSAGE"> = async ({ to, body }, { model }) => {
  const text = body.replace(/\s+$/, "");
  if (!text.trim()) return;
  if (!isBareJid(to)) throw new Error(`Not a chat address: ${to}`);
  if (text.length > MAX_BODY) throw new Error(`Messages are limited to ${MAX_BODY} characters.`);
  const { xmpp, chats } = model;
  const id = crypto.randomUUID?.() ?? `m${model.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  const online = xmpp.isOnline();
  chats.addOutgoing({ id, peer: to, body: text, at: model.now(), state: online ? "sending" : "queued" });
  if (!online) return;
  try {
    await xmpp.send(chatMessage(to, text, id));
    chats.setState(id, "sent");
  } catch {
    chats.setState(id, "queued");
  }
};
