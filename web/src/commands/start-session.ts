/**
 * Runs each time a session comes online (login and every reconnection): fetch the roster (RFC 6121
 * §2.2), send my presence (§4.2), then send the messages queued while offline.
 */
import type { Command } from "../app/facade";
import { availability, chatMessage, parseRoster, rosterGet } from "../model/stanzas";

export const startSession: Command<"ONLINE"> = async ({ reconnected }, { model }) => {
  const { xmpp, roster, chats } = model;
  if (reconnected) roster.clearPresence();
  roster.setAll(parseRoster(await xmpp.request(rosterGet())));
  const me = xmpp.presence.value;
  await xmpp.send(availability(me.show, me.status));
  for (const msg of chats.queued()) {
    chats.setState(msg.id, "sending");
    try {
      await xmpp.send(chatMessage(msg.peer, msg.body, msg.id));
      chats.setState(msg.id, "sent");
    } catch {
      chats.setState(msg.id, "queued");
    }
  }
};
