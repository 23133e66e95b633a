/**
 * What the XMPP proxy does with its entity's events: connection status into the state signal
 * (lost → "reconnecting", back → "online"), incoming stanzas and roster / blocklist pushes handed to the
 * receiver (xmpp-receive.ts, which loads with the client, not with the first paint), refused credentials, a server that cannot prove it knows the
 * password (SCRAM, RFC 5802 §5.1) and acknowledged or unacknowledged messages (XEP-0198).
 */

import type { Signal } from "@preact/signals";
import type { NotificationName, Notifications } from "../../app/notifications";
import { isAuthFailure, isServerNotProven } from "../auth/sasl-failure";
import type { EntityHandlers } from "./xmpp-entity";
import type { Receiver } from "./xmpp-receive";

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
  /** Turns incoming stanzas into notifications (xmpp-receive.ts). */
  receiver: Receiver;
}

export function entityHandlers(ctx: HandlerContext): EntityHandlers {
  const { state, jid, notify, current, receiver } = ctx;
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
      if (current()) receiver.stanza(ctx, el);
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
      const items = current() && jid.value ? receiver.rosterPush(iq, jid.value) : null;
      if (!items) return false;
      notify("RECEIVE_ROSTER_PUSH", items);
      return true;
    },
    blockPush: (iq) => {
      const push = current() && jid.value ? receiver.blockPush(iq, jid.value) : null;
      if (!push) return false;
      notify("RECEIVE_BLOCK_PUSH", push);
      return true;
    },
  };
}
