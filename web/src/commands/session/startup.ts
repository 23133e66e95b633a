/**
 * Use case "start the app" (seed: StartupCommand): restore the last address used to log in; with a
 * saved session, show that account's device history at once and resume in the background.
 */
import type { Command } from "../../app/facade";
import { loadHistory } from "./load-history";

export const ADDRESS_KEY = "porthole.address";

export const startup: Command<"STARTUP"> = async (_body, { model }) => {
  const address = model.storage?.getItem(ADDRESS_KEY);
  if (!address) return;
  model.xmpp.lastAddress.value = address;
  const session = await loadHistory(model, address);
  // A reload (accepting an update, say) comes back to the chat that was open, with its draft.
  const open = model.drafts.openChatBeforeReload();
  if (session && open && model.chats.active.value === null) model.chats.open(open);
  if (session && model.xmpp.state.value === "offline") void model.xmpp.resume(session);
};
