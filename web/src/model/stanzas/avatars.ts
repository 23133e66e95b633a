/**
 * Avatars and nicknames of contacts, parsed at the edge:
 * - XEP-0084 User Avatar through PEP (XEP-0163): metadata notifications (§4.2; an empty <metadata/>
 *   means "no avatar", §4.6);
 * - XEP-0153 vCard-based avatars: the photo hash in presence (§3.2: an empty <photo/> means none, no
 *   <photo/> means "not ready"), validated from what presence-card.ts took;
 * - XEP-0172 User Nickname, in a subscription request's presence (§4.1) and through PEP (§4.5).
 * The requests that fetch and publish avatars are in
 * avatar-requests.ts (both this and those load when first needed).
 */
import type { Element } from "@xmpp/xml";
import { bareJid } from "./jid";
import { NS_AVATAR_METADATA, NS_NICK, NS_PUBSUB_EVENT } from "./presence-card";
import type { Presence } from "./stanzas";

export { NS_AVATAR_METADATA, NS_NICK } from "./presence-card";

/** The longest nickname shown (longer ones are cut). */
const MAX_NICK = 100;
/** A SHA-1 in hex: XEP-0084 item ids and XEP-0153 photo hashes. */
const SHA1_HEX = /^[0-9a-f]{40}$/;

const cleanNick = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_NICK);

export const NS_AVATAR_DATA = "urn:xmpp:avatar:data";
export const NS_VCARD = "vcard-temp";
export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";

/** What a contact's PEP service pushed: an avatar (hash; null = they removed it) or a nickname. */
export type ContactEvent =
  | { kind: "avatar"; jid: string; hash: string | null; type: string }
  | { kind: "nick"; jid: string; nick: string };

export interface AvatarImage {
  type: string;
  /** The image bytes, base64 (whitespace removed). */
  base64: string;
}

/** A PEP notification message (pubsub#event) for avatar metadata or a nickname; null for anything else. */
export function parseContactEvent(message: Element): ContactEvent | null {
  const from = message.attrs.from as string | undefined;
  const items = message.getChild("event", NS_PUBSUB_EVENT)?.getChild("items");
  if (!from || !items) return null;
  const jid = bareJid(from);
  const item = items.getChildren("item").at(-1);
  if (items.attrs.node === NS_AVATAR_METADATA) {
    const metadata = item?.getChild("metadata", NS_AVATAR_METADATA);
    if (!metadata) return null;
    const info = metadata.getChildren("info").find((i) => !i.attrs.url && SHA1_HEX.test(String(i.attrs.id ?? "")));
    if (!info) return metadata.getChildren("info").length ? null : { kind: "avatar", jid, hash: null, type: "" };
    return { kind: "avatar", jid, hash: String(info.attrs.id), type: String(info.attrs.type ?? "image/png") };
  }
  if (items.attrs.node === NS_NICK) {
    const nick = cleanNick(item?.getChildText("nick", NS_NICK));
    return { kind: "nick", jid, nick };
  }
  return null;
}

/**
 * A presence's card, validated: the XEP-0153 photo hash (a hash; "" = no avatar; undefined = nothing
 * to change: no <photo/>, or not a SHA-1) and the XEP-0172 nickname, spaces folded, cut at 100.
 */
export function cardOf(p: Presence): { photo: string | undefined; nick: string } {
  const raw = p.photo?.trim().toLowerCase();
  const photo = raw === undefined || (raw !== "" && !SHA1_HEX.test(raw)) ? undefined : raw;
  return { photo, nick: cleanNick(p.nick) };
}
