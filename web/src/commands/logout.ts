/** Use case "log out" (seed: LogoutCommand): end the session and forget everything held in memory. */
import type { Command } from "../app/facade";

export const logout: Command<"LOGOUT"> = async (_body, { model }) => {
  await model.xmpp.disconnect();
  model.roster.clear();
  model.chats.clear();
  model.xmpp.presence.value = { show: "available", status: "" };
};
