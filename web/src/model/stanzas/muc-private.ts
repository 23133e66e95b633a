/**
 * A private message to a room occupant (XEP-0045 §7.5): a chat message to room@service/nick with an
 * empty <x xmlns='http://jabber.org/protocol/muc#user'/>, as Conversations marks the ones it sends
 * (ModerationManager.retract, MessageGenerator: `packet.addChild("x", Namespace.MUC_USER)` for a
 * private message) and as Converse.js receives them (muc-private-messages tests). The mark tells the
 * servers on the way (and my other clients, in the archive) that it belongs to a room, not to the
 * room's bare address.
 */
import { type Element, xml } from "@xmpp/xml";
import { NS_MUC_USER } from "./muc";

export function asPrivate(message: Element): Element {
  message.append(xml("x", { xmlns: NS_MUC_USER }));
  return message;
}
