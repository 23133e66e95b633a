// Joining a room this device holds nothing of (web/src/commands/rooms/room-session.ts sendJoin): the
// room's newest archive page (XEP-0313 on the room JID) is asked for before the join presence, so it
// arrives before the occupant list (a service answers in order: in a room of a thousand that list is a
// thousand presences); the catch-up that completes the join reads only what came after it. A room the
// device already holds messages of is caught up after the join only, as before. The join presence waits
// for that page (at most JOIN_WAIT_MS), so the page is shown before the occupant list's presences are
// handled; an empty room log asks for no "older" page while that read is on its way (it is the same page),
// and an older page asked for while it is still arriving waits for it.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { JOIN_WAIT_MS } from "../../../web/src/commands/rooms/room-session";
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

  it("the join presence goes out once the page read ahead is in, not while it is on its way", async () => {
    const { held, release } = holdFirstRoomAnswer();
    const joined = app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await held;
    await new Promise((r) => setTimeout(r, 50));
    expect(joinPresences()).toBe(0);
    release();
    await joined;
    expect(joinPresences()).toBe(1);
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => m.body)).toEqual(["one", "two"]);
  });

  it("a page that does not come holds the join back at most JOIN_WAIT_MS", async () => {
    const { held } = holdFirstRoomAnswer();
    const t0 = Date.now();
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await held;
    expect(joinPresences()).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(JOIN_WAIT_MS - 20);
    expect(Date.now() - t0).toBeLessThan(JOIN_WAIT_MS + 1000);
  });

  it("the room's empty log asks for no older page while the join reads the newest one", async () => {
    const { held, release } = holdFirstRoomAnswer("nothing yet");
    const joined = app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await held;
    await app.facade.send("LOAD_OLDER", { jid: ROOM });
    expect(roomQueries()).toHaveLength(0);
    expect(app.facade.model.archive.state(ROOM)).toBe("more");
    release();
    await joined;
    expect(roomQueries()).toHaveLength(1);
    await incoming(self());
    // Joined and caught up: paging back asks for the page before the oldest message.
    entity().requests.length = 0;
    await app.facade.send("LOAD_OLDER", { jid: ROOM });
    expect(roomQueries()).toHaveLength(1);
    expect(roomQueries()[0]?.getChild("query")?.getChild("set")?.getChildText("before")).toBe("a1");
  });

  it("an older page asked for while the room is being joined goes out after the join presence", async () => {
    const { held, release } = holdFirstRoomAnswer();
    const joined = app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await held;
    // The page's messages are shown: the log, not filled, asks for the page before them.
    const older = app.facade.send("LOAD_OLDER", { jid: ROOM });
    await new Promise((r) => setTimeout(r, 20));
    expect(roomQueries()).toHaveLength(1);
    release();
    await joined;
    expect(joinPresences()).toBe(1);
    expect(roomQueries()).toHaveLength(1);
    await incoming(self());
    await older;
    const before = roomQueries().map((r) => r.getChild("query")?.getChild("set")?.getChildText("before"));
    expect(before).toContain("a1");
  });

  it("an older page asked for once joined, while the newest page read ahead is still arriving, waits for that read", async () => {
    // The join went out without that page (JOIN_WAIT_MS): the rest of it, arriving during an older
    // read, would be taken for older history (chats-proxy.ts pageBack) and shown before its start.
    const { held, release } = holdFirstRoomAnswer();
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await held;
    expect(joinPresences()).toBe(1);
    const selfIn = incoming(self());
    await new Promise((r) => setTimeout(r, 20));
    expect(app.facade.model.rooms.get(ROOM)?.state).toBe("joined");
    const older = app.facade.send("LOAD_OLDER", { jid: ROOM });
    await new Promise((r) => setTimeout(r, 50));
    expect(roomQueries()).toHaveLength(1);
    release();
    await Promise.all([selfIn, older]);
    const before = roomQueries().map((r) => r.getChild("query")?.getChild("set")?.getChildText("before"));
    expect(before).toContain("a1");
  });
});

/**
 * Holds the answer to the first query to the room until released: its messages are in, its iq result
 * is not; or, "nothing yet", neither (the query has not reached the server).
 */
function holdFirstRoomAnswer(what: "result" | "nothing yet" = "result"): { held: Promise<void>; release: () => void } {
  const xmpp = app.facade.model.xmpp;
  const request = xmpp.request.bind(xmpp);
  let release: () => void = () => {};
  let reached: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const held = new Promise<void>((r) => {
    reached = r;
  });
  let first = true;
  xmpp.request = async (el: Element) => {
    const hold = first && el.attrs.to === ROOM;
    if (hold) first = false;
    if (hold && what === "nothing yet") {
      reached();
      await gate;
    }
    const answer = await request(el);
    if (hold && what === "result") {
      reached();
      await gate;
    }
    return answer;
  };
  return { held, release };
}

const joinPresences = () => entity().sent.filter((el) => el.is("presence") && el.attrs.to === `${ROOM}/alice`).length;
