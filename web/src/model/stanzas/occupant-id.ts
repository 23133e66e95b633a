/**
 * Anonymous unique occupant identifiers (XEP-0421): a room that offers `urn:xmpp:occupant-id:0` (in its
 * disco#info) stamps every message with `<occupant-id id/>`, stable for one participant across nickname
 * changes and rejoins, and strips any a client put there (§4). Only then is it trusted: the author of a
 * room message is that id, so someone who later takes a nickname cannot correct or retract the earlier
 * owner's messages.
 */
import type { Element } from "@xmpp/xml";

export const NS_OCCUPANT_ID = "urn:xmpp:occupant-id:0";

/** Whether a room's disco#info result offers occupant ids. */
export function offersOccupantIds(info: Element): boolean {
  const query = info.getChild("query", "http://jabber.org/protocol/disco#info");
  return !!query?.getChildren("feature").some((f) => f.attrs.var === NS_OCCUPANT_ID);
}
