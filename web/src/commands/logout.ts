/**
 * Use case "log out" (seed: LogoutCommand): end the session, forget the saved session keys and what is
 * held in memory; the device history stays unless the user asked to clear it.
 */
import type { Command } from "../app/facade";

export const logout: Command<"LOGOUT"> = async ({ clearHistory }, { model }) => {
  const { device } = model;
  await model.xmpp.disconnect();
  model.xmpp.saved = null;
  device.write((s, a) => (clearHistory ? s.clear(a) : s.deleteMeta(a, "session")));
  await device.saved();
  device.account = null;
  model.roster.clear();
  model.chats.clear();
  model.chats.synced = false;
  model.xmpp.presence.value = { show: "available", status: "" };
};
