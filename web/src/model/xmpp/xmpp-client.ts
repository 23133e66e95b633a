/**
 * The real XMPP entity: xmpp.js 0.14 parts composed as @xmpp/client does (packages/client/index.js),
 * minus what the PWA must not or need not run, plus one replacement:
 * - XEP-0198 stream management is smacks.ts (synchronous counting), not @xmpp/stream-management 0.14
 *   (async counting that lags; Prosody 0.12 kills the session or redelivers);
 * - no SASL2/FAST/Bind2, no SRV/host-meta resolver (discovery.ts does XEP-0156), no TCP/TLS.
 * WebSocket transport (RFC 7395), SASL (RFC 6120 §6): SCRAM-SHA-1 preferred (scram-sha-1.ts, native
 * PBKDF2, instead of @xmpp/sasl-scram-sha-1's per-iteration loop), PLAIN only over wss:// (a password
 * never crosses ws:// in clear), resource binding (§7), automatic reconnection, ping replies, and
 * this client's capabilities (XEP-0115: on every presence broadcast, and disco#info answers).
 * @xmpp/sasl 0.14 ignores what <success/> carries (index.js: `if (element.name === "success") return
 * done()`); SCRAM's server-final-message is read from it here, by listening to the same nonzas, and
 * checked before the stream restarts: a server that cannot prove it knows the password gets no session.
 */
import { Client, type Element } from "@xmpp/client-core";
import iqCallee from "@xmpp/iq/callee.js";
import iqCaller from "@xmpp/iq/caller.js";
import middleware from "@xmpp/middleware";
import reconnect from "@xmpp/reconnect";
import resourceBinding from "@xmpp/resource-binding";
import sasl from "@xmpp/sasl";
import plain from "@xmpp/sasl-plain";
import streamFeatures from "@xmpp/stream-features";
import websocket from "@xmpp/websocket";
import SaslFactory from "saslmechanisms";
import { ScramSha1 } from "../auth/scram-sha-1";
import { NS_BLOCKING } from "../stanzas/blocking";
import { discoInfoAnswer, myCapsVer, withCaps } from "../stanzas/caps";
import { NS_DISCO_INFO } from "../stanzas/client-features";
import { NS_ROSTER } from "../stanzas/stanzas";
import { backoffDelay } from "./backoff";
import { smacks } from "./smacks";
import type { CreateEntity } from "./xmpp-entity";

