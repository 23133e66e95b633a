/**
 * Client state indication (XEP-0352): tell my server when nobody looks at the page (it may then hold
 * unimportant stanzas such as presence) and when someone does again; only if it advertised CSI.
 */
import type { Command } from "../../app/facade";
import type { Model } from "../../model/index";
import { clientState, NS_CSI } from "../../model/stanzas/csi";

export async function tellClientState(model: Model): Promise<void> {
  const { xmpp } = model;
  if (!xmpp.isOnline() || !xmpp.streamFeatures().has(NS_CSI)) return;
  if (model.clientState.needsTelling()) await xmpp.send(clientState(model.clientState.active));
}

export const setClientState: Command<"SET_CLIENT_STATE"> = async ({ active }, { model }) => {
  model.clientState.active = active;
  await tellClientState(model);
};
