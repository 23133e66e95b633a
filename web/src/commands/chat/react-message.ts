/**
 * Use case "react to a message" (XEP-0444 Message Reactions): my emoji is added to my set of reactions
 * to that message, or taken out if it was there; the whole set is sent (it replaces the previous one)
 * now (offline, it is refused) and counted under the message.
 */
import type { Command } from "../../app/facade";
import { ME } from "../../model/chats/amendments";
import { reactions } from "../../model/stanzas/rich-build";
import { newMessageId } from "./message-id";

/** One emoji (or a short sequence of them), never text: at most this many code units. */
const MAX_EMOJI = 32;

export const reactMessage: Command<"REACT_MESSAGE"> = async ({ to, id, emoji }, { model }) => {
  const { chats, xmpp } = model;
  const e = emoji.trim();
  if (!e || e.length > MAX_EMOJI || /\p{L}/u.test(e)) throw new Error("A reaction is an emoji.");
  const m = chats.lookup(to, id);
  if (!m || m.retracted !== undefined) throw new Error("That message is not in this chat.");
  if (!xmpp.isOnline()) throw new Error("Offline: the reaction was not sent.");
  const mine = m.reactions?.[ME]?.emojis ?? [];
  const next = mine.includes(e) ? mine.filter((x) => x !== e) : [...mine, e];
  const rid = newMessageId(model.now());
  // For a chat, the id the other side gave the message; in a room, the room's archive id (XEP-0444 §3.1).
  if (m.room && !m.stanzaId) throw new Error("The room has not confirmed this message yet: try again in a moment.");
  await xmpp.send(m.room ? reactions(to, rid, m.stanzaId ?? "", next, "groupchat") : reactions(to, rid, m.id, next));
  chats.amend(to, m.id, { kind: "react", id: rid, by: ME, at: model.now(), emojis: next });
};
