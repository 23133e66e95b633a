/**
 * Runs each time a session comes online (login, resume and every reconnection): fetch the roster
 * (RFC 6121 §2.2) and keep it on the device, tell the client state (XEP-0352) and read the blocklist
 * (XEP-0191), send my presence (§4.2; the entity adds my XEP-0115 capabilities), enable carbons (XEP-0280), catch
 * up from the archive (XEP-0313), then send the outbox in order. A resumed stream (XEP-0198) keeps its
 * presences on the server, which sends none again: known ones stay, and contacts are probed (§4.3),
 * as after a reload this page knows none. Rooms are joined again (join-rooms.ts), and self-pinged on a
 * timer from then on (XEP-0410).
 */
import type { Command } from "../../app/facade";
import { contactCommands } from "../../app/lazy-command";
import { availability, parseRoster, presenceProbe, rosterGet } from "../../model/stanzas/stanzas";
import { enableCarbons } from "../../model/stanzas/stanzas-sync";
import { roomChunk } from "../rooms/room-chunk";
import { catchUp } from "./catch-up";
import { tellClientState } from "./set-client-state";

export const startSession: Command<"ONLINE"> = async ({ reconnected, resumed }, { model, facade }) => {
  const { xmpp, roster, device, outbox } = model;
  outbox.hold();
  if (reconnected && !resumed) roster.clearPresence();
  roster.setAll(parseRoster(await xmpp.request(rosterGet())));
  const items = roster.items();
  const former = [...roster.formerNames.value];
  device.write(async (s, a) => {
    await s.putMeta(a, "roster", items);
    await s.putMeta(a, "formerNames", former);
  });
  const me = xmpp.presence.value;
  model.clientState.newStream();
  await tellClientState(model);
  await (await contactCommands()).loadBlocklist(model);
  await xmpp.send(availability(me.show, me.status));
  if (resumed)
    for (const item of items)
      if (item.subscription === "to" || item.subscription === "both") await xmpp.send(presenceProbe(item.jid));
  await (await roomChunk()).joinRooms(model, facade, !!resumed);
  await xmpp.request(enableCarbons()).catch(() => {});
  await catchUp(model).catch((err) => console.warn("archive catch-up failed:", err));
  if (!xmpp.isOnline()) return;
  outbox.release();
  await facade.send("FLUSH_OUTBOX");
};
