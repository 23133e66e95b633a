// XEP-0425 Message Moderation in a room, against the fake entity. The room's stanzas are built exactly
// as the two servers and client that speak it send them:
// - 0.3 (urn:xmpp:message-moderate:1): the announcement of Converse.js's tests
//   (src/plugins/muc-views/tests/retractions.js, "can be retracted by a moderator": <retract id
//   xmlns=message-retract:1><moderated by xmlns=message-moderate:1/><reason/></retract> from the room)
//   and of Prosody's mod_muc_moderation (reason after <moderated>, inside <retract>), its request as
//   Converse.js's MUC.sendRetractionIQ (src/headless/plugins/muc/muc.js);
// - 0.2 (urn:xmpp:message-moderate:0), Prosody 0.12's mod_muc_moderation (prosody-modules
//   mod_muc_moderation.lua): the fastening announcement, the archive tombstone that replaces the
//   message (<moderated by><retracted stamp/><reason/></moderated>), and the <apply-to><moderate> request.
// Only the room's bare JID may moderate: the same announcement from an occupant changes nothing.
import "fake-indexeddb/auto";
import { type Element, xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";
import { MUC_USER, occupantPresence } from "./room-presence";

const ROOM = "lobby@conference.example.org";
const DISCO = "http://jabber.org/protocol/disco#info";
const MOD1 = "urn:xmpp:message-moderate:1";
const MOD0 = "urn:xmpp:message-moderate:0";
const RETRACT1 = "urn:xmpp:message-retract:1";
const RETRACT0 = "urn:xmpp:message-retract:0";
const FASTEN = "urn:xmpp:fasten:0";

let app: TestApp;
let factory: IDBFactory;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const thread = () => messagesWith(app.facade.model.chats, ROOM);
/** bob's message as the room relays it: origin-id, and the room's stanza-id. */
const bobSaid = (body: string, sid: string) =>
  xml(
    "message",
    { from: `${ROOM}/bob`, type: "groupchat", id: `o-${sid}` },
    xml("body", {}, body),
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: `o-${sid}` }),
    xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: sid, by: ROOM }),
  );
/** A 0.3 announcement (Converse.js retractions.js; Prosody mod_muc_moderation's v0.3.0 part). */
const announce1 = (sid: string, reason?: string, from = ROOM) =>
  xml(
    "message",
    { from, type: "groupchat", id: `m-${sid}` },
    xml(
      "retract",
      { id: sid, xmlns: RETRACT1 },
      xml("moderated", { xmlns: MOD1, by: `${ROOM}/mod` }),
      reason ? xml("reason", {}, reason) : null,
    ),
  );
/** A 0.2 announcement as Prosody 0.12's mod_muc_moderation broadcasts it. */
const announce0 = (sid: string, reason?: string, from = ROOM) =>
  xml(
    "message",
    { from, type: "groupchat", id: `m0-${sid}` },
    xml(
      "apply-to",
      { xmlns: FASTEN, id: sid },
      xml(
        "moderated",
        { xmlns: MOD0, by: `${ROOM}/mod` },
        xml("retract", { xmlns: RETRACT0 }),
        reason ? xml("reason", {}, reason) : null,
      ),
    ),
  );
/** The tombstone Prosody 0.12 keeps in the room's archive in the moderated message's place. */
const tombstone0 = (sid: string, reason: string) =>
  xml(
    "message",
    { from: `${ROOM}/bob`, type: "groupchat", id: `o-${sid}` },
    xml(
      "moderated",
      { xmlns: MOD0, by: `${ROOM}/mod` },
      xml("retracted", { xmlns: RETRACT0, stamp: "2026-12-01T10:00:00Z" }),
      xml("reason", {}, reason),
    ),
  );
/** The 0.3 tombstone (Converse.js parsers.js getModerationAttributes reads <retracted><moderated/>). */
const tombstone1 = (sid: string) =>
  xml(
    "message",
    { from: `${ROOM}/bob`, type: "groupchat", id: `o-${sid}` },
    xml("retracted", { xmlns: RETRACT1, stamp: "2026-12-01T10:00:00Z" }, xml("moderated", { xmlns: MOD1 })),
  );

async function join(features: string[], role: "moderator" | "participant" = "moderator") {
  app.server.iqHandler = (iq) =>
    iq.attrs.to === ROOM && iq.getChild("query", DISCO)
      ? xml(
          "iq",
          { type: "result", from: ROOM },
          xml("query", { xmlns: DISCO }, ...features.map((f) => xml("feature", { var: f }))),
        )
      : undefined;
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(occupantPresence(ROOM, "bob"));
  await incoming(
    xml(
      "presence",
      { from: `${ROOM}/alice` },
      xml("x", { xmlns: MUC_USER }, xml("item", { affiliation: "owner", role }), xml("status", { code: "110" })),
    ),
  );
}

beforeEach(async () => {
  factory = new IDBFactory();
  app = testApp(undefined, [], indexedDbStore(factory));
  app.server.roomArchives.set(ROOM, []);
  await app.login();
});

