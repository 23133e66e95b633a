// An occupant's presence as a room relays it (XEP-0045 §7.2.3): a member participant, with the status
// codes asked for (110 = my own presence, which completes a join). Shared by the room unit tests.
import { type Element, xml } from "@xmpp/client";

export const MUC_USER = "http://jabber.org/protocol/muc#user";

export const occupantPresence = (room: string, nick: string, codes: number[] = []): Element =>
  xml(
    "presence",
    { from: `${room}/${nick}` },
    xml(
      "x",
      { xmlns: MUC_USER },
      xml("item", { affiliation: "member", role: "participant" }),
      ...codes.map((c) => xml("status", { code: String(c) })),
    ),
  );
