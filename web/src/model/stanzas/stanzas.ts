/**
 * The one module that reads and writes XML: stanzas in, plain typed objects out, and builders back.
 * RFC 6120 (stanzas, errors), RFC 6121 (roster, presence, subscriptions, messages),
 * XEP-0184 (delivery receipts), XEP-0203 (delayed delivery timestamps), XEP-0359 (stanza-id, origin-id),
 * XEP-0085 (chat states). Carbons and archive results are unwrapped in stanzas-sync.ts.
 */
import { type Element, xml } from "@xmpp/xml";
import { bareJid, resourceOf } from "./jid";
import { type Moderation, parseModeration } from "./moderation";
import { NS_MUC_USER } from "./muc";
import { NS_OCCUPANT_ID } from "./occupant-id";
import { NS_MARKERS, parseRich, type RichParts } from "./rich";
import { parseOobUrl } from "./upload";

export const NS_ROSTER = "jabber:iq:roster";
export const NS_RECEIPTS = "urn:xmpp:receipts";
export const NS_DELAY = "urn:xmpp:delay";
export const NS_SID = "urn:xmpp:sid:0";
export const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

export type ChatState = "active" | "composing" | "paused" | "inactive" | "gone";
const CHAT_STATES: ReadonlySet<string> = new Set(["active", "composing", "paused", "inactive", "gone"]);

export type Show = "chat" | "away" | "xa" | "dnd";
export type Availability = "available" | Show | "offline";
export type Subscription = "none" | "to" | "from" | "both";

export interface RosterItem {
  jid: string;
  name: string;
  subscription: Subscription;
  /** An outbound subscription request is pending (`ask="subscribe"`). */
  ask: boolean;
  groups: string[];
}

/** A roster item the server removed (`subscription="remove"` in a push). */
export interface RosterRemoval {
  jid: string;
  removed: true;
}

export type PresenceType = "available" | "unavailable" | "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed" | "error";

export interface Presence {
  from: string;
  bare: string;
  resource: string;
  type: PresenceType;
  /** `available` when no <show/>; meaningless for non-availability types. */
  show: "available" | Show;
  status: string;
  priority: number;
  /** XEP-0153 <photo/> text as it came, absent without one (presence-card.ts; validated by avatars.ts cardOf). */
  photo?: string;
  /** XEP-0172 nickname as it came (presence-card.ts; validated by avatars.ts cardOf). */
  nick?: string;
}

export interface Message {
  id: string;
  from: string;
  bare: string;
  type: "chat" | "normal" | "groupchat" | "headline" | "error";
  body: string | null;
  /** Milliseconds since the epoch: the XEP-0203 delay stamp if present, else `now`. */
  at: number;
  receiptRequested: boolean;
  /** Id of our message that this one acknowledges (XEP-0184 <received/>). */
  receiptFor: string | null;
  /** Bare JID of the addressee (own account for incoming messages). */
  to: string;
  /** XEP-0359 id given by my own server (`by` = my bare JID; MAM archive id), else null. */
  stanzaId: string | null;
  /** XEP-0359 origin-id set by the sending client, else null. */
  originId: string | null;
  chatState: ChatState | null;
  /** XEP-0066 out-of-band URL (a shared file), when the message carries one. */
  oobUrl?: string;
  /** For a type="error" message: its RFC 6120 §8.3.3 condition (e.g. "forbidden"). */
  errorCondition?: string;
  /** Came wrapped: a carbon copy (XEP-0280) or an archive result (XEP-0313); set by stanzas-sync.ts. */
  via: "live" | "carbon-sent" | "carbon-received" | "archive";
  /** For an archive result: the query it answers (XEP-0313 §4.2 queryid), as the result says. */
  queryId?: string;
  /** Corrections, retractions, replies, reactions and markers (rich.ts), when it carries any. */
  rich?: RichParts;
  /** A room's subject (XEP-0045 §8.1), when the message carries <subject/> ("" = cleared). */
  subject?: string;
  /**
   * A private message with a room occupant (XEP-0045 §7.5, marked by an empty <x xmlns=muc#user/>):
   * the occupant's JID (room@service/nick), the sender's when it came in, the addressee's when I sent it.
   */
  occupant?: string;
  /** In a groupchat message: its XEP-0421 occupant id, as it came (trusted only from a room that offers them). */
  occupantId?: string;
  /** In a groupchat message: a XEP-0425 moderation (moderation.ts), trusted only from the room itself. */
  moderation?: Moderation;
}

