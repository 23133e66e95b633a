/**
 * XEP-0198 Stream Management for the composed xmpp.js client, counted synchronously: every inbound
 * stanza is counted as it is parsed ("element" event) and every outbound one as it is written ("send"
 * event), so an <r/> is answered at once with the exact number handled. @xmpp/stream-management 0.14
 * counts in async middleware and lags, which Prosody 0.12 punishes ("acknowledged more stanzas than
 * sent") or answers with redeliveries.
 * - enable with resumption after resource binding (§3); ask for acks after sending (debounced, §4) and
 *   drop the connection when none comes (a dead socket is found in seconds, not at the next write);
 * - on reconnection, resume before binding (§5): unacknowledged stanzas are sent again; if the server
 *   refuses, the session starts afresh and the unacknowledged messages are handed to `lost()`;
 * - with a `store` (sm-store.ts), the resumable state survives a page reload: the first connection of
 *   the new page resumes the old session instead of starting one;
 * - keep-alive: after `keepAlive` ms without traffic either way, ask for an ack, so that an idle
 *   WebSocket is never cut by a proxy's idle timeout (Cloudflare's is about 100 s) and a dead one is found.
 */
import type { Client } from "@xmpp/client-core";
import type { StreamFeatures } from "@xmpp/stream-features";
import { type Element, xml } from "@xmpp/xml";
import type { SmStore } from "./sm-store";

export const NS_SM = "urn:xmpp:sm:3";
const STANZAS = new Set(["message", "presence", "iq"]);
const isStanza = (el: Element) => STANZAS.has(el.name) && (!el.attrs.xmlns || el.attrs.xmlns === "jabber:client");

export interface SmacksOptions {
  /** Messages sent but never acknowledged by a session that could not be resumed. */
  lost: (messages: Element[]) => void;
  /** Messages the server acknowledged (its <a h/> or <resumed h/> counted them). */
  acknowledged?: (messages: Element[]) => void;
  /** Delay before asking for an ack after sending (ms). */
  ackDelay?: number;
  /** How long to wait for an ack before dropping the connection (ms). */
  ackTimeout?: number;
  /** Ask for an ack after this long without traffic (ms); off when not set. */
  keepAlive?: number;
  /** Where the resumable state is kept across a page reload; loaded once, here. */
  store?: SmStore;
}

export interface Smacks {
  readonly enabled: boolean;
  /** Stanzas received in this session (h). */
  readonly inbound: number;
  /** Stanzas sent and not yet acknowledged. */
  readonly unacked: number;
  /** Whether the last time online was a resumption (the server kept presence and queued stanzas). */
  readonly resumed: boolean;
  /** Forget the session (logout). */
  reset(): void;
}

type Schedule = (fn: () => void, ms: number) => unknown;

