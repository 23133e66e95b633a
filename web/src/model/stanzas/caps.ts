/**
 * Entity capabilities (XEP-0115): the verification string over this client's disco#info (§5.1:
 * identities, then features, each sorted and ended by "<"), its SHA-1 in base64 as `ver`, the <c/>
 * element every presence broadcast of mine carries (added by the entity, xmpp-client.ts), and the
 * disco#info answer for `node#ver` (§6.2) or no node.
 */
import { type Element, xml } from "@xmpp/xml";
import { CLIENT_FEATURES, CLIENT_IDENTITY, type Identity, NS_CAPS, NS_DISCO_INFO } from "./client-features";

/** Names this software (XEP-0115 §4: a URI); `node#ver` is what peers ask disco#info about. */
export const CAPS_NODE = "https://porthole.invalid/caps";

const octets = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** XEP-0115 §5.1 steps 1-9 (no extended forms: this client publishes none). */
export function verificationString(identities: readonly Identity[], features: readonly string[]): string {
  const ids = identities.map((i) => `${i.category}/${i.type}//${i.name}`).sort(octets);
  const vars = [...new Set(features)].sort(octets);
  return [...ids, ...vars].map((s) => `${s}<`).join("");
}

/** base64(SHA-1(UTF-8 of the verification string)), §5.1 steps 10-11. */
export async function capsVer(identities: readonly Identity[], features: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(verificationString(identities, features));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return btoa(String.fromCharCode(...digest));
}

let mine: Promise<string> | null = null;
/** This client's own `ver` (computed once). */
export function myCapsVer(): Promise<string> {
  mine ??= capsVer([CLIENT_IDENTITY], CLIENT_FEATURES);
  return mine;
}

/**
 * Adds <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node ver/> to my broadcast presence
 * (available, no `to`: §4 "include in every presence broadcast"); other stanzas pass unchanged.
 */
export function withCaps(stanza: Element, ver: string): Element {
  if (!stanza.is("presence") || stanza.attrs.type || stanza.attrs.to || stanza.getChild("c", NS_CAPS)) return stanza;
  stanza.append(xml("c", { xmlns: NS_CAPS, hash: "sha-1", node: CAPS_NODE, ver }));
  return stanza;
}

/**
 * The answer to a disco#info get (XEP-0030 §3.1): my identity and features for no node or for
 * `CAPS_NODE#ver` (XEP-0115 §6.2, the node echoed back); an item-not-found error for any other node.
 */
export async function discoInfoAnswer(query: Element): Promise<Element> {
  const node = query.attrs.node as string | undefined;
  if (node && node !== `${CAPS_NODE}#${await myCapsVer()}`)
    return xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }));
  return xml(
    "query",
    { xmlns: NS_DISCO_INFO, node },
    xml("identity", { category: CLIENT_IDENTITY.category, type: CLIENT_IDENTITY.type, name: CLIENT_IDENTITY.name }),
    ...CLIENT_FEATURES.map((f) => xml("feature", { var: f })),
  );
}
