/**
 * What the XMPP proxy does with its entity's events: connection status into the state signal
 * (lost → "reconnecting", back → "online"), incoming stanzas into typed notifications via stanzas.ts,
 * roster pushes (RFC 6121 §2.1.6), refused credentials, a server that cannot prove it knows the
 * password (SCRAM, RFC 5802 §5.1) and acknowledged or unacknowledged messages (XEP-0198).
 */

import type { Signal } from "@preact/signals";
import type { Element } from "@xmpp/xml";
import type { NotificationName, Notifications } from "../../app/notifications";
import { isAuthFailure, isServerNotProven } from "../auth/sasl-failure";
import { parseBlockPush } from "../stanzas/blocking";
import { parseInvitation, wrapsInvitation } from "../stanzas/invitations";
import { bareJid } from "../stanzas/jid";
import { occupantParser } from "../stanzas/muc";
import { isBookmarksEvent, isContactEvent, withContactCard } from "../stanzas/presence-card";
import { parsePresence, parseRosterPush } from "../stanzas/stanzas";
import { parseAnyMessage } from "../stanzas/stanzas-sync";
import type { EntityHandlers } from "./xmpp-entity";

export type ConnectionState = "offline" | "connecting" | "online" | "reconnecting";
export type Notify = <K extends NotificationName>(name: K, body: Notifications[K]) => void;

export interface HandlerContext {
  state: Signal<ConnectionState>;
  /** My full JID while a session exists. */
  jid: Signal<string | null>;
  notify: Notify;
  now: () => number;
  /** False once a newer connect/disconnect superseded the entity these handlers belong to. */
  current: () => boolean;
}

export function entityHandlers(ctx: HandlerContext): EntityHandlers {
  const { state, jid, notify, current } = ctx;
  return {
    status: (status) => {
      if (!current() || state.value !== "online") return;
      if (status === "disconnect") {
        state.value = "reconnecting";
        notify("DISCONNECT", { reason: "The connection to the server was lost." });
      }
    },
    online: (full, resumed) => {
      if (!current()) return;
      jid.value = full;
      if (state.value === "reconnecting") {
        state.value = "online";
        notify("ONLINE", resumed ? { jid: full, reconnected: true, resumed } : { jid: full, reconnected: true });
      }
    },
    stanza: (el) => {
      if (current()) receive(ctx, el);
    },
    error: (err) => {
      // Credentials refused while reconnecting (password changed, account disabled), or a server that
      // cannot prove it knows the password: the session is over; end it like a logout and ask again.
      if (!current() || state.value !== "reconnecting") return;
      const message = isAuthFailure(err)
        ? "The server no longer accepts your password. Log in again."
        : isServerNotProven(err)
          ? `${err.message} Log in again.`
          : null;
      if (!message) return;
      notify("LOGOUT", { clearHistory: false });
      notify("INVALID_LOGIN", { message });
    },
    lost: (ids) => {
      if (current() && ids.length) notify("MESSAGES_LOST", { ids });
    },
    acknowledged: (ids) => {
      if (current() && ids.length) notify("MESSAGES_ACKED", { ids });
    },
    rosterPush: (iq) => {
      const items = current() && jid.value ? parseRosterPush(iq, jid.value) : null;
      if (!items) return false;
      notify("RECEIVE_ROSTER_PUSH", items);
      return true;
    },
    blockPush: (iq) => {
      const push = current() && jid.value ? parseBlockPush(iq, jid.value) : null;
      if (!push) return false;
      notify("RECEIVE_BLOCK_PUSH", push);
      return true;
    },
  };
}

function receive(ctx: HandlerContext, el: Element): void {
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