const SHOWS: ReadonlySet<string> = new Set(["chat", "away", "xa", "dnd"]);
const PRESENCE_TYPES: ReadonlySet<string> = new Set([
  "unavailable",
  "subscribe",
  "subscribed",
  "unsubscribe",
  "unsubscribed",
  "error",
]);
const MESSAGE_TYPES: ReadonlySet<string> = new Set(["chat", "normal", "groupchat", "headline", "error"]);
const SUBSCRIPTIONS: ReadonlySet<string> = new Set(["none", "to", "from", "both"]);

// ---- parsing -------------------------------------------------------------------------------

export function parsePresence(el: Element): Presence | null {
  const from = el.attrs.from;
  if (!el.is("presence") || !from) return null;
  const type = el.attrs.type ?? "available";
  if (type !== "available" && !PRESENCE_TYPES.has(type)) return null;
  const show = el.getChildText("show")?.trim() ?? "";
  const priority = Number.parseInt(el.getChildText("priority") ?? "0", 10);
  return {
    from,
    bare: bareJid(from),
    resource: resourceOf(from),
    type: type as PresenceType,
    show: SHOWS.has(show) ? (show as Show) : "available",
    status: el.getChildText("status") ?? "",
    priority: Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0,
  };
}

/**
 * `own` = my bare JID: only a stanza-id stamped by my own server is trusted (XEP-0359 §4); in a room's
 * groupchat message, only the one stamped by the room (XEP-0045 §7.2.3 archive ids, `by` = room).
 */
export function parseMessage(el: Element, now: number, own = ""): Message | null {
  const from = el.attrs.from;
  if (!el.is("message") || !from) return null;
  const type = el.attrs.type ?? "normal";
  const delay = el.getChild("delay", NS_DELAY)?.attrs.stamp;
  const stamp = delay ? Date.parse(delay) : Number.NaN;
  const by = type === "groupchat" ? bareJid(from) : own;
  const sid = el.getChildren("stanza-id", NS_SID).find((c) => by && c.attrs.by === by)?.attrs.id;
  const state = el.children.find((c) => typeof c !== "string" && c.attrs.xmlns === NS_CHATSTATES);
  const stateName = typeof state === "string" || !state ? "" : state.name;
  const oobUrl = parseOobUrl(el);
  const body = el.getChild("body") ? el.getChildText("body") : null;
  const rich = parseRich(el, body);
  const occupant = bareJid(from) === own ? (el.attrs.to ?? "") : from;
  const moderation = type === "groupchat" ? parseModeration(el) : null;
  const privateWith = !!el.getChild("x", NS_MUC_USER) && type !== "groupchat" && resourceOf(occupant) !== "";
  return {
    id: el.attrs.id ?? "",
    from,
    bare: bareJid(from),
    type: MESSAGE_TYPES.has(type) ? (type as Message["type"]) : "normal",
    body,
    at: Number.isFinite(stamp) ? stamp : now,
    receiptRequested: !!el.getChild("request", NS_RECEIPTS) && !!el.attrs.id,
    receiptFor: el.getChild("received", NS_RECEIPTS)?.attrs.id ?? null,
    to: bareJid(el.attrs.to ?? own),
    stanzaId: sid || null,
    originId: el.getChild("origin-id", NS_SID)?.attrs.id || null,
    chatState: CHAT_STATES.has(stateName) ? (stateName as ChatState) : null,
    ...(oobUrl ? { oobUrl } : {}),
    via: "live",
    ...(rich ? { rich } : {}),
    ...(type === "error" ? { errorCondition: stanzaErrorCondition(el) } : {}),
    ...(el.getChild("subject") ? { subject: el.getChildText("subject") ?? "" } : {}),
    ...(privateWith ? { occupant } : {}),
    ...(type === "groupchat" && el.getChild("occupant-id", NS_OCCUPANT_ID)?.attrs.id
      ? { occupantId: el.getChild("occupant-id", NS_OCCUPANT_ID)?.attrs.id as string }
      : {}),
    ...(moderation ? { moderation } : {}),
  };
}

