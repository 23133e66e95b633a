// Corrections (XEP-0308), retractions (XEP-0424), replies (XEP-0461), reactions (XEP-0444) and chat
// markers (XEP-0333) through the facade over the fake server, in both directions and in any order of
// arrival: live, from the archive on a new device (a correction before the message it corrects, found
// while paging back), and after a reload (fake-indexeddb). The incoming stanzas are built as
// Conversations (generator/MessageGenerator.java) and Converse.js (shared/actions.js,
// shared/model-with-messages.js, plugins/reactions-views/utils.js) build them.
import "fake-indexeddb/auto";
import { type Element, xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { ME } from "../../../web/src/model/chats/amendments";
import { type HistoryStore, indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";
import { messagesWith } from "../support/messages";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";
const CAROL = "carol@example.org";
let app: TestApp;
let server: FakeServer;
let store: HistoryStore;

const incoming = async (el: Element) => {
  app.server.last.receive(el);
  await app.facade.idle();
};
const thread = (a = app) => messagesWith(a.facade.model.chats, BOB);
const rows = (a = app) =>
  thread(a).map((m) => `${m.direction}:${m.body}${m.edit ? " (edited)" : ""}${m.retracted ? " (deleted)" : ""}`);
const sentMessages = () => app.server.last.sent.filter((s) => s.is("message"));
const send: TestApp["facade"]["send"] = async (...args) => {
  await app.facade.send(...args);
  await app.facade.idle();
};

/** A chat message from bob as Conversations sends it (markable, origin-id = id). */
const fromBob = (id: string, body: string, ...extra: Element[]) =>
  xml(
    "message",
    { from: `${BOB}/phone`, to: ALICE, type: "chat", id },
    xml("body", {}, body),
    xml("request", { xmlns: "urn:xmpp:receipts" }),
    xml("markable", { xmlns: "urn:xmpp:chat-markers:0" }),
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
    ...extra,
  );
const replace = (id: string) => xml("replace", { xmlns: "urn:xmpp:message-correct:0", id });
/** Converse.js sendRetractionMessage (shared/actions.js): retract:1, a /me fallback body, store hint. */
const retractV1 = (from: string, id: string, target: string) =>
  xml(
    "message",
    { from, to: ALICE, type: "chat", id },
    xml("retract", { xmlns: "urn:xmpp:message-retract:1", id: target }),
    xml("body", {}, "/me retracted a message"),
    xml("store", { xmlns: "urn:xmpp:hints" }),
    xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:message-retract:1" }),
  );
/** Converse.js 2019 (commit b4dafcc4): the XEP-0422 fastening form. */
const retractV0 = (from: string, id: string, target: string) =>
  xml(
    "message",
    { from, to: ALICE, type: "chat", id },
    xml("store", { xmlns: "urn:xmpp:hints" }),
    xml("apply-to", { xmlns: "urn:xmpp:fasten:0", id: target }, xml("retract", { xmlns: "urn:xmpp:message-retract:0" })),
  );
/** Converse.js plugins/reactions-views/utils.js sendReaction. */
const reactionFrom = (from: string, id: string, target: string, ...emojis: string[]) =>
  xml(
    "message",
    { from, to: ALICE, type: "chat", id },
    xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: target }, ...emojis.map((e) => xml("reaction", {}, e))),
    xml("store", { xmlns: "urn:xmpp:hints" }),
  );
/** Conversations MessageGenerator.confirm: displayed + store hint. */
const displayedFrom = (from: string, target: string) =>
  xml(
    "message",
    { from, to: ALICE, type: "chat" },
    xml("displayed", { xmlns: "urn:xmpp:chat-markers:0", id: target }),
    xml("store", { xmlns: "urn:xmpp:hints" }),
  );
const archived = (n: number, message: Element) => ({
  id: `a${String(n).padStart(3, "0")}`,
  message,
  stamp: new Date(Date.UTC(2023, 10, 14, 12, 0, n)).toISOString(),
});

beforeEach(async () => {
  server = new FakeServer();
  store = indexedDbStore(new IDBFactory());
});

async function online(): Promise<void> {
  app = testApp(undefined, [], store, server);
  await app.login();
}

