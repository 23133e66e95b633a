/** Use case "start the app" (seed: StartupCommand): restore the last address used to log in. */
import type { Command } from "../app/facade";

export const ADDRESS_KEY = "porthole.address";

export const startup: Command<"STARTUP"> = (_body, { model }) => {
  const address = model.storage?.getItem(ADDRESS_KEY);
  if (address) model.xmpp.lastAddress.value = address;
};
