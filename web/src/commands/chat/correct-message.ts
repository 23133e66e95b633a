/**
 * Use case "correct my last message" (XEP-0308 Last Message Correction): a new message that names
 * the original (`<replace id/>`), sent now (a correction waits for no outbox: offline, it is refused),
 * and shown in place of the original's body with an "edited" mark.
 */
import type { Command } from "../../app/facade";
import { MAX_BODY } from "../../app/limits";
import { ME } from "../../model/chats/amendments";
import { groupchatMessage } from "../../model/stanzas/muc-occupancy";
import { asCorrection } from "../../model/stanzas/rich-build";
import { chatMessage } from "../../model/stanzas/stanzas";
import { newMessageId } from "./message-id";

export const correctMessage: Command<"CORRECT_MESSAGE"> = async ({ to, id, body }, { model }) => {
  const { chats, xmpp } = model;
  const text = body.replace(/\s+$/, "");
  if (!text.trim()) throw new Error("A correction cannot be empty: delete the message instead.");
  if (text.length > MAX_BODY) throw new Error(`Messages are limited to ${MAX_BODY} characters.`);
  const original = chats.lookup(to, id);
  if (original?.direction !== "out" || original.retracted !== undefined)
    throw new Error("Only your own messages can be corrected.");
  if (original.body === text) return;
  if (!xmpp.isOnline()) throw new Error("Offline: the correction was not sent.");
  const correction = newMessageId(model.now());
  // In a room the correction goes to everyone (XEP-0308 §4 in groupchat), naming my message's origin id.
  const message = original.room ? groupchatMessage(to, text, correction) : chatMessage(to, text, correction);
  await xmpp.send(asCorrection(message, original.id));
  chats.amend(to, original.id, { kind: "correct", id: correction, by: ME, at: model.now(), body: text });
};
