/**
 * Use case "send a message" (seed: SendMessageCommand): a chat message (RFC 6121 §5.2.2) asking for a
 * delivery receipt (XEP-0184). It goes to the outbox first (on the device, shown pending) and leaves
 * from there, in order, now or when the session is back (flush-outbox.ts). A reply (XEP-0461) names
 * the message it answers, which must be in the chat; the quote for other clients is added on sending.
 */
import type { Command } from "../../app/facade";
import { MAX_BODY } from "../../app/limits";
import { isChatPeer } from "../../model/rooms/private-chats";
import { newMessageId } from "./message-id";

export const sendMessage: Command<"SEND_MESSAGE"> = async ({ to, body, replyTo }, { model, facade }) => {
  const text = body.replace(/\s+$/, "");
  if (!text.trim()) return;
  if (!isChatPeer(to)) throw new Error(`Not a chat address: ${to}`);
  if (text.length > MAX_BODY) throw new Error(`Messages are limited to ${MAX_BODY} characters.`);
  const original = replyTo === undefined ? undefined : model.chats.lookup(to, replyTo);
  if (replyTo !== undefined && !original) throw new Error("The message you reply to is not in this chat.");
  const room = model.rooms.get(to);
  // In a room a reply names the message by the room's archive id and its author by occupant JID (XEP-0461 §3).
  const reply =
    original &&
    (room && original.room
      ? { id: original.stanzaId ?? original.id, to: `${to}/${original.direction === "out" ? room.nick : (original.nick ?? "")}` }
      : { id: original.id, to: original.direction === "out" ? model.xmpp.bare : to });
  const id = newMessageId(model.now());
  const inRoom = room ? { room: true as const, nick: room.nick } : {};
  model.chats.addOutgoing({
    id,
    peer: to,
    body: text,
    at: model.now(),
    state: "queued",
    ...(reply ? { replyTo: reply } : {}),
    ...inRoom,
  });
  await model.device.saved();
  await facade.send("FLUSH_OUTBOX");
};
