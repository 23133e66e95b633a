/**
 * Running a room (XEP-0045 Multi-User Chat, the owner, admin and moderator use cases): the stanzas
 * built and parsed at the edge, as Conversations and Converse.js build them. Invitations are in
 * invitations.ts (read by every session, so kept out of this lazily loaded module).
 *
 * - Owner configuration: §10.1 (create: status 201, then the muc#owner form) and §10.2 (change it).
 * - Subject: §8.1, a groupchat message carrying only <subject/>.
 * - Nickname change: §7.6, presence to the new occupant JID; the room answers status 303.
 * - Kick: §8.2 (role none), ban: §9.1 (affiliation outcast), member: §9.3 (for members-only invites).
 * - Removal: who did it and why (the status codes are read with occupant presences in muc.ts).
 * - Private messages: type chat to room@service/nick with an empty <x xmlns=".../muc#user"/>.
 */
import { type Element, xml } from "@xmpp/xml";
import { booleanValue, type DataForm, emptySubmit, parseDataForm, submitForm } from "./data-form";
import { bareJid, resourceOf } from "./jid";
import { NS_CHATSTATES, NS_RECEIPTS, NS_SID } from "./stanzas";

const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
export const NS_MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
export const NS_MUC_OWNER = "http://jabber.org/protocol/muc#owner";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const FORM_ROOMCONFIG = "http://jabber.org/protocol/muc#roomconfig";

export type Affiliation = "owner" | "admin" | "member" | "outcast" | "none";

// ---- owner configuration (§10) --------------------------------------------------------------

/** Asks a room for its configuration form (§10.1.3 for a new room, §10.2 later). */
export function configRequest(room: string): Element {
  return xml("iq", { type: "get", to: room }, xml("query", { xmlns: NS_MUC_OWNER }));
}

/** The room's configuration form from a muc#owner result, or null when the answer holds none. */
export function parseConfigForm(iq: Element): DataForm | null {
  const query = iq.getChild("query", NS_MUC_OWNER);
  return query ? parseDataForm(query) : null;
}

/** What a person chooses when creating a room; the rest of the form keeps the server's defaults. */
export interface RoomChoices {
  name?: string;
  /** Members-only and not listed (Conversations' "private group chat"), else open and public ("channel"). */
  membersOnly?: boolean;
  persistent?: boolean;
  /** Keeps the room's messages on the server (XEP-0313 on the room JID). */
  archived?: boolean;
}

/**
 * The form changes for `choices`, by the standard muc#roomconfig field names (XEP-0045 §15.5.3;
 * Prosody 0.12's mod_muc_mam offers archiving as muc#roomconfig_enablearchiving, ejabberd as mam).
 * A members-only room shows real JIDs to its members (whois anyone), as Conversations'
 * MucConfiguration does for a private group.
 */
export function roomConfigChanges(choices: RoomChoices): Record<string, string> {
  const changes: Record<string, string> = {};
  if (choices.name !== undefined) changes["muc#roomconfig_roomname"] = choices.name;
  if (choices.persistent !== undefined) changes["muc#roomconfig_persistentroom"] = booleanValue(choices.persistent);
  if (choices.archived !== undefined) {
    changes["muc#roomconfig_enablearchiving"] = booleanValue(choices.archived);
    changes.mam = booleanValue(choices.archived);
  }
  if (choices.membersOnly !== undefined) {
    changes["muc#roomconfig_membersonly"] = booleanValue(choices.membersOnly);
    changes["muc#roomconfig_publicroom"] = booleanValue(!choices.membersOnly);
    changes["muc#roomconfig_whois"] = choices.membersOnly ? "anyone" : "moderators";
  }
  return changes;
}

/** Submits `form` with `changes` (§10.1.3 / §10.2); without a form, accepts the defaults (§10.1.2). */
export function configSubmit(room: string, form: DataForm | null, changes: Record<string, string | string[]> = {}): Element {
  return xml(
    "iq",
    { type: "set", to: room },
    xml("query", { xmlns: NS_MUC_OWNER }, form ? submitForm(form, changes) : emptySubmit()),
  );
}

