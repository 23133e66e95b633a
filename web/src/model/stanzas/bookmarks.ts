/**
 * Bookmarks of rooms (XEP-0402, PEP node urn:xmpp:bookmarks:1): one item per room, its id the room's
 * JID, a <conference/> with name, autojoin, nick and password. Published with the publish-options of
 * §3.3 (kept, as many items as needed, private), so every device of the account, and this one after a
 * reload, joins the same rooms. Servers that bridge the older XEP-0048 bookmarks (Prosody's
 * mod_bookmarks, ejabberd's mod_pubsub) serve the same list here. Another device's changes come as PEP
 * notifications (XEP-0163, asked for by `urn:xmpp:bookmarks:1+notify` in my capabilities): items
 * published or retracted (XEP-0402 §3.4), trusted only from my own account.
 */
import { type Element, xml } from "@xmpp/xml";
import { bareJid, isBareJid } from "./jid";

export const NS_BOOKMARKS = "urn:xmpp:bookmarks:1";
export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";

export interface Bookmark {
  jid: string;
  name: string;
  autojoin: boolean;
  nick: string;
  password: string;
}

export function bookmarksGet(): Element {
  return xml("iq", { type: "get" }, xml("pubsub", { xmlns: NS_PUBSUB }, xml("items", { node: NS_BOOKMARKS })));
}

/** The bookmarks in an items result (or a PEP event's items); items without a room address are skipped. */
export function parseBookmarks(el: Element): Bookmark[] {
  const items = el.getChild("pubsub", NS_PUBSUB)?.getChild("items") ?? el.getChild("items");
  const out: Bookmark[] = [];
  for (const item of items?.getChildren("item") ?? []) {
    const conf = item.getChild("conference", NS_BOOKMARKS);
    const jid = bareJid(item.attrs.id ?? "");
    if (!conf || !isBareJid(jid)) continue;
    const autojoin = conf.attrs.autojoin;
    out.push({
      jid,
      name: conf.attrs.name ?? "",
      autojoin: autojoin === "true" || autojoin === "1",
      nick: conf.getChildText("nick") ?? "",
      password: conf.getChildText("password") ?? "",
    });
  }
  return out;
}

export interface BookmarksEvent {
  published: Bookmark[];
  /** Rooms whose bookmark was retracted. */
  retracted: string[];
}

const NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event";

/** A PEP notification of my bookmarks (from my own bare JID, or from no one: my server), else null. */
export function parseBookmarksEvent(message: Element, own: string): BookmarksEvent | null {
  const event = message.getChild("event", NS_PUBSUB_EVENT);
  const items = event?.getChild("items");
  if (!event || items?.attrs.node !== NS_BOOKMARKS) return null;
  const from = message.attrs.from;
  if (from && bareJid(from) !== own) return null;
  const retracted = items
    .getChildren("retract")
    .map((r) => bareJid(r.attrs.id ?? ""))
    .filter(isBareJid);
  return { published: parseBookmarks(event), retracted };
}

const field = (name: string, value: string, type?: string) => xml("field", { var: name, type }, xml("value", {}, value));

/** XEP-0402 §3.3's publish-options: kept, as many items as needed, never sent on presence, private. */
export const BOOKMARK_OPTIONS: Record<string, string> = {
  "pubsub#persist_items": "true",
  "pubsub#max_items": "max",
  "pubsub#send_last_published_item": "never",
  "pubsub#access_model": "whitelist",
};

/** Publishes one room's bookmark with these publish-options (XEP-0060 §7.1.5). */
export function bookmarkPublish(b: Bookmark, options: Record<string, string> = BOOKMARK_OPTIONS): Element {
  return xml(
    "iq",
    { type: "set" },
    xml(
      "pubsub",
      { xmlns: NS_PUBSUB },
      xml(
        "publish",
        { node: NS_BOOKMARKS },
        xml(
          "item",
          { id: b.jid },
          xml(
            "conference",
            { xmlns: NS_BOOKMARKS, name: b.name || undefined, autojoin: b.autojoin ? "true" : "false" },
            b.nick ? xml("nick", {}, b.nick) : null,
            b.password ? xml("password", {}, b.password) : null,
          ),
        ),
      ),
      xml(
        "publish-options",
        {},
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          field("FORM_TYPE", "http://jabber.org/protocol/pubsub#publish-options", "hidden"),
          ...Object.entries(options).map(([name, value]) => field(name, value)),
        ),
      ),
    ),
  );
}

export function bookmarkRetract(room: string): Element {
  return xml(
    "iq",
    { type: "set" },
    xml("pubsub", { xmlns: NS_PUBSUB }, xml("retract", { node: NS_BOOKMARKS, notify: "true" }, xml("item", { id: room }))),
  );
}
