/**
 * Asking a room to remove someone's message (XEP-0425 §4) and whether it can (its disco#info), in the
 * version the room offers; what the room then announces is parsed by moderation.ts.
 */
import { type Element, xml } from "@xmpp/xml";
import { MAX_REASON, NS_FASTEN, NS_MODERATE, NS_MODERATE0, NS_RETRACT, NS_RETRACT0 } from "./moderation";

const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";

/** The moderation version a room's disco#info announces (0.3 preferred), or null. */
export function moderationOffered(info: Element): typeof NS_MODERATE | typeof NS_MODERATE0 | null {
  const vars = (info.getChild("query", NS_DISCO_INFO)?.getChildren("feature") ?? []).map((f) => f.attrs.var);
  return vars.includes(NS_MODERATE) ? NS_MODERATE : vars.includes(NS_MODERATE0) ? NS_MODERATE0 : null;
}

/**
 * The request to remove message `id` (its room archive id) from `room`, in the version the room offers:
 * 0.3 as Converse.js's MUC.sendRetractionIQ (src/headless/plugins/muc/muc.js), 0.2 as Prosody 0.12's
 * mod_muc_moderation reads it (iq-set/bare/urn:xmpp:fasten:0:apply-to).
 */
export function moderateRequest(room: string, id: string, reason: string, version: string): Element {
  const why = reason.trim().slice(0, MAX_REASON);
  if (version === NS_MODERATE0)
    return xml(
      "iq",
      { type: "set", to: room },
      xml(
        "apply-to",
        { xmlns: NS_FASTEN, id },
        xml("moderate", { xmlns: NS_MODERATE0 }, xml("retract", { xmlns: NS_RETRACT0 }), why ? xml("reason", {}, why) : null),
      ),
    );
  return xml(
    "iq",
    { type: "set", to: room },
    xml("moderate", { xmlns: NS_MODERATE, id }, xml("retract", { xmlns: NS_RETRACT }), why ? xml("reason", {}, why) : null),
  );
}