/** Statuses in which no stream is open. */
const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const GONE = new Set(["offline", "disconnect", "connecting", "disconnecting"]);
const CLOSE_GRACE_MS = 3000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** An idle session asks for an ack this often: below the ~100 s idle cut of proxies such as Cloudflare's. */
const KEEP_ALIVE_MS = 45_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const createXmppEntity: CreateEntity = (options, handlers) => {
  const secure = options.service.startsWith("wss:");
  const entity = new Client({ service: options.service, domain: options.domain, timeout: 15_000 });
  const reconnecting = reconnect({ entity });
  reconnecting.delay = RETRY_MIN_MS;
  websocket({ entity });
  const mw = middleware({ entity });
  const features = streamFeatures({ middleware: mw });
  const caller = iqCaller({ middleware: mw, entity });
  const callee = iqCallee({ middleware: mw, entity });
  const saslFactory = new SaslFactory();
  // The mechanism @xmpp/sasl creates for this login, kept to check the server's proof afterwards.
  let scram: ScramSha1 | null = null;
  saslFactory.use(
    "SCRAM-SHA-1",
    class extends ScramSha1 {
      constructor() {
        super();
        scram = this;
      }
    },
  );
  plain(saslFactory);
  sasl({ streamFeatures: features, saslFactory }, async (authenticate, mechanisms) => {
    const mechanism = mechanisms.includes("SCRAM-SHA-1")
      ? "SCRAM-SHA-1"
      : secure && options.password && mechanisms.includes("PLAIN")
        ? "PLAIN"
        : null;
    if (!mechanism) throw new Error("The server offers no login method that is safe on this connection.");
    const { username, password, onScramKeys } = options;
    let success = "";
    const onNonza = (el: Element) => {
      if (el.is("success", NS_SASL)) success = el.text() === "=" ? "" : atob(el.text());
    };
    scram = null;
    entity.on("nonza", onNonza);
    try {
      await authenticate({ username, password, scram: options.scram, onScramKeys }, mechanism);
    } finally {
      entity.removeListener("nonza", onNonza);
    }
    if (mechanism === "SCRAM-SHA-1") {
      if (!scram) throw new Error("SCRAM-SHA-1 did not run.");
      (scram as ScramSha1).verifyServer(success);
    }
  });
  // Registered before resource binding: a resumption (XEP-0198 §5) replaces binding.
  const sm = smacks(entity, features, {
    lost: (messages) => handlers.lost(messages.map((m) => m.attrs.id ?? "")),
    acknowledged: (messages) => handlers.acknowledged(messages.map((m) => m.attrs.id ?? "")),
    keepAlive: KEEP_ALIVE_MS,
    store: options.smStore,
  });
  resourceBinding({ iqCaller: caller, streamFeatures: features }, options.resource);
  callee.get("urn:xmpp:ping", "ping", () => true);
  callee.set(NS_ROSTER, "query", (ctx) => handlers.rosterPush(ctx.stanza));
  callee.set(NS_BLOCKING, "block", (ctx) => handlers.blockPush(ctx.stanza));
  callee.set(NS_BLOCKING, "unblock", (ctx) => handlers.blockPush(ctx.stanza));
  // XEP-0115: peers and my server's PEP ask what node#ver means; my presences carry the ver.
  callee.get(NS_DISCO_INFO, "query", (ctx) => discoInfoAnswer(ctx.stanza.getChild("query") ?? ctx.stanza));
  let ver = "";
  // The newest stream features: after authentication they name what the session may use.
  let offered: ReadonlySet<string> = new Set();
  entity.on("element", (el) => {
    if (el.name === "stream:features") offered = new Set(el.getChildElements().map((c) => String(c.attrs.xmlns ?? "")));
  });

  // Reconnection backs off exponentially, 1 s → 30 s, with full jitter (xmpp.js retries every second):
  // after a server restart, thousands of clients must not all come back in the same second.
  let ceiling = RETRY_MIN_MS;
  entity.on("status", (status) => {
    if (status === "online") ceiling = RETRY_MIN_MS;
    else if (status === "disconnect") {
      reconnecting.delay = backoffDelay(ceiling);
      ceiling = Math.min(ceiling * 2, RETRY_MAX_MS);
    }
    handlers.status(status);
  });
  entity.on("online", (jid) => handlers.online(jid.toString(), sm.resumed));
  entity.on("stanza", (el) => handlers.stanza(el));
  entity.on("error", (err) => handlers.error(err));

  return {
    start: async () => {
      ver = await myCapsVer();
      await entity.start();
    },
    stop: async () => {
      reconnecting.stop();
      sm.reset();
      // A stream is open: close it politely (RFC 7395 §3.6), but never wait long for the server.
      if (!GONE.has(entity.status)) await Promise.race([entity.stop().catch(() => {}), sleep(CLOSE_GRACE_MS)]);
      // A failed or half-closed connection has no stream to close; xmpp.js would wait its full
      // timeout for a 'close' that already happened. Drop the socket instead.
      try {
        entity.socket?.end();
      } catch {}
    },
    send: (el) => entity.send(ver ? withCaps(el, ver) : el),
    acknowledges: () => sm.enabled,
    request: (iq) => caller.request(iq, 30_000),
    features: () => offered,
    reconnectNow: () => {
      if (entity.status !== "disconnect") return;
      reconnecting.reconnect().catch(() => {});
    },
  };
};
