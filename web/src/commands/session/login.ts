/**
 * Use case "log in" (seed: LoginCommand): show the account's device history, connect and authenticate.
 * The XMPP proxy reports the outcome (VALID_LOGIN + ONLINE, INVALID_LOGIN, UNREACHABLE). The address
 * and, for SCRAM logins, the session keys are remembered; never the password.
 */
import type { Command } from "../../app/facade";
import { isBareJid } from "../../model/stanzas/jid";
import { loadHistory } from "./load-history";
import { ADDRESS_KEY } from "./startup";

export const login: Command<"LOGIN"> = async (request, { model }) => {
  const { xmpp, device } = model;
  const account = request.address.trim().toLowerCase();
  if (isBareJid(account) && request.password) await loadHistory(model, account);
  await xmpp.connect({ ...request, address: account });
  if (!xmpp.isOnline()) {
    device.useAccount(null);
    model.chats.clear();
    model.roster.clear();
    return;
  }
  model.storage?.setItem(ADDRESS_KEY, xmpp.lastAddress.value);
  const saved = xmpp.saved;
  if (saved) device.write((s, a) => s.putMeta(a, "session", saved));
};
