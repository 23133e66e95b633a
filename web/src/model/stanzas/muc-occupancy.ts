/**
 * Being in a room (XEP-0045), for the room use cases' chunk: the join presence (§7.2.2, with
 * <history maxstanzas="0"/> since the room's archive is read instead, XEP-0313 on the room JID),
 * leaving (§7.14), XEP-0410 self-pings (an iq ping to my own occupant JID), occupant presences and
 * refusals parsed into plain objects, and groupchat messages with an XEP-0359 origin-id (the room
 * reflects it back, so my copy is matched, never shown twice).
 */
import { type Element, xml } from "@xmpp/xml";
import { bareJid, resourceOf } from "./jid";
import { type Affiliation, NS_MUC_USER, type OccupantPresence, type Role } from "./muc";
import { NS_SID } from "./stanzas";

export const NS_MUC = "http://jabber.org/protocol/muc";
export const NS_PING = "urn:xmpp:ping";

/** The presence that joins `room` as `nick` (§7.2.2); no room history: the archive gives it. */
export function joinPresence(room: string, nick: string, password = ""): Element {
  return xml(
    "presence",
    { to: `${room}/${nick}` },
    xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" }), password ? xml("password", {}, password) : null),
  );
}

/** Leaves a room (§7.14). */
export function leavePresence(room: string, nick: string): Element {
  return xml("presence", { to: `${room}/${nick}`, type: "unavailable" });
}

/** XEP-0410 §3: am I still in the room? An iq ping to my own occupant JID. */
export function selfPing(room: string, nick: string): Element {
  return xml("iq", { type: "get", to: `${room}/${nick}` }, xml("ping", { xmlns: NS_PING }));
}

/** A message to everyone in the room; `id` is also its origin-id, so its reflection is recognised. */
export function groupchatMessage(room: string, body: string, id: string): Element {
  return xml("message", { type: "groupchat", to: room, id }, xml("body", {}, body), xml("origin-id", { xmlns: NS_SID, id }));
}

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const ROLES = ["moderator", "participant", "visitor", "none"];
const AFFILIATIONS = ["owner", "admin", "member", "outcast", "none"];

/** Occupant presences and join refusals; null for any other presence. */
export function parseOccupantPresence(el: Element): OccupantPresence | null {
  const from = el.attrs.from;
  const nick = resourceOf(from ?? "");
  const x = el.getChild("x", NS_MUC_USER);
  const type = el.attrs.type ?? "available";
  const error = type === "error" ? el.getChild("error") : undefined;
  // A refusal echoes the join's <x xmlns=muc> (or nothing): it comes from the occupant JID I asked for.
  if (!el.is("presence") || !nick || !(error || (x && (type === "available" || type === "unavailable")))) return null;
  const item = x?.getChild("item");
  const role = item?.attrs.role;
  const affiliation = item?.attrs.affiliation;
  const codes = (x?.getChildren("status") ?? []).map((s) => Number(s.attrs.code)).filter(Number.isInteger);
  const condition = error?.children.find((c) => typeof c !== "string" && c.attrs.xmlns === NS_STANZAS && c.name !== "text");
  return {
    room: bareJid(from ?? ""),
    nick,
    available: type === "available",
    role: ROLES.includes(role ?? "") ? (role as Role) : "none",
    affiliation: AFFILIATIONS.includes(affiliation ?? "") ? (affiliation as Affiliation) : "none",
    jid: item?.attrs.jid ? bareJid(item.attrs.jid) : null,
    codes,
    newNick: codes.includes(303) ? item?.attrs.nick || null : null,
    ...(type === "unavailable" && item
      ? { reason: item.getChildText("reason") ?? "", actor: item.getChild("actor")?.attrs.nick ?? "" }
      : {}),
    error: error
      ? {
          condition: typeof condition === "object" ? condition.name : "undefined-condition",
          text: error.getChildText("text", NS_STANZAS) ?? "",
        }
      : null,
  };
}
