/**
 * Incoming stanzas into typed notifications (stanzas.ts and its siblings parse them at the edge):
 * messages (carbons and archive results checked in stanzas-sync.ts), invitations (XEP-0249, XEP-0045
 * §7.8.2), contact and bookmark PEP events (parsed by code loaded on first use), room occupants
 * (XEP-0045) and presences; roster pushes (RFC 6121 §2.1.6) and blocklist pushes (XEP-0191 §3.3-3.4).
 * Part of the client chunk (client-chunk.ts): the first paint needs none of it.
 */
import type { Element } from "@xmpp/xml";
import { type BlockPush, parseBlockPush } from "../stanzas/blocking";
import { parseInvitation, wrapsInvitation } from "../stanzas/invitations";
import { bareJid } from "../stanzas/jid";
import { occupantParser } from "../stanzas/muc";
import { isBookmarksEvent, isContactEvent, withContactCard } from "../stanzas/presence-card";
import { parsePresence, parseRosterPush, type RosterItem, type RosterRemoval } from "../stanzas/stanzas";
import { parseAnyMessage } from "../stanzas/stanzas-sync";
import type { HandlerContext } from "./xmpp-handlers";

export interface Receiver {
  stanza(ctx: HandlerContext, el: Element): void;
  /** The items of a roster push addressed to me, or null when it is not one. */
  rosterPush(iq: Element, ownJid: string): Array<RosterItem | RosterRemoval> | null;
  /** A blocklist push from my own server, or null when it is not one. */
  blockPush(iq: Element, ownJid: string): BlockPush | null;
}

export const receiver: Receiver = { stanza, rosterPush: parseRosterPush, blockPush: parseBlockPush };

function stanza(ctx: HandlerContext, el: Element): void {
  if (el.is("message")) {
    if (isContactEvent(el)) {
      // Parsed by code loaded on first use; the event needs no order with other stanzas.
      void import("../stanzas/avatars").then(({ parseContactEvent }) => {
        const event = parseContactEvent(el);
        if (event && ctx.current()) ctx.notify("RECEIVE_CONTACT_EVENT", event);
      });
      return;
    }
    // Another device of mine changed my room bookmarks (XEP-0402 PEP notification).
    if (isBookmarksEvent(el)) {
      void import("../stanzas/bookmarks").then(({ parseBookmarksEvent }) => {
        const bookmarks = parseBookmarksEvent(el, bareJid(ctx.jid.value ?? ""));
        if (bookmarks && ctx.current()) ctx.notify("RECEIVE_BOOKMARKS", bookmarks);
      });
      return;
    }
    // An invitation (XEP-0249, XEP-0045 §7.8.2) is a prompt, not a message in a chat.
    const invitation = parseInvitation(el);
    if (invitation) {
      ctx.notify("RECEIVE_INVITATION", invitation);
      return;
    }
    if (wrapsInvitation(el)) return;
    const msg = parseAnyMessage(el, ctx.now(), bareJid(ctx.jid.value ?? ""));
    if (msg) ctx.notify("RECEIVE_MESSAGE", msg);
  } else if (el.is("presence")) {
    const occupant = occupantParser.parse?.(el) ?? null;
    if (occupant) ctx.notify("RECEIVE_ROOM_PRESENCE", occupant);
    if (occupant && !occupant.error) return;
    const p = parsePresence(el);
    if (p) ctx.notify("RECEIVE_PRESENCE", withContactCard(p, el));
  }
}
