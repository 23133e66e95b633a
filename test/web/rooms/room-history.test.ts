// A room's history from the room's own archive (XEP-0313 on the room JID), against the fake entity
// (which answers as Prosody 0.12 does: whole-second stamps, RSM first/last):
// - scrolling up pages back through the ROOM's archive (RSM before = the oldest stanza-id the room
//   gave), never the account's archive, until its start;
// - messages of one second keep the archive's order, after a catch-up and while paging back, even
//   when the device holds a live copy with a finer time of the same second, whether or not that
//   copy is where the catch-up starts.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";
import { occupantPresence } from "./room-presence";

const ROOM = "lobby@conference.example.org";
/** The fake clock's second (testApp now = 1_700_000_000_000). */
const SECOND = "2023-11-14T22:13:20Z";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const presence = (nick: string, codes: number[] = []) => occupantPresence(ROOM, nick, codes);
const said = (body: string) => xml("message", { from: `${ROOM}/bob`, type: "groupchat", id: `m-${body}` }, xml("body", {}, body));
const bodies = () => messagesWith(app.facade.model.chats, ROOM).map((m) => m.body);

async function join() {
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(presence("bob"));
  await incoming(presence("alice", [110]));
}

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
});

describe("older room history", () => {
  it("pages back through the room's own archive before its oldest room id, in archive order within a second", async () => {
    // 120 messages, all stamped in the same second: only the archive's order tells them apart.
    app.server.roomArchives.set(
      ROOM,
      Array.from({ length: 120 }, (_, i) => ({ id: `r${i + 1}`, stamp: SECOND, message: said(`m${i + 1}`) })),
    );
    await join();
    // A new device's first catch-up: the newest page.
    expect(bodies()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 71}`));
    entity().requests.length = 0;
    await app.facade.send("LOAD_OLDER", { jid: ROOM });
    const [query] = entity().requests;
    expect(query?.attrs.to).toBe(ROOM);
    const fields = query?.getChild("query", "urn:xmpp:mam:2")?.getChild("x")?.getChildren("field") ?? [];
    expect(fields.map((f) => f.attrs.var)).toEqual(["FORM_TYPE"]);
    expect(query?.getChild("query")?.getChild("set")?.getChildText("before")).toBe("r71");
    expect(bodies()).toEqual(Array.from({ length: 100 }, (_, i) => `m${i + 21}`));
    await app.facade.send("LOAD_OLDER", { jid: ROOM });
    expect(entity().requests.at(-1)?.getChild("query")?.getChild("set")?.getChildText("before")).toBe("r21");
    expect(bodies()).toEqual(Array.from({ length: 120 }, (_, i) => `m${i + 1}`));
    expect(app.facade.model.archive.state(ROOM)).toBe("complete");
    // None of it is unread news.
    expect(app.facade.model.chats.unread.value.get(ROOM)).toBeUndefined();
  });

  it("takes the place to page from only from the room: an id from anywhere else is not used", async () => {
    await join();
    // A groupchat message whose stanza-id claims to be stamped by someone else has no room archive id.
    await incoming(
      xml(
        "message",
        { from: `${ROOM}/bob`, type: "groupchat", id: "x" },
        xml("body", {}, "forged id"),
        xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: "evil", by: "alice@example.org" }),
      ),
    );
    entity().requests.length = 0;
    await app.facade.send("LOAD_OLDER", { jid: ROOM });
    const before = entity().requests[0]?.getChild("query")?.getChild("set")?.getChild("before");
    expect(before?.text()).toBe("");
    expect(entity().requests[0]?.attrs.to).toBe(ROOM);
  });
});

describe("same-second archive order", () => {
  it("a catch-up keeps what the archive has after my newest message after it, though stamped earlier in its second", async () => {
    await join();
    // Seen live, with a time finer than the archive's (700 ms into the second).
    await incoming(
      xml(
        "message",
        { from: `${ROOM}/bob`, type: "groupchat", id: "m-one" },
        xml("body", {}, "one"),
        xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2023-11-14T22:13:20.700Z" }),
        xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: "a1", by: ROOM }),
      ),
    );
    app.server.roomArchives.set(ROOM, [
      { id: "a1", stamp: SECOND, message: said("one") },
      { id: "a2", stamp: SECOND, message: said("two") },
      { id: "a3", stamp: SECOND, message: said("three") },
      { id: "a4", stamp: "2023-11-14T22:13:21Z", message: said("four") },
    ]);
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    await incoming(presence("alice", [110]));
    expect(entity().requests.at(-1)?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("a1");
    expect(bodies()).toEqual(["one", "two", "three", "four"]);
  });

  it("a catch-up from an older anchor keeps what the archive has after a copy here after that copy", async () => {
    await join();
    app.server.roomArchives.set(ROOM, [{ id: "a0", stamp: "2023-11-14T22:13:10Z", message: said("zero") }]);
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    await incoming(presence("alice", [110]));
    // Seen live 700 ms into its second, without the room's archive id: the catch-up's anchor stays "zero".
    const one = (extra: Element[] = []) =>
      xml(
        "message",
        { from: `${ROOM}/bob`, type: "groupchat", id: "m-one" },
        xml("body", {}, "one"),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: "o-one" }),
        ...extra,
      );
    await incoming(one([xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2023-11-14T22:13:20.700Z" })]));
    app.server.roomArchives.set(ROOM, [
      { id: "a0", stamp: "2023-11-14T22:13:10Z", message: said("zero") },
      { id: "a1", stamp: SECOND, message: one() },
      { id: "a2", stamp: SECOND, message: said("two") },
      { id: "a3", stamp: SECOND, message: said("three") },
    ]);
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    await incoming(presence("alice", [110]));
    expect(entity().requests.at(-1)?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("a0");
    expect(bodies()).toEqual(["zero", "one", "two", "three"]);
  });

  it("a live message stamped earlier in the same second (a resumed stream's redelivery) stays after what the room sent before", async () => {
    await join();
    const live = (body: string, stamp: string) =>
      xml(
        "message",
        { from: `${ROOM}/bob`, type: "groupchat", id: `m-${body}` },
        xml("body", {}, body),
        xml("delay", { xmlns: "urn:xmpp:delay", stamp }),
      );
    await incoming(live("one", "2023-11-14T22:13:20.700Z"));
    await incoming(live("two", SECOND));
    await incoming(live("three", SECOND));
    expect(bodies()).toEqual(["one", "two", "three"]);
  });
});
