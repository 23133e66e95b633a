// Joining a room this device holds nothing of (web/src/commands/rooms/room-session.ts sendJoin): the
// room's newest archive page (XEP-0313 on the room JID) is asked for before the join presence, so it
// arrives before the occupant list (a service answers in order: in a room of a thousand that list is a
// thousand presences); the catch-up that completes the join reads only what came after it. A room the
// device already holds messages of is caught up after the join only, as before.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const ROOM = "big@conference.example.org";
const MUC_USER = "http://jabber.org/protocol/muc#user";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const self = () =>
  xml(
    "presence",
    { from: `${ROOM}/alice`, to: "alice@example.org/r" },
    xml("x", { xmlns: MUC_USER }, xml("item", { affiliation: "none", role: "participant" }), xml("status", { code: "110" })),
  );
const said = (id: string, body: string) => ({
  id,
  stamp: "2023-11-14T22:13:20Z",
  message: xml("message", { from: `${ROOM}/bob`, type: "groupchat", id: `m-${id}` }, xml("body", {}, body)),
});
const roomQueries = () => entity().requests.filter((r) => r.attrs.to === ROOM && r.getChild("query", "urn:xmpp:mam:2"));

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, [said("a1", "one"), said("a2", "two")]);
  await app.login();
  entity().requests.length = 0;
});

describe("a first join reads the room's newest archive page before the occupant list", () => {
  it("asks for the newest page before the join presence goes out; the join's catch-up reads after it", async () => {
    let queriesBeforePresence = -1;
    const send = entity().send.bind(entity());
    entity().send = async (el: Element) => {
      if (el.is("presence") && el.attrs.to === `${ROOM}/alice`) queriesBeforePresence = roomQueries().length;
      return send(el);
    };
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    expect(queriesBeforePresence).toBe(1);
    expect(roomQueries()[0]?.getChild("query")?.getChild("set")?.getChild("before")).toBeTruthy();
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => m.body)).toEqual(["one", "two"]);
    await incoming(self());
    expect(roomQueries()).toHaveLength(2);
    expect(roomQueries()[1]?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("a2");
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => m.body)).toEqual(["one", "two"]);
  });

  it("the join's catch-up waits for the page read ahead: it never reads after a message from the middle of that page", async () => {
    const xmpp = app.facade.model.xmpp;
    const request = xmpp.request.bind(xmpp);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let first = true;
    xmpp.request = async (el: Element) => {
      const answer = await request(el);
      // The page's messages are in; its end (the iq result) is still on its way.
      if (first && el.attrs.to === ROOM) {
        first = false;
        await held;
      }
      return answer;
    };
    const joined = app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await new Promise((r) => setTimeout(r, 0));
    entity().receive(self());
    await new Promise((r) => setTimeout(r, 20));
    expect(roomQueries()).toHaveLength(1);
    release();
    await joined;
    await app.facade.idle();
    expect(roomQueries()).toHaveLength(2);
    expect(roomQueries()[1]?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("a2");
  });

  it("a room the device holds messages of is caught up after the join only", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(self());
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    entity().requests.length = 0;
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    expect(roomQueries()).toEqual([]);
    await incoming(self());
    expect(roomQueries().map((r) => r.getChild("query")?.getChild("set")?.getChildText("after"))).toEqual(["a2"]);
  });
});
