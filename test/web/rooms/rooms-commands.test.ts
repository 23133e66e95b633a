// Group chat (XEP-0045) use cases against the fake entity: join (§7.2, history from the room's archive
// instead of <history/>), self-presence 110 completes it, refusals as sentences, occupants live, leave
// (§7.14), groupchat messages both ways through the outbox with origin-id (XEP-0359) and the room's
// reflection matched (shown once), forged room messages dropped, room archive catch-up (XEP-0313 on the
// room JID), mentions, mute, bookmarks (XEP-0402) and XEP-0410 self-ping.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { joinRefusal } from "../../../web/src/model/rooms/refusals";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const ROOM = "lobby@conference.example.org";
const MUC_USER = "http://jabber.org/protocol/muc#user";

let app: TestApp;
const entity = () => app.server.last;
const sent = () => entity().sent;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const occupant = (nick: string, opts: { codes?: number[]; type?: string; role?: string; affiliation?: string } = {}) =>
  xml(
    "presence",
    { from: `${ROOM}/${nick}`, to: "alice@example.org/r", type: opts.type },
    xml(
      "x",
      { xmlns: MUC_USER },
      xml("item", { affiliation: opts.affiliation ?? "member", role: opts.role ?? "participant" }),
      ...(opts.codes ?? []).map((code) => xml("status", { code: String(code) })),
    ),
  );
const groupchat = (
  nick: string,
  body: string,
  extra: { id?: string; originId?: string; stanzaId?: string; from?: string } = {},
) =>
  xml(
    "message",
    { from: extra.from ?? `${ROOM}/${nick}`, type: "groupchat", id: extra.id ?? `m-${body}` },
    xml("body", {}, body),
    extra.originId ? xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: extra.originId }) : null,
    extra.stanzaId ? xml("stanza-id", { xmlns: "urn:xmpp:sid:0", id: extra.stanzaId, by: ROOM }) : null,
  );

async function joined(nick = "alice") {
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick, password: "" });
  await incoming(occupant("bob"));
  await incoming(occupant(nick, { codes: [110] }));
}

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  sent().length = 0;
  entity().requests.length = 0;
});

describe("join and leave", () => {
  it("joins with the MUC presence and no room history, completes on status 110 with the occupants", async () => {
    await app.facade.send("JOIN_ROOM", { room: ` ${ROOM.toUpperCase()} `, nick: " alice ", password: "pw" });
    const join = sent()[0];
    expect(join?.attrs.to).toBe(`${ROOM}/alice`);
    const x = join?.getChild("x", "http://jabber.org/protocol/muc");
    expect(x?.getChild("history")?.attrs.maxstanzas).toBe("0");
    expect(x?.getChildText("password")).toBe("pw");
    const { rooms } = app.facade.model;
    expect(rooms.get(ROOM)?.state).toBe("joining");
    await incoming(occupant("bob", { role: "moderator", affiliation: "owner" }));
    expect(rooms.get(ROOM)?.state).toBe("joining");
    await incoming(occupant("alice", { codes: [110] }));
    expect(rooms.get(ROOM)).toMatchObject({ state: "joined", confirmed: true, synced: true });
    expect([...(rooms.get(ROOM)?.occupants.values() ?? [])]).toMatchObject([
      { nick: "bob", role: "moderator", affiliation: "owner" },
      { nick: "alice", role: "participant", affiliation: "member" },
    ]);
    // The room's own archive was asked (to = the room), and the join was bookmarked.
    const mam = entity().requests.find((r) => r.getChild("query", "urn:xmpp:mam:2"));
    expect(mam?.attrs.to).toBe(ROOM);
    const publish = entity().requests.find((r) => r.getChild("pubsub")?.getChild("publish"));
    expect(publish?.getChild("pubsub")?.getChild("publish")?.getChild("item")?.attrs.id).toBe(ROOM);
    await incoming(occupant("bob", { type: "unavailable" }));
    expect([...(rooms.get(ROOM)?.occupants.keys() ?? [])]).toEqual(["alice"]);
  });

  it("bookmarks without autojoin when asked (a stream's room), and a known room keeps its own choice", async () => {
    const bookmarkOf = (room: string) =>
      entity()
        .requests.map((r) => r.getChild("pubsub")?.getChild("publish")?.getChild("item"))
        .find((item) => item?.attrs.id === room)
        ?.getChild("conference", "urn:xmpp:bookmarks:1");
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "", autojoin: false });
    await incoming(occupant("alice", { codes: [110] }));
    expect(app.facade.model.rooms.get(ROOM)?.autojoin).toBe(false);
    expect(bookmarkOf(ROOM)).toBeDefined();
    expect(bookmarkOf(ROOM)?.attrs.autojoin).not.toBe("true");
    const other = "other@conference.example.org";
    await app.facade.send("JOIN_ROOM", { room: other, nick: "alice", password: "" });
    await app.facade.send("JOIN_ROOM", { room: other, nick: "alice", password: "", autojoin: false });
    expect(app.facade.model.rooms.get(other)?.autojoin).toBe(true);
  });

  it.each(
    ["conflict", "forbidden", "registration-required", "not-authorized", "item-not-found", "not-allowed"].map((c) => [
      c,
      joinRefusal(c),
    ]),
  )("a refusal with %s is a sentence, and the room is not kept", async (condition, sentence) => {
    expect(sentence).not.toBe(joinRefusal("undefined-condition"));
    const refused: string[] = [];
    app.facade.subscribe("ROOM_REFUSED", (r) => refused.push(r.message));
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(
      xml(
        "presence",
        { from: `${ROOM}/alice`, type: "error" },
        xml("error", { type: "cancel" }, xml(condition, { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })),
      ),
    );
    expect(refused).toEqual([sentence]);
    expect(app.facade.model.rooms.has(ROOM)).toBe(false);
  });

  it("refuses a bad address or an empty nickname before sending anything", async () => {
    const failed: string[] = [];
    app.facade.subscribe("COMMAND_FAILED", (f) => failed.push(f.message));
    await app.facade.send("JOIN_ROOM", { room: "not a room", nick: "alice", password: "" });
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "  ", password: "" });
    expect(failed).toEqual(["Enter the room's address as room@conference.example.org.", "Enter a nickname."]);
    expect(sent()).toEqual([]);
  });

  it("leaves with an unavailable presence and retracts the bookmark", async () => {
    await joined();
    await app.facade.send("LEAVE_ROOM", { room: ROOM });
    expect(sent().at(-1)?.attrs).toMatchObject({ to: `${ROOM}/alice`, type: "unavailable" });
    expect(entity().requests.at(-1)?.getChild("pubsub")?.getChild("retract")?.getChild("item")?.attrs.id).toBe(ROOM);
    expect(app.facade.model.rooms.has(ROOM)).toBe(false);
  });
});

