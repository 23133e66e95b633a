/**
 * Entry of the lazily loaded client chunk (xmpp-lazy.ts): the composed xmpp.js entity and what turns
 * its stanzas into notifications.
 */
export { createXmppEntity } from "./xmpp-client";
export { receiver } from "./xmpp-receive";
