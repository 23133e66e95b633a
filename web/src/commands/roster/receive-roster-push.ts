/** A roster push from my server (RFC 6121 §2.1.6): add, update or remove the contact, on the device too. */
import type { Command } from "../../app/facade";

export const receiveRosterPush: Command<"RECEIVE_ROSTER_PUSH"> = (items, { model }) => {
  for (const item of items) model.roster.apply(item);
  const all = model.roster.items();
  model.device.write((s, a) => s.putMeta(a, "roster", all));
};