describe("groupchat messages", () => {
  it("receives others' messages and drops a forged one (not from a room I am in)", async () => {
    await joined();
    await incoming(groupchat("bob", "hello <b>all</b>", { stanzaId: "s1" }));
    await incoming(groupchat("eve", "forged", { from: "other@conference.example.org/eve" }));
    const thread = messagesWith(app.facade.model.chats, ROOM);
    expect(thread).toMatchObject([{ direction: "in", body: "hello <b>all</b>", nick: "bob", stanzaId: "s1", room: true }]);
    expect(app.facade.model.chats.unread.value.get(ROOM)).toBe(1);
    expect(messagesWith(app.facade.model.chats, "other@conference.example.org")).toEqual([]);
  });

  it("sends through the outbox with an origin-id; the reflection is matched, shown once, delivered", async () => {
    await joined();
    await app.facade.send("SEND_MESSAGE", { to: ROOM, body: "hi room" });
    const out = sent().at(-1);
    expect(out?.attrs).toMatchObject({ type: "groupchat", to: ROOM });
    const id = out?.attrs.id as string;
    expect(out?.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id).toBe(id);
    await incoming(groupchat("alice", "hi room", { id, originId: id, stanzaId: "s2" }));
    const thread = messagesWith(app.facade.model.chats, ROOM);
    expect(thread).toMatchObject([{ id, direction: "out", state: "delivered", stanzaId: "s2" }]);
    expect(thread).toHaveLength(1);
  });

  it("keeps a room message typed before the join in the outbox, and sends it once after catch-up", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await app.facade.send("SEND_MESSAGE", { to: ROOM, body: "early" });
    expect(sent().filter((s) => s.is("message"))).toEqual([]);
    await incoming(occupant("alice", { codes: [110] }));
    expect(
      sent()
        .filter((s) => s.is("message"))
        .map((s) => s.getChildText("body")),
    ).toEqual(["early"]);
    await app.facade.send("FLUSH_OUTBOX");
    expect(sent().filter((s) => s.is("message"))).toHaveLength(1);
  });

  it("a queued message the room's archive already has is marked sent, never sent again", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await app.facade.send("SEND_MESSAGE", { to: ROOM, body: "sent before" });
    const [queued] = app.facade.model.chats.queued();
    app.server.roomArchives.set(ROOM, [
      { id: "a1", stamp: "2023-11-14T22:13:20Z", message: groupchat("alice", "sent before", { originId: queued?.id }) },
    ]);
    await incoming(occupant("alice", { codes: [110] }));
    expect(sent().filter((s) => s.is("message"))).toEqual([]);
    expect(messagesWith(app.facade.model.chats, ROOM)).toMatchObject([{ id: queued?.id, state: "delivered" }]);
  });

  it("catches up from the room's archive after the newest room id, ignoring results from elsewhere", async () => {
    await joined();
    await incoming(groupchat("bob", "one", { stanzaId: "a1" }));
    app.server.roomArchives.set(ROOM, [
      { id: "a1", stamp: "2023-11-14T22:13:20Z", message: groupchat("bob", "one") },
      { id: "a2", stamp: "2023-11-14T22:13:21Z", message: groupchat("bob", "two") },
    ]);
    entity().requests.length = 0;
    entity().drop();
    entity().reconnect();
    await app.facade.idle();
    // The rejoin completes with my self-presence; then the room's archive after a1.
    await incoming(occupant("alice", { codes: [110] }));
    const mam = entity().requests.filter((r) => r.attrs.to === ROOM);
    expect(mam.at(-1)?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("a1");
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => m.body)).toEqual(["one", "two"]);
    // A result claiming to be the room's archive, but from another address, is not taken.
    await incoming(
      xml(
        "message",
        { from: "mallory@example.org" },
        xml(
          "result",
          { xmlns: "urn:xmpp:mam:2", id: "x1" },
          xml("forwarded", { xmlns: "urn:xmpp:forward:0" }, groupchat("bob", "fake")),
        ),
      ),
    );
    expect(messagesWith(app.facade.model.chats, ROOM)).toHaveLength(2);
  });

  it("shows the subject, counts mentions of my nickname and notifies them unless the room is muted", async () => {
    const mentioned: string[] = [];
    app.facade.subscribe("ROOM_MENTION", (m) => mentioned.push(m.body));
    await joined();
    await incoming(xml("message", { from: `${ROOM}/bob`, type: "groupchat" }, xml("subject", {}, "Plans")));
    expect(app.facade.model.rooms.get(ROOM)?.subject).toBe("Plans");
    await incoming(groupchat("bob", "Alice: lunch?"));
    await incoming(groupchat("bob", "malice is not a mention"));
    expect(app.facade.model.rooms.mentions.value.get(ROOM)).toBe(1);
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => !!m.mention)).toEqual([true, false]);
    await app.facade.send("MUTE_ROOM", { room: ROOM, muted: true });
    await incoming(groupchat("bob", "@alice again"));
    expect(mentioned).toEqual(["Alice: lunch?"]);
    expect(app.facade.model.rooms.mentions.value.get(ROOM)).toBe(2);
    await app.facade.send("OPEN_CHAT", { jid: ROOM });
    expect(app.facade.model.rooms.mentions.value.get(ROOM)).toBeUndefined();
  });
});

