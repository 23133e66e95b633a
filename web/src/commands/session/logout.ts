/**
 * Use case "log out" (seed: LogoutCommand): end the session, forget the saved session keys and what is
 * held in memory; the device history stays unless the user asked to clear it. Writes for the account
 * stop first, so nothing arriving while the stream closes lands after the clearing.
 */
import type { Command } from "../../app/facade";
import { disablePushOnLogout } from "../../push/push-logout";

export const logout: Command<"LOGOUT"> = async ({ clearHistory }, { model }) => {
  const { device } = model;
  // This browser stops getting pushes for the account (XEP-0357 <disable/>, the worker forgets the node).
  if (model.xmpp.isOnline()) await disablePushOnLogout((iq) => model.xmpp.request(iq));
  else await disablePushOnLogout(null);
  const account = device.account;
  device.write((s, a) => (clearHistory ? s.clear(a) : s.deleteMeta(a, "session")));
  if (clearHistory && account) await model.files.store.clear(account).catch(() => {});
  device.useAccount(null);
  model.xmpp.forgetSavedSession();
  await model.xmpp.disconnect();
  await device.saved();
  model.roster.clear();
  model.chats.clear();
  model.archive.clear();
  model.avatars.clear();
  model.blocklist.clear();
  if (clearHistory && account) await (await model.avatars.cache()).clear(account);
  model.rooms.clear();
  model.invitations.clear();
  model.drafts.signOut(clearHistory);
  model.outbox.hold();
  model.files.reset();
  model.xmpp.setMyPresence("available", "");
};
