/** Roster edits beyond add and remove (RFC 6121 §2.4): a new name for an item, its groups kept. */
import { type Element, xml } from "@xmpp/xml";
import { NS_ROSTER, type RosterItem } from "./stanzas";

export const NS_PRE_APPROVAL = "urn:xmpp:features:pre-approval";

export function rosterRename(item: RosterItem, name: string): Element {
  return xml(
    "iq",
    { type: "set" },
    xml(
      "query",
      { xmlns: NS_ROSTER },
      xml("item", { jid: item.jid, name: name || undefined }, ...item.groups.map((g) => xml("group", {}, g))),
    ),
  );
}
