/**
 * Builds the rich parts of chat messages (parsed in rich.ts): a reply with its XEP-0428 fallback
 * (XEP-0461), a correction (XEP-0308), a retraction in both XEP-0424 forms, a set of reactions
 * (XEP-0444) and a displayed marker (XEP-0333). Loaded with the commands that send them.
 */
import { type Element, xml } from "@xmpp/xml";
import {
  codePoints,
  MAX_QUOTE,
  NS_CORRECT,
  NS_FALLBACK,
  NS_FASTEN,
  NS_HINTS,
  NS_MARKERS,
  NS_REACTIONS,
  NS_REPLY,
  NS_RETRACT,
  NS_RETRACT0,
} from "./rich";

/** The XEP-0393 quote a reply carries for clients without XEP-0461: "> line" per line of the original. */
export function replyFallback(original: string): string {
  const chars = codePoints(original.trim());
  const text = chars.length > MAX_QUOTE ? `${chars.slice(0, MAX_QUOTE).join("")}…` : chars.join("");
  return `${text
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n")}\n`;
}

/**
 * Adds to a chat message (stanzas.ts chatMessage) what makes it a reply: `<reply/>`, and the quote
 * prepended to its body with the `<fallback/>` range that says so (as Converse.js sends a reply);
 * without a quote (the original is gone) only `<reply/>`.
 */
export function asReply(message: Element, reply: { id: string; to: string; quote: string }): Element {
  const body = message.getChild("body");
  message.append(xml("reply", { xmlns: NS_REPLY, id: reply.id, to: reply.to }));
  if (!body || !reply.quote.trim()) return message;
  const fallback = replyFallback(reply.quote);
  body.children = [fallback + body.text()];
  message.append(
    xml("fallback", { xmlns: NS_FALLBACK, for: NS_REPLY }, xml("body", { start: "0", end: String(codePoints(fallback).length) })),
  );
  return message;
}

/** A correction of my message `replaces` (XEP-0308 §4); `id` is also its origin-id. */
export function asCorrection(message: Element, replaces: string): Element {
  message.append(xml("replace", { xmlns: NS_CORRECT, id: replaces }));
  return message;
}

/**
 * A retraction of my message `retracts` in both forms (the newer one and the XEP-0422 fastening one,
 * for clients that know only that), with a fallback body for clients that know neither, stored by
 * the archive (XEP-0334 store hint). In a room (`groupchat`), `retracts` is the room's archive id of
 * the message (XEP-0424 §4.2), as Converse.js (muc.js: the message's `stanza_id <room>`) and
 * Conversations (ModerationManager.retract: its server id) name it.
 */
export function retraction(to: string, id: string, retracts: string, type: "chat" | "groupchat" = "chat"): Element {
  return xml(
    "message",
    { type, to, id },
    xml("retract", { xmlns: NS_RETRACT, id: retracts }),
    xml("apply-to", { xmlns: NS_FASTEN, id: retracts }, xml("retract", { xmlns: NS_RETRACT0 })),
    xml("fallback", { xmlns: NS_FALLBACK, for: NS_RETRACT }),
    xml("body", {}, "/me retracted a message"),
    xml("store", { xmlns: NS_HINTS }),
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
  );
}

/**
 * My whole set of reactions to message `target` (XEP-0444 §3.2: it replaces the previous set); in a
 * room (`groupchat`) `target` is the room's archive id of the message (XEP-0444 §3.1).
 */
export function reactions(
  to: string,
  id: string,
  target: string,
  emojis: readonly string[],
  type: "chat" | "groupchat" = "chat",
): Element {
  return xml(
    "message",
    { type, to, id },
    xml("reactions", { xmlns: NS_REACTIONS, id: target }, ...emojis.map((e) => xml("reaction", {}, e))),
    xml("store", { xmlns: NS_HINTS }),
  );
}

/** A displayed marker for message `of` (XEP-0333 §4), stored so my other devices learn it too. */
export function displayedMarker(to: string, of: string): Element {
  return xml("message", { type: "chat", to }, xml("displayed", { xmlns: NS_MARKERS, id: of }), xml("store", { xmlns: NS_HINTS }));
}
