/**
 * A roster push from my server (RFC 6121 §2.1.6): add, update or remove the contact, on the device too
 * (with the name of a removed contact, which its conversation keeps showing).
 */
import type { Command } from "../../app/facade";

export const receiveRosterPush: Command<"RECEIVE_ROSTER_PUSH"> = (items, { model }) => {
  for (const item of items) model.roster.apply(item);
  const all = model.roster.items();
  const former = [...model.roster.formerNames.value];
  model.device.write(async (s, a) => {
    await s.putMeta(a, "roster", all);
    await s.putMeta(a, "formerNames", former);
  });
};
