/** Entry of the lazily loaded client chunk (xmpp-lazy.ts): the composed xmpp.js entity. */
export { createXmppEntity } from "./xmpp-client";