describe("corrections", () => {
  it("replace the body in place, marked edited, newest correction winning; not a new row, not unread", async () => {
    await online();
    await incoming(fromBob("m1", "helo"));
    await incoming(fromBob("m2", "hello", replace("m1")));
    await incoming(fromBob("m3", "hello!", replace("m1")));
    expect(rows()).toEqual(["in:hello! (edited)"]);
    // The archive's copy of the older correction, arriving last, does not undo the newer one.
    await incoming(
      xml(
        "message",
        { to: ALICE },
        xml(
          "result",
          { xmlns: "urn:xmpp:mam:2", id: "a2" },
          xml(
            "forwarded",
            { xmlns: "urn:xmpp:forward:0" },
            xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2020-01-01T00:00:00Z" }),
            fromBob("m2", "hello", replace("m1")),
          ),
        ),
      ),
    );
    expect(rows()).toEqual(["in:hello! (edited)"]);
    expect(app.facade.model.chats.unread.value.get(BOB)).toBe(1);
    // The live correction still gets its receipt.
    expect(sentMessages().map((s) => s.getChild("received")?.attrs.id)).toEqual(["m1", "m2", "m3"]);
  });

  it("from anyone but the author are ignored, and never shown as messages", async () => {
    await online();
    await send("SEND_MESSAGE", { to: BOB, body: "mine" });
    const mine = thread()[0]?.id as string;
    await incoming(fromBob("m1", "bob's"));
    await incoming(fromBob("x1", "bob rewrote alice", replace(mine)));
    // carol "correcting" bob's message: another conversation, nothing of bob's changes.
    await incoming(
      xml("message", { from: `${CAROL}/x`, to: ALICE, type: "chat", id: "c1" }, xml("body", {}, "evil"), replace("m1")),
    );
    expect(rows()).toEqual(["out:mine", "in:bob's"]);
    expect(messagesWith(app.facade.model.chats, CAROL)).toEqual([]);
  });

  it("from the archive before the original (paging back) wait for it, also across a reload", async () => {
    server.archive.push(archived(1, fromBob("m1", "typo")));
    for (let n = 2; n <= 59; n++) server.archive.push(archived(n, fromBob(`f${n}`, `filler ${n}`)));
    server.archive.push(archived(60, fromBob("m60", "no typo", replace("m1"))));
    // Newer than the correction: a catch-up after a reload starts after this one, not before the correction.
    server.archive.push(archived(61, fromBob("m61", "newest")));
    await online(); // a new device: the newest 50 (the correction, not the original)
    expect(rows()).not.toContain("in:no typo");
    expect(app.facade.model.chats.pendingAmendments()).toHaveLength(1);
    await app.facade.model.device.saved();
    app = testApp(undefined, [], store, server); // reload before paging back
    await app.login();
    await app.facade.send("LOAD_OLDER", { jid: BOB });
    await app.facade.idle();
    expect(rows()[0]).toBe("in:no typo (edited)");
    expect(rows()).toHaveLength(60);
    expect(app.facade.model.chats.pendingAmendments()).toEqual([]);
  });

  it("of mine: sent with <replace/>, shown edited, and read back from my archive by a new device", async () => {
    await online();
    await send("SEND_MESSAGE", { to: BOB, body: "teh" });
    const id = thread()[0]?.id as string;
    await send("CORRECT_MESSAGE", { to: BOB, id, body: "the" });
    const c = sentMessages().at(-1) as Element;
    expect(c.getChild("replace", "urn:xmpp:message-correct:0")?.attrs.id).toBe(id);
    expect(c.getChildText("body")).toBe("the");
    expect(rows()).toEqual(["out:the (edited)"]);
    // Bob's correction of my message in his name is still not allowed to reach it; my own is.
    await send("CORRECT_MESSAGE", { to: BOB, id: "nope", body: "x" });
    expect(app.heard.at(-1)).toMatchObject({ name: "COMMAND_FAILED" });
    // Another device of mine: the archive has both, as Prosody stores them (from my full JID).
    server.archive.push(archived(1, sentMessages()[0] as Element), archived(2, c));
    for (const a of server.archive) a.message.attrs.from = `${ALICE}/web`;
    store = indexedDbStore(new IDBFactory());
    app = testApp(undefined, [], store, server);
    await app.login();
    expect(rows()).toEqual(["out:the (edited)"]);
  });
});

