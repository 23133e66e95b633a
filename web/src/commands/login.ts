/**
 * Use case "log in" (seed: LoginCommand): connect and authenticate. The XMPP proxy reports the outcome
 * (VALID_LOGIN + ONLINE, INVALID_LOGIN, UNREACHABLE); the address (never the password) is remembered.
 */
import type { Command } from "../app/facade";
import { ADDRESS_KEY } from "./startup";

export const login: Command<"LOGIN"> = async (request, { model }) => {
  await model.xmpp.connect(request);
  if (model.xmpp.isOnline()) model.storage?.setItem(ADDRESS_KEY, model.xmpp.lastAddress.value);
};
