/**
 * Use case "approve a subscription request" (RFC 6121 §3.1.4): let them see my presence, and ask to
 * see theirs when I do not already (the usual mutual subscription).
 */
import type { Command } from "../../app/facade";
import { subscription } from "../../model/stanzas/stanzas";

export const approveSubscription: Command<"APPROVE_SUBSCRIPTION"> = async ({ jid }, { model }) => {
  const { xmpp, roster } = model;
  await xmpp.send(subscription("subscribed", jid));
  roster.removeRequest(jid);
  const item = roster.get(jid);
  if (!item || ((item.subscription === "none" || item.subscription === "from") && !item.ask)) {
    await xmpp.send(subscription("subscribe", jid));
  }
};
