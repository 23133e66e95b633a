/**
 * XEP-0357 (Push Notifications) §5-6 requests the PWA sends its own server: enable push for this
 * device's node at the push service, with the secret as a publish option (pubsub#publish-options
 * form, XEP-0060 §7.1.5), and disable it again.
 */
import { type Element, xml } from "@xmpp/xml";

const NS_PUSH = "urn:xmpp:push:0";

export function enableIq(jid: string, node: string, secret: string): Element {
  return xml(
    "iq",
    { type: "set", id: `push-${Math.random().toString(36).slice(2, 10)}` },
    xml(
      "enable",
      { xmlns: NS_PUSH, jid, node },
      xml(
        "x",
        { xmlns: "jabber:x:data", type: "submit" },
        xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/pubsub#publish-options")),
        xml("field", { var: "secret" }, xml("value", {}, secret)),
      ),
    ),
  );
}

export function disableIq(jid: string, node: string): Element {
  return xml(
    "iq",
    { type: "set", id: `push-${Math.random().toString(36).slice(2, 10)}` },
    xml("disable", { xmlns: NS_PUSH, jid, node }),
  );
}
