/** Use case "deny a subscription request" (RFC 6121 §3.2): refuse to share my presence. */
import type { Command } from "../../app/facade";
import { subscription } from "../../model/stanzas/stanzas";

export const denySubscription: Command<"DENY_SUBSCRIPTION"> = async ({ jid }, { model, facade }) => {
  await model.xmpp.send(subscription("unsubscribed", jid));
  model.roster.removeRequest(jid);
  await facade.send("CONTACT_DONE", { command: "DENY_SUBSCRIPTION", message: `Denied ${jid}: they do not see your presence.` });
};
