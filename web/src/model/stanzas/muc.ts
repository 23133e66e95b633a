/**
 * Multi-User Chat (XEP-0045) as every session sees it: what an occupant presence is parsed into
 * (role, affiliation, status codes, §7.2.2: 110 = this is me; or a join refusal, §7.2.6-§7.2.10). The
 * parsing and building is in muc-occupancy.ts, loaded with the room use cases.
 */
import type { Element } from "@xmpp/xml";
import type { Affiliation } from "./muc-admin";

export const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

export type Role = "moderator" | "participant" | "visitor" | "none";
export type { Affiliation } from "./muc-admin";

/** A presence from a room occupant (`room/nick`), or a refusal of my join. */
export interface OccupantPresence {
  /** The room's bare JID. */
  room: string;
  nick: string;
  available: boolean;
  role: Role;
  affiliation: Affiliation;
  /** The occupant's real JID, when the room shows it (non-anonymous rooms, or to moderators). */
  jid: string | null;
  /** Status codes (§15.6): 110 self, 201 room created, 210 nick changed by the service, 303 new nick, 307 kicked, 301 banned. */
  codes: number[];
  /** The new nickname of a nick change (status 303), else null. */
  newNick: string | null;
  /** Why I or another occupant left, when a moderator removed them (§8.2 <reason/>, <actor nick/>). */
  reason?: string;
  actor?: string;
  /** A refusal (`type="error"`): the defined condition (conflict, forbidden, ...) and the server's text. */
  error: { condition: string; text: string } | null;
}

/**
 * The occupant presence parser (muc-occupancy.ts), set when the room use cases' chunk loads: before
 * that no room is joined, so no occupant presence can matter.
 */
export const occupantParser: { parse: ((el: Element) => OccupantPresence | null) | null } = { parse: null };
