/** Use case "set my presence" (RFC 6121 §4.2): available, away or do-not-disturb, with a status text. */
import type { Command } from "../../app/facade";
import { MAX_STATUS } from "../../app/limits";
import type { MyShow } from "../../app/notifications";
import { availability } from "../../model/stanzas/stanzas";

const SHOWS: readonly MyShow[] = ["available", "away", "dnd"];

export const setPresence: Command<"SET_PRESENCE"> = async ({ show, status }, { model }) => {
  if (!SHOWS.includes(show)) throw new Error(`Unknown presence: ${show}`);
  const text = status.trim().slice(0, MAX_STATUS);
  model.xmpp.setMyPresence(show, text);
  if (model.xmpp.isOnline()) await model.xmpp.send(availability(show, text));
};
