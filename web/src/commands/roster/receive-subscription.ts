/**
 * What a presence carries beside availability: a XEP-0153 vCard avatar hash (looked up unless a PEP
 * avatar wins), and subscription requests (RFC 6121 §3): approved at once when the contact already
 * has it (§3.1.3) or is someone I added (I asked to see their presence: the mutual subscription I
 * meant, for servers without pre-approval, §3.4), listed for approval otherwise with the nickname it
 * carries (XEP-0172); an unsubscribe withdraws a listed request.
 */
import { announce, setNick } from "../../model/avatars/avatar-choice";
import type { Model } from "../../model/index";
import { cardOf } from "../../model/stanzas/avatars";
import { type Presence, subscription } from "../../model/stanzas/stanzas";
import { lookUpAvatar } from "../avatars/avatar-lookup";

export async function receiveCard(model: Model, p: Presence): Promise<void> {
  const { roster, xmpp, avatars } = model;
  const { photo, nick } = cardOf(p);
  if (p.type === "available") {
    if (photo !== undefined && announce(avatars, p.bare, photo || null, "vcard") && photo)
      await lookUpAvatar(model, p.bare, photo, "vcard", "");
    return;
  }
  if (p.bare === xmpp.bare) return;
  if (p.type === "subscribe") {
    const item = roster.get(p.bare);
    if (nick && !item?.name) setNick(avatars, p.bare, nick);
    if (item && (item.subscription !== "none" || item.ask)) await xmpp.send(subscription("subscribed", p.bare));
    else roster.addRequest(p.bare);
  } else if (p.type === "unsubscribe") {
    roster.removeRequest(p.bare);
  }
}