describe("retractions", () => {
  it("in both forms delete the author's message; anyone else's retraction changes nothing", async () => {
    await online();
    await send("SEND_MESSAGE", { to: BOB, body: "keep me" });
    const mine = thread()[0]?.id as string;
    await incoming(fromBob("m1", "oops"));
    await incoming(fromBob("m2", "oops too"));
    await incoming(retractV1(`${BOB}/phone`, "r1", "m1"));
    await incoming(retractV0(`${BOB}/laptop`, "r2", "m2"));
    await incoming(retractV1(`${BOB}/phone`, "r3", mine));
    await incoming(retractV0(`${CAROL}/x`, "r4", "m1"));
    expect(rows()).toEqual(["out:keep me", "in: (deleted)", "in: (deleted)"]);
    // Not shown: the fallback body "/me retracted a message".
    expect(messagesWith(app.facade.model.chats, CAROL)).toEqual([]);
  });

  it("of mine go out in both forms; the archive's tombstone shows as deleted", async () => {
    await online();
    await send("SEND_MESSAGE", { to: BOB, body: "regret" });
    const id = thread()[0]?.id as string;
    await send("RETRACT_MESSAGE", { to: BOB, id });
    const r = sentMessages().at(-1) as Element;
    expect(r.getChild("retract", "urn:xmpp:message-retract:1")?.attrs.id).toBe(id);
    expect(r.getChild("apply-to", "urn:xmpp:fasten:0")?.attrs.id).toBe(id);
    expect(rows()).toEqual(["out: (deleted)"]);
    // A tombstone (XEP-0424 §5.2) in a new device's first page: a deleted row, not unread.
    server.archive.push(
      archived(
        1,
        xml(
          "message",
          { from: `${BOB}/phone`, to: ALICE, type: "chat", id: "t1" },
          xml("retracted", { xmlns: "urn:xmpp:message-retract:1", id: "r9", stamp: "2023-11-14T12:00:01Z" }),
        ),
      ),
    );
    store = indexedDbStore(new IDBFactory());
    app = testApp(undefined, [], store, server);
    await app.login();
    expect(rows()).toEqual(["in: (deleted)"]);
    expect(app.facade.model.chats.unread.value.size).toBe(0);
  });
});

describe("reactions", () => {
  it("count per sender, a new set replacing the old one, an older set never winning", async () => {
    await online();
    await incoming(fromBob("m1", "party?"));
    await incoming(reactionFrom(`${BOB}/phone`, "x1", "m1", "👍", "🎉"));
    await send("REACT_MESSAGE", { to: BOB, id: "m1", emoji: "🎉" });
    const mine = sentMessages().at(-1) as Element;
    expect(mine.getChild("reactions", "urn:xmpp:reactions:0")?.attrs.id).toBe("m1");
    expect(
      mine
        .getChild("reactions")
        ?.getChildren("reaction")
        .map((c) => c.text()),
    ).toEqual(["🎉"]);
    await incoming(reactionFrom(`${BOB}/phone`, "x2", "m1", "🎉"));
    const r = () => Object.fromEntries(Object.entries(thread()[0]?.reactions ?? {}).map(([who, v]) => [who, v.emojis.join("")]));
    expect(r()).toEqual({ [BOB]: "🎉", [ME]: "🎉" });
    // The archive's copy of bob's first set arrives later (older): it does not win.
    app.server.last.receive(
      xml(
        "message",
        { to: ALICE },
        xml(
          "result",
          { xmlns: "urn:xmpp:mam:2", id: "a1" },
          xml(
            "forwarded",
            { xmlns: "urn:xmpp:forward:0" },
            xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2020-01-01T00:00:00Z" }),
            reactionFrom(`${BOB}/phone`, "x0", "m1", "😡"),
          ),
        ),
      ),
    );
    await app.facade.idle();
    expect(r()).toEqual({ [BOB]: "🎉", [ME]: "🎉" });
    // Tapping mine again takes it back: an empty set goes out.
    await send("REACT_MESSAGE", { to: BOB, id: "m1", emoji: "🎉" });
    expect(sentMessages().at(-1)?.getChild("reactions")?.getChildren("reaction")).toEqual([]);
    expect(r()).toEqual({ [BOB]: "🎉" });
    await send("REACT_MESSAGE", { to: BOB, id: "m1", emoji: "hello" });
    expect(app.heard.at(-1)).toMatchObject({ name: "COMMAND_FAILED", body: { message: "A reaction is an emoji." } });
    // Kept on the device.
    await app.facade.model.device.saved();
    app = testApp(undefined, [], store, server);
    await app.login();
    expect(r()).toEqual({ [BOB]: "🎉" });
    expect(rows()).toEqual(["in:party?"]);
  });
});