/** The defined condition of a stanza's <error/> (RFC 6120 §8.3.3), or "undefined-condition". */
export function stanzaErrorCondition(el: Element): string {
  const c = el
    .getChild("error")
    ?.children.find((x) => typeof x !== "string" && x.attrs.xmlns === NS_STANZAS && x.name !== "text");
  return typeof c === "object" && c ? c.name : "undefined-condition";
}

function parseItem(item: Element): RosterItem | RosterRemoval | null {
  const jid = item.attrs.jid;
  if (!jid) return null;
  const subscription = item.attrs.subscription ?? "none";
  if (subscription === "remove") return { jid: bareJid(jid), removed: true };
  return {
    jid: bareJid(jid),
    name: item.attrs.name ?? "",
    subscription: SUBSCRIPTIONS.has(subscription) ? (subscription as Subscription) : "none",
    ask: item.attrs.ask === "subscribe",
    groups: item.getChildren("group").map((g) => g.text()),
  };
}

/** The items of a roster result (`<iq type="result"><query xmlns="jabber:iq:roster">`). */
export function parseRoster(iqOrQuery: Element): RosterItem[] {
  const query = iqOrQuery.is("query", NS_ROSTER) ? iqOrQuery : iqOrQuery.getChild("query", NS_ROSTER);
  if (!query) return [];
  const items: RosterItem[] = [];
  for (const el of query.getChildren("item")) {
    const item = parseItem(el);
    if (item && !("removed" in item)) items.push(item);
  }
  return items;
}

/**
 * A roster push (RFC 6121 §2.1.6). Only accepted without `from` or from the account's own bare JID:
 * anything else is a spoofing attempt and yields null.
 */
export function parseRosterPush(iq: Element, ownJid: string): Array<RosterItem | RosterRemoval> | null {
  const from = iq.attrs.from;
  if (from && bareJid(from) !== bareJid(ownJid)) return null;
  const query = iq.getChild("query", NS_ROSTER);
  if (!query) return null;
  const items = query.getChildren("item").map(parseItem);
  if (items.length !== 1 || !items[0]) return null;
  return [items[0]];
}

// ---- building -------------------------------------------------------------------------------

/**
 * A chat message; `id` is also its XEP-0359 origin-id, so an archived copy can be matched to it. It
 * asks for a delivery receipt (XEP-0184) and for chat markers (XEP-0333 markable).
 */
export function chatMessage(to: string, body: string, id: string): Element {
  return xml(
    "message",
    { type: "chat", to, id },
    xml("body", {}, body),
    xml("request", { xmlns: NS_RECEIPTS }),
    xml("markable", { xmlns: NS_MARKERS }),
    xml("origin-id", { xmlns: NS_SID, id }),
    xml("active", { xmlns: NS_CHATSTATES }),
  );
}

/** A standalone chat state notification (XEP-0085 §5.5), never stored by servers (XEP-0334 no-store). */
export function chatState(to: string, state: ChatState): Element {
  return xml("message", { type: "chat", to }, xml(state, { xmlns: NS_CHATSTATES }), xml("no-store", { xmlns: "urn:xmpp:hints" }));
}

export function receipt(to: string, id: string): Element {
  return xml("message", { to, id: `r-${id}` }, xml("received", { xmlns: NS_RECEIPTS, id }));
}

export function availability(show: "available" | Show, status: string): Element {
  return xml("presence", {}, show !== "available" && xml("show", {}, show), status !== "" && xml("status", {}, status));
}

export function unavailable(): Element {
  return xml("presence", { type: "unavailable" });
}

/** Asks for a contact's current presence (RFC 6121 §4.3): after a resumption in a fresh page. */
export function presenceProbe(to: string): Element {
  return xml("presence", { type: "probe", to });
}

export function subscription(type: "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed", to: string): Element {
  return xml("presence", { type, to });
}

export function rosterGet(): Element {
  return xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER }));
}

export function rosterSet(jid: string, name: string): Element {
  return xml("iq", { type: "set" }, xml("query", { xmlns: NS_ROSTER }, xml("item", { jid, name: name || undefined })));
}

export function rosterRemove(jid: string): Element {
  return xml("iq", { type: "set" }, xml("query", { xmlns: NS_ROSTER }, xml("item", { jid, subscription: "remove" })));
}