describe("coming back", () => {
  it("joins the autojoin rooms of the bookmarks at session start", async () => {
    app = testApp();
    app.server.iqHandler = (iq) =>
      iq.getChild("pubsub")?.getChild("items")
        ? xml(
            "iq",
            { type: "result" },
            xml(
              "pubsub",
              { xmlns: "http://jabber.org/protocol/pubsub" },
              xml(
                "items",
                { node: "urn:xmpp:bookmarks:1" },
                xml(
                  "item",
                  { id: ROOM },
                  xml("conference", { xmlns: "urn:xmpp:bookmarks:1", autojoin: "true", name: "Lobby" }, xml("nick", {}, "ali")),
                ),
                xml("item", { id: "quiet@conference.example.org" }, xml("conference", { xmlns: "urn:xmpp:bookmarks:1" })),
              ),
            ),
          )
        : undefined;
    await app.login();
    const joins = sent().filter((s) => s.is("presence") && s.attrs.to);
    expect(joins.map((s) => s.attrs.to)).toEqual([`${ROOM}/ali`]);
    expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Lobby");
  });

  it("self-ping: joined stays joined on a result, rejoins on not-acceptable", async () => {
    await joined();
    sent().length = 0;
    await app.facade.send("PING_ROOMS");
    expect(entity().requests.at(-1)?.attrs.to).toBe(`${ROOM}/alice`);
    expect(sent()).toEqual([]);
    app.server.iqHandler = (iq) =>
      iq.getChild("ping", "urn:xmpp:ping")
        ? Object.assign(new Error("not-acceptable"), { condition: "not-acceptable" })
        : undefined;
    await app.facade.send("PING_ROOMS");
    expect(sent().map((s) => s.attrs.to)).toEqual([`${ROOM}/alice`]);
    expect(app.facade.model.rooms.get(ROOM)?.state).toBe("joining");
  });

  it("after a resumed stream pings the joined rooms instead of rejoining", async () => {
    await joined();
    sent().length = 0;
    entity().requests.length = 0;
    entity().drop();
    entity().handlers.online(entity().fullJid, true);
    await app.facade.idle();
    expect(sent().filter((s) => s.is("presence") && String(s.attrs.to).startsWith(ROOM))).toEqual([]);
    expect(entity().requests.some((r) => r.getChild("ping", "urn:xmpp:ping"))).toBe(true);
  });
});
