// Corrections (XEP-0308), retractions (XEP-0424), reactions (XEP-0444) and replies (XEP-0461) in a room,
// both ways, against the fake entity. Others' stanzas as Converse.js builds them for a room
// (src/headless/plugins/muc/muc.js: groupchat, a correction's <replace id> = the original's origin id,
// a retraction's id = the message's `stanza_id <room>`) and as Conversations does
// (ModerationManager.retract: groupchat, the server's message id); the author is the occupant (nick):
// only bob may correct or retract bob's message, and reactions count per occupant.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";
import { occupantPresence } from "./room-presence";

const ROOM = "lobby@conference.example.org";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const presence = (nick: string, codes: number[] = []) => occupantPresence(ROOM, nick, codes);
/** A groupchat message from `nick` as the room relays it: its origin-id, the room's stanza-id. */
const from = (nick: string, id: string, sid: string, ...children: Element[]) =>
  xml(
    "message",
    { from: `${ROOM}/${nick}`, type: "groupchat", id },
    ...children,
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
    xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: sid, by: ROOM }),
  );
const thread = () => messagesWith(app.facade.model.chats, ROOM);
const lastSent = () =>
  entity()
    .sent.filter((s) => s.is("message"))
    .at(-1);

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(presence("bob"));
  await incoming(presence("eve"));
  await incoming(presence("alice", [110]));
  await incoming(from("bob", "b1", "s-b1", xml("body", {}, "helo")));
});

describe("others' amendments in a room", () => {
  it("bob corrects his message; eve's correction of it is dropped, never shown", async () => {
    await incoming(
      from("bob", "b2", "s-b2", xml("body", {}, "hello"), xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "b1" })),
    );
    expect(thread()).toMatchObject([{ body: "hello", edit: { id: "b2" }, nick: "bob" }]);
    await incoming(
      from(
        "eve",
        "e1",
        "s-e1",
        xml("body", {}, "bob is wrong"),
        xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "b1" }),
      ),
    );
    expect(thread().map((m) => m.body)).toEqual(["hello"]);
  });

  it("bob retracts his message by the room's id; eve cannot retract it", async () => {
    const retract = (nick: string, id: string) =>
      from(
        nick,
        id,
        `s-${id}`,
        xml("retract", { xmlns: "urn:xmpp:message-retract:1", id: "s-b1" }),
        xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:message-retract:1" }),
        xml("body", {}, "/me retracted a message"),
        xml("store", { xmlns: "urn:xmpp:hints" }),
      );
    await incoming(retract("eve", "e2"));
    expect(thread()).toMatchObject([{ body: "helo" }]);
    expect(thread()[0]?.retracted).toBeUndefined();
    await incoming(retract("bob", "b3"));
    expect(thread()).toHaveLength(1);
    expect(thread()[0]?.retracted).toBeDefined();
    expect(thread()[0]?.body).toBe("");
  });

  it("reactions count per occupant, by the room's id; a reply quotes and names the message", async () => {
    const react = (nick: string, id: string, emoji: string) =>
      from(nick, id, `s-${id}`, xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "s-b1" }, xml("reaction", {}, emoji)));
    await incoming(react("bob", "r1", "👍"));
    await incoming(react("eve", "r2", "👍"));
    expect(Object.keys(thread()[0]?.reactions ?? {}).sort()).toEqual([`${ROOM}/bob`, `${ROOM}/eve`]);
    await incoming(
      from(
        "eve",
        "e3",
        "s-e3",
        xml("body", {}, "> helo\nindeed"),
        xml("reply", { xmlns: "urn:xmpp:reply:0", to: `${ROOM}/bob`, id: "s-b1" }),
        xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" }, xml("body", { start: "0", end: "7" })),
      ),
    );
    expect(thread().at(-1)).toMatchObject({ body: "indeed", replyTo: { id: "s-b1", to: `${ROOM}/bob` }, nick: "eve" });
  });
});

describe("my amendments in a room", () => {
  it("correct, retract and react go to the room as groupchat, naming the origin id or the room's id", async () => {
    await app.facade.send("SEND_MESSAGE", { to: ROOM, body: "hi al" });
    const sent = lastSent();
    const id = sent?.attrs.id as string;
    // The room reflects it with its archive id.
    await incoming(from("alice", id, "s-a1", xml("body", {}, "hi al")));
    await app.facade.send("CORRECT_MESSAGE", { to: ROOM, id, body: "hi all" });
    const correction = lastSent();
    expect(correction?.attrs).toMatchObject({ type: "groupchat", to: ROOM });
    expect(correction?.getChild("replace", "urn:xmpp:message-correct:0")?.attrs.id).toBe(id);
    // The room reflects the correction: applied once, no new row.
    await incoming(
      from(
        "alice",
        correction?.attrs.id as string,
        "s-a2",
        xml("body", {}, "hi all"),
        xml("replace", { xmlns: "urn:xmpp:message-correct:0", id }),
      ),
    );
    expect(thread().map((m) => m.body)).toEqual(["helo", "hi all"]);

    await app.facade.send("REACT_MESSAGE", { to: ROOM, id: "s-b1", emoji: "🎉" });
    const reaction = lastSent();
    expect(reaction?.attrs).toMatchObject({ type: "groupchat", to: ROOM });
    expect(reaction?.getChild("reactions", "urn:xmpp:reactions:0")?.attrs.id).toBe("s-b1");

    await app.facade.send("SEND_MESSAGE", { to: ROOM, body: "welcome", replyTo: "s-b1" });
    const reply = lastSent()?.getChild("reply", "urn:xmpp:reply:0");
    expect(reply?.attrs).toMatchObject({ id: "s-b1", to: `${ROOM}/bob` });

    await app.facade.send("RETRACT_MESSAGE", { to: ROOM, id });
    const retraction = lastSent();
    expect(retraction?.attrs).toMatchObject({ type: "groupchat", to: ROOM });
    expect(retraction?.getChild("retract", "urn:xmpp:message-retract:1")?.attrs.id).toBe("s-a1");
    expect(thread().find((m) => m.id === id)?.retracted).toBeDefined();
  });
});
