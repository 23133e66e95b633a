/**
 * What a presence says about its sender's card beside availability, taken as it came: the XEP-0153
 * photo element's text (§3.2) and the XEP-0172 nickname (§4.1). They are validated where they are
 * used (avatars.ts cardOf), with the code that loads after the first paint; and whether a message is a
 * PEP notification of an avatar or a nickname (parsed in avatars.ts).
 */
import type { Element } from "@xmpp/xml";
import type { Presence } from "./stanzas";

export const NS_AVATAR_METADATA = "urn:xmpp:avatar:metadata";
export const NS_NICK = "http://jabber.org/protocol/nick";
export const NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event";

export function withContactCard(p: Presence, el: Element): Presence {
  const photo = el.getChild("x", "vcard-temp:x:update")?.getChild("photo")?.text();
  const nick = el.getChildText("nick", NS_NICK);
  return { ...p, ...(photo !== undefined ? { photo } : {}), ...(nick ? { nick } : {}) };
}

/** A PEP notification of my room bookmarks (XEP-0402; parsed in bookmarks.ts, loaded when one comes). */
export function isBookmarksEvent(message: Element): boolean {
  return message.getChild("event", NS_PUBSUB_EVENT)?.getChild("items")?.attrs.node === "urn:xmpp:bookmarks:1";
}

/** A PEP notification (pubsub#event) of avatar metadata or a nickname. */
export function isContactEvent(message: Element): boolean {
  const node = message.getChild("event", NS_PUBSUB_EVENT)?.getChild("items")?.attrs.node;
  return node === NS_AVATAR_METADATA || node === NS_NICK;
}