describe("replies", () => {
  it("show without the fallback, with the quote; mine carry reply + fallback for other clients", async () => {
    await online();
    await incoming(fromBob("m1", "party at 8?"));
    const quote = "> party at 8?\n";
    await incoming(
      fromBob(
        "m2",
        `${quote}or 9`,
        xml("reply", { xmlns: "urn:xmpp:reply:0", id: "m1", to: `${BOB}/phone` }),
        xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" }, xml("body", { start: "0", end: "14" })),
      ),
    );
    expect(thread()[1]).toMatchObject({ body: "or 9", replyTo: { id: "m1", quote: "party at 8?" } });
    await send("SEND_MESSAGE", { to: BOB, body: "8!", replyTo: "m1" });
    const out = sentMessages().at(-1) as Element;
    expect(out.getChildText("body")).toBe("> party at 8?\n8!");
    expect(out.getChild("reply", "urn:xmpp:reply:0")?.attrs).toMatchObject({ id: "m1", to: BOB });
    expect(out.getChild("fallback", "urn:xmpp:fallback:0")?.getChild("body")?.attrs).toEqual({ start: "0", end: "14" });
    expect(thread()[2]).toMatchObject({ body: "8!", replyTo: { id: "m1", to: BOB } });
    await send("SEND_MESSAGE", { to: BOB, body: "?", replyTo: "unknown" });
    expect(app.heard.at(-1)).toMatchObject({ name: "COMMAND_FAILED" });
  });
});

describe("chat markers", () => {
  it("bob's displayed marker makes my messages up to it Read; anyone else's does nothing", async () => {
    await online();
    for (const b of ["one", "two", "three"]) await send("SEND_MESSAGE", { to: BOB, body: b });
    expect(sentMessages()[0]?.getChild("markable", "urn:xmpp:chat-markers:0")).toBeTruthy();
    const [one, two] = thread().map((m) => m.id);
    await incoming(displayedFrom(`${CAROL}/x`, two as string));
    expect(thread().map((m) => m.state)).toEqual(["sent", "sent", "sent"]);
    await incoming(displayedFrom(`${BOB}/phone`, two as string));
    expect(thread().map((m) => m.state)).toEqual(["read", "read", "sent"]);
    // A late receipt does not make a read message merely delivered.
    await incoming(xml("message", { from: `${BOB}/phone`, to: ALICE }, xml("received", { xmlns: "urn:xmpp:receipts", id: one })));
    expect(thread()[0]?.state).toBe("read");
  });

  it("a displayed marker goes only for markable messages, once, and not after another device of mine sent it", async () => {
    await online();
    const plain = (id: string) => xml("message", { from: `${BOB}/gajim`, to: ALICE, type: "chat", id }, xml("body", {}, id));
    await incoming(plain("p1"));
    await send("MARK_DISPLAYED", { jid: BOB, id: "p1" });
    const markers = () => sentMessages().filter((s) => s.getChild("displayed", "urn:xmpp:chat-markers:0"));
    expect(markers()).toEqual([]);
    await incoming(fromBob("m1", "a"));
    await incoming(plain("p2"));
    await send("MARK_DISPLAYED", { jid: BOB, id: "p2" });
    expect(markers().map((s) => `${s.attrs.to}:${s.getChild("displayed")?.attrs.id}`)).toEqual([`${BOB}:m1`]);
    await send("MARK_DISPLAYED", { jid: BOB, id: "p2" });
    expect(markers()).toHaveLength(1);
    // My phone displayed m2 (a sent carbon of its marker): this device sends none for it.
    await incoming(fromBob("m2", "b"));
    await incoming(
      xml(
        "message",
        { from: ALICE, to: app.server.last.fullJid, type: "chat" },
        xml(
          "sent",
          { xmlns: "urn:xmpp:carbons:2" },
          xml(
            "forwarded",
            { xmlns: "urn:xmpp:forward:0" },
            Object.assign(displayedFrom(`${ALICE}/phone`, "m2"), { attrs: { from: `${ALICE}/phone`, to: BOB, type: "chat" } }),
          ),
        ),
      ),
    );
    await send("MARK_DISPLAYED", { jid: BOB, id: "m2" });
    expect(markers()).toHaveLength(1);
  });
});
