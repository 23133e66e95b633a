// XEP-0421 occupant ids as the author of room messages, against the fake entity: in a room whose
// disco#info offers urn:xmpp:occupant-id:0, someone who takes a departed occupant's nickname cannot
// correct or retract that occupant's messages (their occupant id differs); the real author still can,
// also for a message kept before the room's offer was known (by nickname). In a room that does not
// offer them, an <occupant-id/> a client put in its message is ignored (nickname as before).
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";
import { occupantPresence } from "./room-presence";

const ROOM = "lobby@conference.example.org";
const NS_OID = "urn:xmpp:occupant-id:0";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const presence = (nick: string, codes: number[] = []) => occupantPresence(ROOM, nick, codes);
const said = (nick: string, id: string, occupantId: string, ...children: Element[]) =>
  xml(
    "message",
    { from: `${ROOM}/${nick}`, type: "groupchat", id },
    ...children,
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
    xml("occupant-id", { xmlns: NS_OID, id: occupantId }),
    xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: `s-${id}`, by: ROOM }),
  );
const correction = (nick: string, id: string, occupantId: string, of: string, body: string) =>
  said(nick, id, occupantId, xml("body", {}, body), xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: of }));
const bodies = () => messagesWith(app.facade.model.chats, ROOM).map((m) => m.body);

async function join(offers: boolean) {
  app.server.iqHandler = (iq) =>
    iq.attrs.to === ROOM && iq.getChild("query", "http://jabber.org/protocol/disco#info")
      ? xml(
          "iq",
          { type: "result", from: ROOM },
          xml(
            "query",
            { xmlns: "http://jabber.org/protocol/disco#info" },
            xml("feature", { var: "http://jabber.org/protocol/muc" }),
            offers ? xml("feature", { var: NS_OID }) : null,
          ),
        )
      : undefined;
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(presence("bob"));
  await incoming(presence("alice", [110]));
}

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
});

describe("occupant ids (XEP-0421)", () => {
  it("in a room that offers them, a new holder of a nickname cannot correct the earlier one's message", async () => {
    await join(true);
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.occupantIds).toBe(true));
    await incoming(said("bob", "b1", "occ-bob", xml("body", {}, "mine")));
    // bob left; eve joined as "bob".
    await incoming(correction("bob", "e1", "occ-eve", "b1", "forged"));
    expect(bodies()).toEqual(["mine"]);
    await incoming(correction("bob", "b2", "occ-bob", "b1", "mine, fixed"));
    expect(bodies()).toEqual(["mine, fixed"]);
    // A reaction counts by occupant id, and keeps the nickname it came under for people.
    await incoming(
      said("bob", "r1", "occ-bob", xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "s-b1" }, xml("reaction", {}, "👍"))),
    );
    expect(messagesWith(app.facade.model.chats, ROOM)[0]?.reactions).toMatchObject({
      [`${ROOM}#occ-bob`]: { emojis: ["👍"], name: "bob" },
    });
  });

  it("the author corrects a message kept before the offer was known (matched by nickname)", async () => {
    await join(true);
    // Arrived before the room's disco#info answer: no occupant id kept with it.
    app.facade.model.chats.add({
      id: "s-b0",
      peer: ROOM,
      direction: "in",
      body: "early",
      at: 1,
      state: "delivered",
      room: true,
      nick: "bob",
      stanzaId: "s-b0",
      originId: "b0",
    });
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.occupantIds).toBe(true));
    await incoming(correction("bob", "b3", "occ-bob", "b0", "early, fixed"));
    expect(bodies()).toEqual(["early, fixed"]);
  });

  it("in a room that does not offer them, an occupant id in a message is not trusted", async () => {
    await join(false);
    await incoming(said("bob", "b1", "occ-bob", xml("body", {}, "mine")));
    await incoming(correction("bob", "b2", "made-up", "b1", "fixed by bob"));
    expect(bodies()).toEqual(["fixed by bob"]);
    expect(app.facade.model.rooms.get(ROOM)?.occupantIds).toBeUndefined();
    expect(messagesWith(app.facade.model.chats, ROOM)[0]?.occupantId).toBeUndefined();
  });
});
