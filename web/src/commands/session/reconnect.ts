/** Use case "reconnect now": skip the reconnection back-off (network back, or the user asked). */
import type { Command } from "../../app/facade";

export const reconnect: Command<"RECONNECT"> = (_body, { model }) => {
  model.xmpp.reconnectNow();
};
