/**
 * What this client supports, as it tells other entities (XEP-0030 disco#info, hashed into its XEP-0115
 * capabilities): one identity and one list of features. A feature goes in this list only once the code
 * that handles it is in the client, since other clients decide from it what to send. `+notify` entries
 * (XEP-0163 §9.2) ask contacts' PEP services to push those nodes.
 */
export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_CAPS = "http://jabber.org/protocol/caps";

export interface Identity {
  category: string;
  type: string;
  name: string;
}

/** XEP-0030 registry: category "client", type "web" (a browser-based client). */
export const CLIENT_IDENTITY: Identity = { category: "client", type: "web", name: "Porthole" };

export const CLIENT_FEATURES: readonly string[] = [
  NS_DISCO_INFO,
  NS_CAPS,
  // XEP-0199: the entity answers pings (xmpp-client.ts).
  "urn:xmpp:ping",
  // XEP-0184: receipts are sent when asked (receive-message.ts).
  "urn:xmpp:receipts",
  // XEP-0085: chat states are sent and shown.
  "http://jabber.org/protocol/chatstates",
  // XEP-0084 and XEP-0172 through PEP notifications (avatars.ts, receive-contact-event.ts).
  "urn:xmpp:avatar:metadata+notify",
  "http://jabber.org/protocol/nick+notify",
  // XEP-0402: my other devices' room bookmarks, joined and left live (receive-bookmarks.ts).
  "urn:xmpp:bookmarks:1+notify",
  // XEP-0308 corrections, XEP-0424 retractions (both namespaces), XEP-0461 replies, XEP-0444 reactions,
  // XEP-0333 chat markers (rich.ts, receive-rich.ts); written out, not imported, to keep them in this chunk.
  "urn:xmpp:message-correct:0",
  "urn:xmpp:message-retract:0",
  "urn:xmpp:message-retract:1",
  "urn:xmpp:reply:0",
  // XEP-0428: the reply fallback is stripped for display.
  "urn:xmpp:fallback:0",
  "urn:xmpp:reactions:0",
  "urn:xmpp:chat-markers:0",
  // XEP-0066 out-of-band files shown as attachments (views/files).
  "jabber:x:oob",
];
