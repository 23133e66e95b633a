/**
 * Push Notifications (XEP-0357 §5, §7) as the app server receives them: the user's server sends
 *   <iq type='set' to='push.example.org' id='…'><pubsub xmlns='http://jabber.org/protocol/pubsub'>
 *     <publish node='NODE'><item><notification xmlns='urn:xmpp:push:0'>
 *       <x xmlns='jabber:x:data'><field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>
 *         <field var='message-count'>…</field><field var='last-message-sender'>…</field>
 *         <field var='last-message-body'>…</field></x>
 *     </notification></item></publish>
 *     <publish-options><x xmlns='jabber:x:data' type='submit'>… <field var='secret'>…</field></x></publish-options>
 *   </pubsub></iq>
 * (Prosody's mod_cloud_notify builds exactly this in handle_notify_request; ejabberd's mod_push the
 * same). Answers: an empty result, or an error stanza (RFC 6120 §8.3).
 */
import { child, children, escapeXml, textOf, type XmlElement } from "./xml-stream";

const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
const NS_PUSH = "urn:xmpp:push:0";
const NS_DATA = "jabber:x:data";

export interface PushSummary {
  messageCount?: number;
  /** Bare JID of the last message's sender, when the server includes it. */
  sender?: string;
  /** The last message's body, when the server includes it (or its placeholder for "important"). */
  body?: string;
}

export interface Publish {
  id: string;
  from: string;
  node: string;
  secret: string;
  summary: PushSummary;
}

function formFields(x: XmlElement | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  for (const f of children(x, "field")) {
    const name = f.attrs.var;
    if (name) fields.set(name, textOf(child(f, "value")));
  }
  return fields;
}

/** The publish request in an iq, or null when the iq is something else. */
export function parsePublish(iq: XmlElement): Publish | null {
  if (iq.name !== "iq" || iq.attrs.type !== "set") return null;
  const pubsub = child(iq, "pubsub", NS_PUBSUB);
  const publish = child(pubsub, "publish");
  const node = publish?.attrs.node;
  if (!node) return null;
  const notification = child(child(publish, "item"), "notification", NS_PUSH);
  const summary = formFields(child(notification, "x", NS_DATA));
  const options = formFields(child(child(pubsub, "publish-options"), "x", NS_DATA));
  const count = Number(summary.get("message-count"));
  const sender = summary.get("last-message-sender");
  const body = summary.get("last-message-body");
  return {
    id: iq.attrs.id ?? "",
    from: iq.attrs.from ?? "",
    node,
    secret: options.get("secret") ?? "",
    summary: {
      ...(Number.isInteger(count) && count > 0 ? { messageCount: count } : {}),
      ...(sender ? { sender: sender.split("/")[0] } : {}),
      ...(body ? { body } : {}),
    },
  };
}

export function resultIq(iq: XmlElement, ownJid: string): string {
  return `<iq type='result' id='${escapeXml(iq.attrs.id ?? "")}' to='${escapeXml(iq.attrs.from ?? "")}' from='${escapeXml(ownJid)}'/>`;
}

/** An error reply; `type` cancel for a node that is gone (the server then stops pushing to it). */
export function errorIq(iq: XmlElement, ownJid: string, type: "cancel" | "auth" | "modify" | "wait", condition: string): string {
  return (
    `<iq type='error' id='${escapeXml(iq.attrs.id ?? "")}' to='${escapeXml(iq.attrs.from ?? "")}' from='${escapeXml(ownJid)}'>` +
    `<error type='${type}'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`
  );
}
