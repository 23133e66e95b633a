// What the group chat end-to-end tests share: a Node peer joining a room as Converse.js joins
// (MUC.constructPresence in src/headless/plugins/muc/muc.js: <x xmlns=muc><history maxstanzas=0/>,
// the room's archive giving the history instead).
import { randomUUID } from "node:crypto";
import { type Element, xml } from "@xmpp/client";
import type { Peer } from "./chat-support";

/**
 * `peer` joins `room` as `nick`; resolves with the room's answer under that nickname (XEP-0045 §7.2.2:
 * my own presence back, or the error that refuses the join).
 */
export async function peerJoinsRoom(peer: Peer, room: string, nick: string): Promise<Element> {
  const mark = peer.received.length;
  await peer.xmpp.send(
    xml(
      "presence",
      { to: `${room}/${nick}`, id: randomUUID() },
      xml("x", { xmlns: "http://jabber.org/protocol/muc" }, xml("history", { maxstanzas: "0" })),
    ),
  );
  return peer.waitFor(
    `${nick} in ${room}`,
    (el) => peer.received.indexOf(el) >= mark && el.is("presence") && el.attrs.from === `${room}/${nick}`,
  );
}
