// Private messages with a room occupant (XEP-0045 §7.5) against the fake entity: a conversation of
// its own keyed by room@service/nick, never in the room's thread nor in a chat with the room's bare
// address; sent through the outbox (only once the room is joined) as a chat message with an empty
// <x xmlns=muc#user/>, as Conversations marks the ones it sends (ModerationManager.retract:
// `packet.addChild("x", Namespace.MUC_USER)`) and as Converse.js receives them
// (src/plugins/muc-views/tests/muc-private-messages.js: type="chat", <x xmlns=muc#user/>); kept on
// the device across a reload; my own copy from the archive lands there too.
import "fake-indexeddb/auto";
import { type Element, xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";
import { MUC_USER, occupantPresence } from "./room-presence";

const ROOM = "lobby@conference.example.org";
const BOB = `${ROOM}/bob`;

let app: TestApp;
let factory: IDBFactory;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const selfPresence = (nick: string, codes: number[] = []) => occupantPresence(ROOM, nick, codes);
/** A private message from bob as Converse.js receives one (and Prosody's MUC relays it). */
const fromBob = (body: string, id = `pm-${body}`) =>
  xml(
    "message",
    { from: BOB, to: "alice@example.org/r", type: "chat", id },
    xml("body", {}, body),
    xml("x", { xmlns: MUC_USER }),
  );

async function joined() {
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(selfPresence("bob"));
  await incoming(selfPresence("alice", [110]));
}

beforeEach(async () => {
  factory = new IDBFactory();
  app = testApp(undefined, [], indexedDbStore(factory));
  app.server.roomArchives.set(ROOM, []);
  await app.login();
});

describe("private messages with an occupant", () => {
  it("an incoming one lands in its own conversation, not in the room nor in a chat with the room", async () => {
    await joined();
    await incoming(fromBob("psst"));
    const { chats } = app.facade.model;
    expect(messagesWith(chats, BOB)).toMatchObject([{ peer: BOB, direction: "in", body: "psst" }]);
    expect(messagesWith(chats, ROOM)).toEqual([]);
    expect(chats.unread.value.get(BOB)).toBe(1);
    expect(chats.peers.value).toContain(BOB);
    await app.facade.send("OPEN_CHAT", { jid: BOB });
    expect(chats.active.value).toBe(BOB);
    expect(chats.unread.value.get(BOB)).toBeUndefined();
  });

  it("an unmarked chat message from an occupant of a room I am in is private too", async () => {
    await joined();
    await incoming(xml("message", { from: BOB, type: "chat", id: "u1" }, xml("body", {}, "no mark")));
    expect(messagesWith(app.facade.model.chats, BOB).map((m) => m.body)).toEqual(["no mark"]);
    expect(messagesWith(app.facade.model.chats, ROOM)).toEqual([]);
  });

  it("sends through the outbox once the room is joined, type chat to the occupant with <x xmlns=muc#user/>", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await app.facade.send("OPEN_CHAT", { jid: BOB });
    expect(app.facade.model.chats.active.value).toBe(BOB);
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "hello bob" });
    const messages = () => entity().sent.filter((s) => s.is("message") && s.getChild("body"));
    // Not an occupant yet: a private message would bounce (XEP-0045 §7.5), so it waits.
    expect(messages()).toEqual([]);
    await incoming(selfPresence("alice", [110]));
    const [out] = messages();
    expect(out?.attrs).toMatchObject({ to: BOB, type: "chat" });
    expect(out?.getChild("x", MUC_USER)?.children).toEqual([]);
    expect(out?.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id).toBe(out?.attrs.id);
    expect(messagesWith(app.facade.model.chats, BOB)).toMatchObject([{ direction: "out", body: "hello bob", state: "sent" }]);
    expect(messagesWith(app.facade.model.chats, ROOM)).toEqual([]);
  });

  it("my own copy from my archive (sent by another device) lands in the private conversation", async () => {
    await joined();
    app.server.archive = [
      {
        id: "a1",
        stamp: "2023-11-14T22:13:20Z",
        message: xml(
          "message",
          { from: "alice@example.org/phone", to: BOB, type: "chat", id: "o1" },
          xml("body", {}, "from my phone"),
          xml("x", { xmlns: MUC_USER }),
        ),
      },
    ];
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    expect(messagesWith(app.facade.model.chats, BOB)).toMatchObject([{ direction: "out", body: "from my phone" }]);
    expect(messagesWith(app.facade.model.chats, ROOM)).toEqual([]);
  });

  it("survives a reload: the conversation comes back from the device, named by nickname and room", async () => {
    await joined();
    await incoming(fromBob("before reload"));
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "answer" });
    await app.facade.idle();
    await app.facade.model.device.saved();
    const again = testApp(undefined, [], indexedDbStore(factory));
    await again.login();
    const { chats, rooms } = again.facade.model;
    expect(messagesWith(chats, BOB).map((m) => `${m.direction}:${m.body}`)).toEqual(["in:before reload", "out:answer"]);
    expect(messagesWith(chats, ROOM)).toEqual([]);
    expect(rooms.has(ROOM)).toBe(true);
    await again.facade.send("OPEN_CHAT", { jid: BOB });
    expect(chats.active.value).toBe(BOB);
  });

  it("chat states both ways: bob's composing shows as typing there; mine go to room/bob marked private", async () => {
    await joined();
    // A standalone chat state as Converse.js's sendChatState builds it (src/headless/shared/actions.js:
    // type chat, <composing/>, no-store and no-permanent-store), relayed by the room from room/bob.
    const state = (name: string) =>
      xml(
        "message",
        { from: BOB, to: "alice@example.org/r", type: "chat", id: `cs-${name}` },
        xml(name, { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("no-store", { xmlns: "urn:xmpp:hints" }),
        xml("no-permanent-store", { xmlns: "urn:xmpp:hints" }),
        xml("x", { xmlns: MUC_USER }),
      );
    await incoming(state("composing"));
    const { chats } = app.facade.model;
    expect(chats.typing.value.has(BOB)).toBe(true);
    expect(chats.typing.value.has(ROOM)).toBe(false);
    await incoming(state("paused"));
    expect(chats.typing.value.has(BOB)).toBe(false);
    expect(messagesWith(chats, BOB)).toEqual([]);
    entity().sent.length = 0;
    await app.facade.send("SEND_CHAT_STATE", { to: BOB, state: "composing" });
    const [out] = entity().sent.filter((s) => s.is("message"));
    expect(out?.attrs).toMatchObject({ to: BOB, type: "chat" });
    expect(out?.getChild("composing", "http://jabber.org/protocol/chatstates")).toBeDefined();
    expect(out?.getChild("x", MUC_USER)?.children).toEqual([]);
  });

  it("a displayed marker for bob's markable message goes to room/bob, marked private", async () => {
    await joined();
    await incoming(
      xml(
        "message",
        { from: BOB, to: "alice@example.org/r", type: "chat", id: "mk1" },
        xml("body", {}, "seen?"),
        xml("markable", { xmlns: "urn:xmpp:chat-markers:0" }),
        xml("x", { xmlns: MUC_USER }),
      ),
    );
    entity().sent.length = 0;
    await app.facade.send("MARK_DISPLAYED", { jid: BOB, id: "mk1" });
    const [marker] = entity().sent.filter((s) => s.getChild("displayed", "urn:xmpp:chat-markers:0"));
    expect(marker?.attrs).toMatchObject({ to: BOB, type: "chat" });
    expect(marker?.getChild("displayed")?.attrs.id).toBe("mk1");
    expect(marker?.getChild("x", MUC_USER)?.children).toEqual([]);
  });
});
