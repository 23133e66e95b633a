/**
 * Blocking command (XEP-0191) requests: the blocklist (§3.2) and its result, block and unblock sets
 * (§3.3, §3.4), built as Conversations builds them (IqGenerator.generateSetBlockRequest /
 * generateSetUnblockRequest). The server's pushes are read in blocking.ts.
 */
import { type Element, xml } from "@xmpp/xml";
import { itemJids, NS_BLOCKING } from "./blocking";

export function blocklistGet(): Element {
  return xml("iq", { type: "get" }, xml("blocklist", { xmlns: NS_BLOCKING }));
}

export function blockSet(jid: string): Element {
  return xml("iq", { type: "set" }, xml("block", { xmlns: NS_BLOCKING }, xml("item", { jid })));
}

export function unblockSet(jid: string): Element {
  return xml("iq", { type: "set" }, xml("unblock", { xmlns: NS_BLOCKING }, xml("item", { jid })));
}

/** The addresses in a blocklist result (§3.2); none when the result carries no <blocklist/>. */
export function parseBlocklist(iq: Element): string[] {
  return itemJids(iq.getChild("blocklist", NS_BLOCKING));
}
