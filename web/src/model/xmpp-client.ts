/**
 * The real XMPP entity: @xmpp/client 0.14 over WebSocket (RFC 7395) with automatic reconnection.
 * - SASL (RFC 6120 §6): the browser build drops SCRAM-SHA-1, so it is registered here; SCRAM-SHA-1 is
 *   preferred, PLAIN is used only over wss:// (never sends a password in clear over ws://).
 * - XEP-0198 stream management is NOT negotiated: 0.14 counts acks in async middleware and lags,
 *   which Prosody 0.12 punishes ("acknowledged more stanzas than sent") or answers with duplicates.
 *   The <sm/> feature is hidden from the client; reconnection starts a fresh session instead.
 */
import { client, type Element, xml } from "@xmpp/client";
import scramSha1 from "@xmpp/sasl-scram-sha-1";
import { NS_ROSTER } from "./stanzas";
import type { CreateEntity } from "./xmpp-entity";

const NS_SM = "urn:xmpp:sm:3";
const NS_STREAMS = "http://etherx.jabber.org/streams";

export const createXmppEntity: CreateEntity = (options, handlers) => {
  const secure = options.service.startsWith("wss:");
  const xmpp = client({
    service: options.service,
    domain: options.domain,
    resource: options.resource,
    timeout: 15_000,
    userAgent: xml("user-agent", { id: options.resource }),
    credentials: async (authenticate, mechanisms) => {
      const mechanism = mechanisms.includes("SCRAM-SHA-1")
        ? "SCRAM-SHA-1"
        : secure && mechanisms.includes("PLAIN")
          ? "PLAIN"
          : null;
      if (!mechanism) throw new Error("The server offers no login method that is safe on this connection.");
      await authenticate({ username: options.username, password: options.password }, mechanism);
    },
  });
  scramSha1(xmpp.saslFactory);

  // Runs before xmpp.js's own listeners: drop the stream-management feature (see header).
  xmpp.prependListener("element", (el: Element) => {
    if (!el.is("features", NS_STREAMS)) return;
    el.children = el.children.filter((c) => typeof c === "string" || !c.is("sm", NS_SM));
  });

  xmpp.on("status", (status) => handlers.status(status));
  xmpp.on("online", (jid) => handlers.online(jid.toString()));
  xmpp.on("stanza", (el) => handlers.stanza(el));
  xmpp.on("error", (err) => handlers.error(err));
  xmpp.iqCallee.set(NS_ROSTER, "query", (ctx) => handlers.rosterPush(ctx.stanza));

  return {
    start: async () => {
      await xmpp.start();
    },
    stop: async () => {
      xmpp.reconnect.stop();
      if (xmpp.status === "offline") return;
      await xmpp.stop();
    },
    send: (el) => xmpp.send(el),
    request: (iq) => xmpp.iqCaller.request(iq, 30_000),
  };
};
