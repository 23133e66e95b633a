/**
 * Client state indication (XEP-0352): the nonzas that tell my server whether anyone is looking at
 * this client, sent only when the server advertised <csi xmlns='urn:xmpp:csi:0'/> in its stream features.
 */
import { type Element, xml } from "@xmpp/xml";

export const NS_CSI = "urn:xmpp:csi:0";

export function clientState(active: boolean): Element {
  return xml(active ? "active" : "inactive", { xmlns: NS_CSI });
}
