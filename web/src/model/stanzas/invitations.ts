/**
 * Invitations to rooms: XEP-0249 Direct MUC Invitations and XEP-0045 §7.8.2 mediated invitations
 * (sent through the room, which forwards them and their declines), built and parsed at the edge as
 * Conversations (MessageGenerator.directInvite / invite, MessageParser.extractInvite) and Converse.js
 * (MUC.directInvite) do. Small on purpose: every incoming message is checked against it.
 */
import { type Element, xml } from "@xmpp/xml";
import { bareJid, resourceOf } from "./jid";

export const NS_CONFERENCE = "jabber:x:conference";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

/**
 * A direct invitation (XEP-0249 §2) to a contact's bare JID. Built like Converse.js's MUC.directInvite
 * and Conversations' MessageGenerator.directInvite: a normal message with only the conference <x/>.
 */
export function directInvitation(to: string, room: string, id: string, reason = "", password = ""): Element {
  return xml(
    "message",
    { to, id },
    xml("x", { xmlns: NS_CONFERENCE, jid: bareJid(room), reason: reason || undefined, password: password || undefined }),
  );
}

/** A mediated invitation (§7.8.2): sent to the room, which forwards it. Conversations: MessageGenerator.invite. */
export function mediatedInvitation(room: string, to: string, id: string, reason = ""): Element {
  return xml(
    "message",
    { to: bareJid(room), id },
    xml("x", { xmlns: NS_MUC_USER }, xml("invite", { to: bareJid(to) }, reason !== "" && xml("reason", {}, reason))),
  );
}

/** Declines a mediated invitation (§7.8.2 example 61): to the room, naming the inviter as the invitation did. */
export function declineInvitation(room: string, inviter: string, id: string, reason = ""): Element {
  return xml(
    "message",
    { to: bareJid(room), id },
    xml("x", { xmlns: NS_MUC_USER }, xml("decline", { to: inviter }, reason !== "" && xml("reason", {}, reason))),
  );
}

export interface Invitation {
  /** Bare JID of the room. */
  room: string;
  /**
   * Who invites: a bare JID, or for a mediated invitation in a room that hides real JIDs, the inviter's
   * occupant JID (room@service/nick), as Prosody 0.12 gives it; a decline goes back to exactly this.
   */
  from: string;
  reason: string;
  password: string;
  /** Direct (XEP-0249) or mediated by the room (XEP-0045 §7.8.2); only a mediated one can be declined. */
  kind: "direct" | "mediated";
}

const ROOM_ADDRESS = /^[^@/\s]+@[^@/\s]+$/;

/**
 * An invitation in `el`, or null. A mediated one must come from the room itself (a bare JID) and name
 * an inviter, as Conversations' MessageParser.extractInvite reads it; a direct one names the room in
 * its jid attribute and comes from the inviter. Anything else (an error, a decline) is not one.
 */
export function parseInvitation(el: Element): Invitation | null {
  if (!el.is("message") || el.attrs.type === "error" || el.attrs.type === "groupchat") return null;
  const from = el.attrs.from ?? "";
  if (from === "") return null;
  const user = el.getChild("x", NS_MUC_USER);
  const invite = user?.getChild("invite");
  if (user && invite) {
    const inviter = invite.attrs.from ?? "";
    if (resourceOf(from) !== "" || !ROOM_ADDRESS.test(bareJid(from)) || inviter === "") return null;
    return {
      room: bareJid(from),
      from: bareJid(inviter) === bareJid(from) ? inviter : bareJid(inviter),
      reason: invite.getChildText("reason") ?? "",
      password: user.getChildText("password") ?? "",
      kind: "mediated",
    };
  }
  const direct = el.getChild("x", NS_CONFERENCE);
  const room = direct?.attrs.jid ?? "";
  if (!direct || !ROOM_ADDRESS.test(room)) return null;
  return {
    room: bareJid(room),
    from: bareJid(from),
    reason: direct.attrs.reason ?? el.getChildText("body") ?? "",
    password: direct.attrs.password ?? "",
    kind: "direct",
  };
}

/** A decline of my mediated invitation, forwarded by the room (§7.8.2 example 62), or null. */
export function parseDecline(el: Element): { room: string; from: string; reason: string } | null {
  const decline = el.getChild("x", NS_MUC_USER)?.getChild("decline");
  const from = el.attrs.from ?? "";
  if (!el.is("message") || !decline || from === "" || resourceOf(from) !== "") return null;
  return { room: bareJid(from), from: bareJid(decline.attrs.from ?? ""), reason: decline.getChildText("reason") ?? "" };
}

/**
 * Whether a carbon (XEP-0280) or an archive result (XEP-0313) wraps an invitation: it was a prompt when
 * it came, never a message of a chat. ejabberd's forwarded mediated invitation carries a body ("… invites
 * you to the room …") and is kept in the invitee's own archive, so reading that archive brings it back.
 */
export function wrapsInvitation(el: Element): boolean {
  if (!el.is("message")) return false;
  return el.children.some((wrapper) => {
    if (typeof wrapper === "string") return false;
    const inner = wrapper.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message");
    return !!inner && parseInvitation(inner) !== null;
  });
}
