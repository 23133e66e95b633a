/**
 * XEP-0425 Message Moderation: a room moderator has the room retract someone else's message. Parsed in
 * both versions servers send, built as Converse.js and Prosody's mod_muc_moderation expect them:
 * - 0.3 (`urn:xmpp:message-moderate:1`): the room announces
 *   `<retract xmlns='urn:xmpp:message-retract:1' id=room-archive-id><moderated by?><occupant-id/></moderated><reason/></retract>`
 *   and its archive keeps `<retracted xmlns='urn:xmpp:message-retract:1' stamp><moderated/>…<reason/></retracted>`
 *   in the message's place (Converse.js src/headless/plugins/muc/parsers.js getModerationAttributes);
 * - 0.2 (`urn:xmpp:message-moderate:0`, Prosody 0.12's mod_muc_moderation): the announcement is the
 *   XEP-0422 fastening `<apply-to xmlns='urn:xmpp:fasten:0' id><moderated by><retract xmlns='urn:xmpp:message-retract:0'/><reason/></moderated></apply-to>`
 *   and the tombstone `<moderated by><retracted xmlns='urn:xmpp:message-retract:0' stamp/><reason/></moderated>`
 *   (parsers.js getDeprecatedModerationAttributes).
 * Asking for one is moderation-request.ts (loaded with the rooms).
 * Only the room itself may moderate: the caller trusts an announcement only from the room's bare JID,
 * and a tombstone only from the room's archive.
 */
import type { Element } from "@xmpp/xml";

export const NS_MODERATE = "urn:xmpp:message-moderate:1";
export const NS_MODERATE0 = "urn:xmpp:message-moderate:0";
export const NS_FASTEN = "urn:xmpp:fasten:0";
export const NS_RETRACT = "urn:xmpp:message-retract:1";
export const NS_RETRACT0 = "urn:xmpp:message-retract:0";
/** A reason is shown, not stored whole: at most this many characters. */
export const MAX_REASON = 500;

export interface Moderation {
  /** An announcement: the room archive id of the message removed. */
  target?: string;
  /** A tombstone: this message itself was removed (read from the room's archive). */
  tombstone?: true;
  /** The moderator's occupant JID when the room says it (room@service/nick). */
  by?: string;
  reason?: string;
}

const reasonOf = (...els: Array<Element | undefined>): string | undefined => {
  for (const el of els) {
    const r = el?.getChildText("reason")?.trim();
    if (r) return r.slice(0, MAX_REASON);
  }
  return undefined;
};

const withFields = (base: Moderation, by: string | undefined, reason: string | undefined): Moderation => ({
  ...base,
  ...(by ? { by } : {}),
  ...(reason ? { reason } : {}),
});

/** What a `<message/>` says about moderation, or null when it says nothing. */
export function parseModeration(el: Element): Moderation | null {
  const retract = el.getChild("retract", NS_RETRACT);
  const moderated = retract?.getChild("moderated", NS_MODERATE);
  if (retract?.attrs.id && moderated)
    return withFields({ target: retract.attrs.id }, moderated.attrs.by, reasonOf(retract, moderated));
  for (const apply of el.getChildren("apply-to", NS_FASTEN)) {
    const old = apply.getChild("moderated", NS_MODERATE0);
    if (apply.attrs.id && old?.getChild("retract", NS_RETRACT0))
      return withFields({ target: apply.attrs.id }, old.attrs.by, reasonOf(old, apply));
  }
  const retracted = el.getChild("retracted", NS_RETRACT);
  const byNew = retracted?.getChild("moderated", NS_MODERATE);
  if (retracted && byNew) return withFields({ tombstone: true }, byNew.attrs.by, reasonOf(retracted, el));
  const tomb0 = el.getChild("moderated", NS_MODERATE0);
  if (tomb0?.getChild("retracted", NS_RETRACT0)) return withFields({ tombstone: true }, tomb0.attrs.by, reasonOf(tomb0, el));
  return null;
}
