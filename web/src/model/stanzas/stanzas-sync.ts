/**
 * Stanzas that keep several devices and one device over time in sync: Message Carbons (XEP-0280),
 * Message Archive Management queries and results (XEP-0313, paged with RSM, XEP-0059) and forwarded
 * messages (XEP-0297). Wrapped messages are accepted only from my own account (XEP-0280 §11,
 * XEP-0313 §4.1.2): anyone else could forge "a message you sent".
 */
import { type Element, xml } from "@xmpp/xml";
import { bareJid } from "./jid";
import { type Message, NS_DELAY, parseMessage } from "./stanzas";

export const NS_CARBONS = "urn:xmpp:carbons:2";
export const NS_FORWARD = "urn:xmpp:forward:0";
export const NS_MAM = "urn:xmpp:mam:2";
export const NS_RSM = "http://jabber.org/protocol/rsm";

export function enableCarbons(): Element {
  return xml("iq", { type: "set" }, xml("enable", { xmlns: NS_CARBONS }));
}

/** A MAM query iq (XEP-0313 §4): the data form with `fields` beyond FORM_TYPE, and the RSM set. */
function mamIq(queryId: string, fields: Record<string, string>, rsm: Element[]): Element {
  return xml(
    "iq",
    { type: "set" },
    xml(
      "query",
      { xmlns: NS_MAM, queryid: queryId },
      xml(
        "x",
        { xmlns: "jabber:x:data", type: "submit" },
        xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS_MAM)),
        ...Object.entries(fields).map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
      ),
      xml("set", { xmlns: NS_RSM }, ...rsm),
    ),
  );
}

/**
 * An archive query for one page: `after` an archive id (catch up), or the newest page when there is
 * none (`before` empty, RSM §2.5).
 */
export function mamQuery(queryId: string, after: string | null, max: number): Element {
  return mamIq(queryId, {}, [xml("max", {}, String(max)), after ? xml("after", {}, after) : xml("before")]);
}

/**
 * One page of a conversation's history older than what the device has: the messages exchanged `with`
 * one address (XEP-0313 §4.1.1), the page just before archive id `before` (RSM §2.5); without an id,
 * the newest page sent up to `end` (a message time this device has, as Converse.js pages back from
 * its oldest message when it knows no archive id for it). `withJid` null: every message of the archive
 * (a room's own, queried at the room JID).
 */
export function mamPageBefore(
  queryId: string,
  withJid: string | null,
  before: { id: string } | { end: number | null },
  max: number,
): Element {
  const fields: Record<string, string> = withJid ? { with: withJid } : {};
  if ("end" in before && before.end !== null) fields.end = new Date(before.end).toISOString();
  return mamIq(queryId, fields, [xml("max", {}, String(max)), xml("before", {}, "id" in before ? before.id : "")]);
}

/**
 * The end of a query page (`<fin/>` in the iq result): whether it was the last page (the archive's end
 * in the direction of the query), and its first and last archive ids.
 */
export function parseMamFin(iq: Element): { complete: boolean; first: string | null; last: string | null } {
  const fin = iq.getChild("fin", NS_MAM);
  const set = fin?.getChild("set", NS_RSM);
  return {
    complete: fin?.attrs.complete === "true",
    first: set?.getChildText("first") || null,
    last: set?.getChildText("last") || null,
  };
}

function fromMe(el: Element, own: string, allowAbsent: boolean): boolean {
  const from = el.attrs.from;
  return from ? from === own : allowAbsent;
}

/**
 * A carbon copy or an archive result as the message it wraps (with `via` and, for archive results, the
 * archive id and stamp); any other message as parseMessage does; null for a forged or empty wrapper.
 */
export function parseAnyMessage(el: Element, now: number, own: string): Message | null {
  const sent = el.getChild("sent", NS_CARBONS);
  const received = el.getChild("received", NS_CARBONS);
  const carbon = sent ?? received;
  if (carbon) {
    if (!fromMe(el, own, false)) return null;
    const inner = carbon.getChild("forwarded", NS_FORWARD)?.getChild("message");
    const msg = inner ? parseMessage(inner, now, own) : null;
    return msg && { ...msg, via: sent ? "carbon-sent" : "carbon-received" };
  }
  const result = el.getChild("result", NS_MAM);
  if (result) {
    // My own archive, or a room's (XEP-0313 §5 on a room JID): only that room's own messages.
    const room = !fromMe(el, own, true) && el.attrs.from && !el.attrs.from.includes("/") ? bareJid(el.attrs.from) : null;
    if ((!room && !fromMe(el, own, true)) || !result.attrs.id) return null;
    const forwarded = result.getChild("forwarded", NS_FORWARD);
    const inner = forwarded?.getChild("message");
    const msg = inner ? parseMessage(inner, now, own) : null;
    if (!msg || (room && (msg.type !== "groupchat" || msg.bare !== room))) return null;
    const stamp = Date.parse(forwarded?.getChild("delay", NS_DELAY)?.attrs.stamp ?? "");
    const queryId = result.attrs.queryid ? { queryId: String(result.attrs.queryid) } : {};
    return { ...msg, via: "archive", ...queryId, stanzaId: result.attrs.id, at: Number.isFinite(stamp) ? stamp : msg.at };
  }
  return parseMessage(el, now, own);
}

/** Whose conversation a message belongs to, and which way it went, seen from my account. */
export function conversationOf(msg: Message, own: string): { peer: string; direction: "in" | "out" } {
  const mine = msg.via === "carbon-sent" || msg.bare === own;
  return mine ? { peer: bareJid(msg.to), direction: "out" } : { peer: msg.bare, direction: "in" };
}