export function smacks(
  entity: Client,
  features: StreamFeatures,
  options: SmacksOptions,
  timers: { set: Schedule; clear: (t: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  },
): Smacks {
  const saved = options.store?.load() ?? null;
  let id = saved?.id ?? "";
  /** My full JID in the session `id` names (to restore after a reload, where no binding happens). */
  let jid = saved?.jid ?? "";
  let enabled = false;
  let counting = false;
  let resumed = false;
  let inbound = saved?.inbound ?? 0;
  let acked = saved?.acked ?? 0;
  let queue: Element[] = saved?.queue ?? [];
  let ackTimer: unknown = null;
  let deadTimer: unknown = null;
  let idleTimer: unknown = null;
  let waiting: ((el: Element | null) => void) | null = null;

  const send = (el: Element) => void entity.send(el).catch(() => {});
  const persist = () => options.store?.save(id ? { id, jid, inbound, acked, queue } : null);
  const stopTimers = () => {
    timers.clear(ackTimer);
    timers.clear(deadTimer);
    timers.clear(idleTimer);
    ackTimer = deadTimer = idleTimer = null;
  };
  const requestAck = () => {
    ackTimer = null;
    if (!enabled) return;
    send(xml("r", { xmlns: NS_SM }));
    deadTimer ??= timers.set(() => void entity.disconnect().catch(() => {}), options.ackTimeout ?? 30_000);
  };
  /** Restarts the keep-alive countdown on any traffic. */
  const touch = () => {
    if (options.keepAlive === undefined) return;
    timers.clear(idleTimer);
    idleTimer = enabled
      ? timers.set(() => {
          idleTimer = null;
          if (enabled && ackTimer === null) requestAck();
        }, options.keepAlive)
      : null;
  };
  const ack = (h: number) => {
    // h is a count (XEP-0198 §4, xs:unsignedInt): a missing or malformed one acknowledges nothing,
    // instead of turning the count into NaN, after which no ack would ever release the queue.
    if (!Number.isSafeInteger(h) || h < 0) return;
    const n = Math.max(0, Math.min(h - acked, queue.length));
    const done = queue.slice(0, n);
    queue = queue.slice(n);
    acked += n;
    if (n) persist();
    timers.clear(deadTimer);
    deadTimer = null;
    const messages = done.filter((el) => el.is("message"));
    if (messages.length) options.acknowledged?.(messages);
  };
  const forget = () => {
    const lost = queue.filter((el) => el.is("message"));
    id = "";
    queue = [];
    acked = inbound = 0;
    jid = "";
    enabled = counting = resumed = false;
    stopTimers();
    persist();
    if (lost.length) options.lost(lost);
  };

  entity.on("element", (el) => {
    touch();
    if (isStanza(el)) {
      if (enabled) {
        inbound++;
        persist();
      }
      return;
    }
    if (el.attrs.xmlns !== NS_SM) return;
    if (el.name === "r" && enabled) send(xml("a", { xmlns: NS_SM, h: String(inbound) }));
    else if (el.name === "a") ack(Number(el.attrs.h));
    else if (el.name === "enabled") {
      enabled = true;
      resumed = false;
      inbound = 0;
      touch();
      id = el.attrs.resume === "true" || el.attrs.resume === "1" ? (el.attrs.id ?? "") : "";
      jid = entity.jid?.toString() ?? "";
      persist();
    } else if (el.name === "resumed" || el.name === "failed") waiting?.(el);
  });
  entity.on("send", (el) => {
    touch();
    if (el.is("enable", NS_SM)) {
      counting = true;
      acked = 0;
      queue = [];
    } else if (counting && isStanza(el)) {
      queue.push(el);
      persist();
      if (ackTimer === null) ackTimer = timers.set(requestAck, options.ackDelay ?? 250);
    }
  });
  entity.on("status", (status) => {
    if (status === "disconnect") {
      enabled = counting = false;
      stopTimers();
      waiting?.(null);
    }
  });

  features.use("sm", NS_SM, async ({ entity: e }, next) => {
    if (id) {
      const answer = new Promise<Element | null>((resolve) => {
        waiting = resolve;
      });
      send(xml("resume", { xmlns: NS_SM, h: String(inbound), previd: id }));
      const el = await answer;
      waiting = null;
      if (el?.name === "resumed") {
        enabled = counting = resumed = true;
        touch();
        ack(Number(el.attrs.h));
        const again = queue;
        queue = [];
        for (const stanza of again) send(stanza);
        // After a reload no binding ran in this page: the session's JID is the one saved with it.
        if (!e.jid && jid) e._jid(jid);
        e._status("online", e.jid);
        return;
      }
      if (!el) throw new Error("Disconnected while resuming the session.");
      forget();
    }
    await next();
    send(xml("enable", { xmlns: NS_SM, resume: "true" }));
  });

  return {
    get enabled() {
      return enabled;
    },
    get inbound() {
      return inbound;
    },
    get unacked() {
      return queue.length;
    },
    get resumed() {
      return resumed;
    },
    reset: forget,
  };
}