describe("message moderation (XEP-0425)", () => {
  it("a 0.3 announcement from the room removes bob's message, with its reason; kept after a reload", async () => {
    await join([MOD1]);
    await incoming(bobSaid("buy pills", "s1"));
    await incoming(announce1("s1", "Insults"));
    expect(thread()).toMatchObject([{ nick: "bob", body: "", moderated: { reason: "Insults" } }]);
    expect(thread()[0]?.retracted).toBeDefined();
    await app.facade.model.device.saved();
    const again = testApp(undefined, [], indexedDbStore(factory));
    await again.login();
    expect(messagesWith(again.facade.model.chats, ROOM)).toMatchObject([{ body: "", moderated: { reason: "Insults" } }]);
  });

  it("a 0.2 announcement (Prosody 0.12) removes it too; without a reason none is shown", async () => {
    await join([MOD0]);
    await incoming(bobSaid("spam", "s2"));
    await incoming(announce0("s2"));
    expect(thread()).toMatchObject([{ body: "", moderated: {} }]);
    expect(thread()[0]?.moderated?.reason).toBeUndefined();
  });

  it("the same announcements from an occupant (room/eve), not the room, change nothing", async () => {
    await join([MOD1]);
    await incoming(bobSaid("keep me", "s3"));
    await incoming(announce1("s3", "forged", `${ROOM}/eve`));
    await incoming(announce0("s3", "forged", `${ROOM}/eve`));
    expect(thread()).toMatchObject([{ body: "keep me" }]);
    expect(thread()[0]?.moderated).toBeUndefined();
    expect(thread()[0]?.retracted).toBeUndefined();
  });

  it("from the room's archive: Prosody's tombstone shows as removed, with its reason; a 0.3 one too", async () => {
    app.server.roomArchives.set(ROOM, [
      { id: "s4", stamp: "2026-12-01T09:00:00Z", message: tombstone0("s4", "off topic") },
      { id: "s5", stamp: "2026-12-01T09:00:01Z", message: tombstone1("s5") },
      { id: "s6", stamp: "2026-12-01T09:00:02Z", message: bobSaid("still here", "s6") },
    ]);
    await join([MOD0]);
    await vi.waitFor(() => expect(thread()).toHaveLength(3));
    await app.facade.idle();
    expect(thread().map((m) => [m.nick, m.body, m.moderated?.reason ?? (m.moderated ? "-" : null)])).toEqual([
      ["bob", "", "off topic"],
      ["bob", "", "-"],
      ["bob", "still here", null],
    ]);
  });

  it("from the room's archive: an announcement read before its message (paging back) waits for it", async () => {
    app.server.roomArchives.set(ROOM, [
      { id: "s7", stamp: "2026-12-01T09:00:00Z", message: bobSaid("later removed", "s7") },
      { id: "s8", stamp: "2026-12-01T09:00:05Z", message: announce0("s7", "spam") },
    ]);
    await join([MOD0]);
    await vi.waitFor(() => expect(thread()).toMatchObject([{ body: "", moderated: { reason: "spam" } }]));
    // And the amendment that arrives first: applied when the message comes.
    await incoming(announce1("s9", "early"));
    await incoming(bobSaid("too late", "s9"));
    expect(app.facade.model.chats.lookup(ROOM, "s9")).toMatchObject({ body: "", moderated: { reason: "early" } });
  });

  it("a moderator removes bob's message: the 0.3 request when the room offers it, else 0.2; shown at once", async () => {
    await join([MOD0, MOD1]);
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.moderation).toBe(MOD1));
    await incoming(bobSaid("rude", "s10"));
    const m = thread()[0];
    await app.facade.send("MODERATE_MESSAGE", { room: ROOM, id: m?.id as string, reason: " rude " });
    const iq = entity().requests.find((r) => r.getChild("moderate", MOD1));
    expect(iq?.attrs).toMatchObject({ to: ROOM, type: "set" });
    expect(iq?.getChild("moderate")?.attrs.id).toBe("s10");
    expect(iq?.getChild("moderate")?.getChild("retract", RETRACT1)).toBeDefined();
    expect(iq?.getChild("moderate")?.getChildText("reason")).toBe("rude");
    expect(thread()).toMatchObject([{ body: "", moderated: { reason: "rude" } }]);
    // The room's own announcement afterwards changes nothing more.
    await incoming(announce1("s10", "rude"));
    expect(thread()).toHaveLength(1);

    const joined = app.facade.model.rooms.get(ROOM);
    if (joined) app.facade.model.rooms.rooms.value = new Map([[ROOM, { ...joined, moderation: MOD0 }]]);
    await incoming(bobSaid("ruder", "s11"));
    await app.facade.send("MODERATE_MESSAGE", { room: ROOM, id: thread()[1]?.id as string, reason: "" });
    const old = entity().requests.find((r) => r.getChild("apply-to", FASTEN)?.attrs.id === "s11");
    expect(old?.getChild("apply-to")?.getChild("moderate", MOD0)?.getChild("retract", RETRACT0)).toBeDefined();
    expect(old?.getChild("apply-to")?.getChild("moderate")?.getChild("reason")).toBeUndefined();
  });

  it("a refusal is said as a sentence and the message stays; a room without moderation refuses at once", async () => {
    await join([MOD1]);
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.moderation).toBe(MOD1));
    await incoming(bobSaid("fine", "s12"));
    app.server.iqHandler = (iq) =>
      iq.getChild("moderate", MOD1)
        ? Object.assign(new Error("forbidden"), { name: "StanzaError", condition: "forbidden" })
        : undefined;
    await app.facade.send("MODERATE_MESSAGE", { room: ROOM, id: thread()[0]?.id as string, reason: "" });
    const failed = app.heard.filter((h) => h.name === "COMMAND_FAILED").map((h) => (h.body as { message: string }).message);
    expect(failed).toEqual(["Only the room's moderators can remove messages."]);
    expect(thread()).toMatchObject([{ body: "fine" }]);
  });
});