/** The room's disco#info (XEP-0045 §6.4): its features say whether it is members-only, and so on. */
export function roomInfoRequest(room: string): Element {
  return xml("iq", { type: "get", to: bareJid(room) }, xml("query", { xmlns: NS_DISCO_INFO }));
}

/** Whether a room's disco#info result lists muc_membersonly (§6.4, §15.6.4 features). */
export function isMembersOnly(info: Element): boolean {
  const query = info.getChild("query", NS_DISCO_INFO);
  return !!query?.getChildren("feature").some((f) => f.attrs.var === "muc_membersonly");
}

// ---- subject and nickname -------------------------------------------------------------------

/** Changes the room's subject (§8.1); an empty text clears it. Conversations: MessageGenerator.conferenceSubject. */
export function subjectChange(room: string, subject: string, id: string): Element {
  return xml("message", { type: "groupchat", to: bareJid(room), id }, xml("subject", {}, subject));
}

/** Changes my nickname (§7.6): presence to the new occupant JID. Converse.js: MUC.setNickname. */
export function nickChange(room: string, nick: string, id: string): Element {
  return xml("presence", { to: `${bareJid(room)}/${nick}`, id });
}

// ---- moderation (§8.2, §9.1, §9.3) ----------------------------------------------------------

/** Kicks an occupant (§8.2): role none by nickname. Converse.js: MUC.setRole. */
export function kickRequest(room: string, nick: string, reason: string): Element {
  return xml(
    "iq",
    { type: "set", to: bareJid(room) },
    xml("query", { xmlns: NS_MUC_ADMIN }, xml("item", { nick, role: "none" }, reason !== "" && xml("reason", {}, reason))),
  );
}

/** Sets a user's affiliation by bare JID (§9.1 ban = outcast, §9.3 member). Converse.js: sendAffiliationIQ. */
export function affiliationRequest(room: string, jid: string, affiliation: Affiliation, reason: string): Element {
  return xml(
    "iq",
    { type: "set", to: bareJid(room) },
    xml(
      "query",
      { xmlns: NS_MUC_ADMIN },
      xml("item", { affiliation, jid: bareJid(jid) }, reason !== "" && xml("reason", {}, reason)),
    ),
  );
}

export function banRequest(room: string, jid: string, reason: string): Element {
  return affiliationRequest(room, jid, "outcast", reason);
}

// ---- removals ------------------------------------------------------------------------------

/**
 * Who removed an occupant and why (§8.2 example 88, §9.1 example 106): the <reason/> and <actor nick/>
 * of the item in an unavailable room presence; empty strings when the room gives none. The status
 * codes (307 kicked, 301 banned) are read with the other occupant presence fields in muc.ts.
 */
export function removalDetail(presence: Element): { reason: string; actor: string } {
  const item = presence.getChild("x", NS_MUC_USER)?.getChild("item");
  return { reason: item?.getChildText("reason") ?? "", actor: item?.getChild("actor")?.attrs.nick ?? "" };
}

// ---- private messages (§7.5) ----------------------------------------------------------------

/**
 * A private message to one occupant: type chat to room@service/nick, with an empty muc#user <x/> so
 * the recipient's client files it under the room (Conversations' MessageGenerator does the same).
 * Its id is also its origin-id (XEP-0359), like a 1:1 chat message.
 */
export function privateMessage(occupant: string, body: string, id: string): Element {
  return xml(
    "message",
    { type: "chat", to: occupant, id },
    xml("body", {}, body),
    xml("x", { xmlns: NS_MUC_USER }),
    xml("request", { xmlns: NS_RECEIPTS }),
    xml("origin-id", { xmlns: NS_SID, id }),
    xml("active", { xmlns: NS_CHATSTATES }),
  );
}

/**
 * Whether `el` is a private message from an occupant of one of `rooms` (bare JIDs I am in): a chat
 * message from room@service/nick. Carries a muc#user <x/> or not (Prosody adds one, ejabberd may not).
 */
export function isPrivateMessageFrom(el: Element, rooms: ReadonlySet<string>): boolean {
  const from = el.attrs.from ?? "";
  if (!el.is("message") || (el.attrs.type ?? "normal") !== "chat" || resourceOf(from) === "") return false;
  if (el.getChild("x", NS_MUC_USER)?.getChild("invite")) return false;
  return rooms.has(bareJid(from));
}
