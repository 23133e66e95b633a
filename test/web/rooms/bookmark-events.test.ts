// Live bookmark changes (XEP-0402 §3.4) against the fake entity: my capabilities ask for
// urn:xmpp:bookmarks:1+notify (XEP-0163 §9.2), so the PEP service pushes what another device of mine
// publishes or retracts; a new autojoin bookmark is joined here, a retracted one left here, a new
// name shown; an event from anyone but my account is ignored; renaming a room (its owner form)
// publishes its bookmark with the new name.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { CLIENT_FEATURES } from "../../../web/src/model/stanzas/client-features";
import { type TestApp, testApp } from "../support/app";

const ROOM = "lobby@conference.example.org";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const NS_BOOKMARKS = "urn:xmpp:bookmarks:1";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
/** A PEP notification as Prosody's mod_pep sends it to my resources (from my bare JID). */
const event = (items: Element, from = "alice@example.org") =>
  xml(
    "message",
    { from, to: "alice@example.org/r", type: "headline" },
    xml("event", { xmlns: "http://jabber.org/protocol/pubsub#event" }, items),
  );
const published = (room: string, attrs: Record<string, string>, nick?: string) =>
  xml(
    "items",
    { node: NS_BOOKMARKS },
    xml("item", { id: room }, xml("conference", { xmlns: NS_BOOKMARKS, ...attrs }, nick ? xml("nick", {}, nick) : null)),
  );
const retracted = (room: string) => xml("items", { node: NS_BOOKMARKS }, xml("retract", { id: room }));
const joins = () => entity().sent.filter((s) => s.is("presence") && s.getChild("x", "http://jabber.org/protocol/muc"));

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  entity().sent.length = 0;
});

describe("bookmark notifications from my other devices", () => {
  it("asks for them in its capabilities", () => {
    expect(CLIENT_FEATURES).toContain("urn:xmpp:bookmarks:1+notify");
  });

  it("joins a room another device bookmarked to autojoin, with its nickname and name", async () => {
    await incoming(event(published(ROOM, { autojoin: "true", name: "Lobby" }, "ali")));
    // The event's parser loads on first use.
    await vi.waitFor(() => expect(joins().map((s) => s.attrs.to)).toEqual([`${ROOM}/ali`]));
    expect(app.facade.model.rooms.get(ROOM)).toMatchObject({ name: "Lobby", state: "joining", confirmed: true });
    // A bookmark without autojoin is not joined.
    await incoming(event(published("quiet@conference.example.org", { autojoin: "false", name: "Quiet" })));
    await incoming(event(published(ROOM, { autojoin: "true", name: "Lobby again" }, "ali")));
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Lobby again"));
    expect(app.facade.model.rooms.has("quiet@conference.example.org")).toBe(false);
  });

  it("leaves a room whose bookmark another device retracted; a new name shows", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(
      xml(
        "presence",
        { from: `${ROOM}/alice` },
        xml(
          "x",
          { xmlns: MUC_USER },
          xml("item", { role: "participant", affiliation: "member" }),
          xml("status", { code: "110" }),
        ),
      ),
    );
    await incoming(event(published(ROOM, { autojoin: "true", name: "Renamed" }, "alice")));
    await vi.waitFor(() => expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Renamed"));
    // A bookmark without a name (the echo of an earlier publish) does not clear it.
    await incoming(event(published(ROOM, { autojoin: "true" }, "alice")));
    await incoming(event(published("mine@conference.example.org", { autojoin: "true" })));
    await vi.waitFor(() => expect(app.facade.model.rooms.has("mine@conference.example.org")).toBe(true));
    expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Renamed");
    entity().sent.length = 0;
    await incoming(event(retracted(ROOM)));
    await vi.waitFor(() => expect(app.facade.model.rooms.has(ROOM)).toBe(false));
    await app.facade.idle();
    expect(
      entity()
        .sent.filter((s) => s.attrs.type === "unavailable")
        .map((s) => s.attrs.to),
    ).toEqual([`${ROOM}/alice`]);
    expect(app.facade.model.rooms.has(ROOM)).toBe(false);
  });

  it("ignores a bookmark event from anyone but my own account", async () => {
    await incoming(event(published(ROOM, { autojoin: "true" }), "mallory@example.org"));
    // Then one from my account: once it is in, the forged one has had its chance.
    await incoming(event(published("mine@conference.example.org", { autojoin: "true" })));
    await vi.waitFor(() => expect(app.facade.model.rooms.has("mine@conference.example.org")).toBe(true));
    expect(joins().map((s) => s.attrs.to)).toEqual(["mine@conference.example.org/alice"]);
    expect(app.facade.model.rooms.has(ROOM)).toBe(false);
  });
});

describe("renaming a room", () => {
  it("publishes its bookmark with the new name", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(
      xml(
        "presence",
        { from: `${ROOM}/alice` },
        xml("x", { xmlns: MUC_USER }, xml("item", { role: "moderator", affiliation: "owner" }), xml("status", { code: "110" })),
      ),
    );
    app.server.iqHandler = (iq) =>
      iq.getChild("query", "http://jabber.org/protocol/muc#owner")
        ? xml(
            "iq",
            { type: "result" },
            xml(
              "query",
              { xmlns: "http://jabber.org/protocol/muc#owner" },
              xml(
                "x",
                { xmlns: "jabber:x:data", type: "form" },
                xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
                xml("field", { var: "muc#roomconfig_roomname", type: "text-single" }, xml("value", {}, "")),
              ),
            ),
          )
        : undefined;
    entity().requests.length = 0;
    await app.facade.send("RENAME_ROOM", { room: ROOM, name: "Planning" });
    const publish = entity()
      .requests.map((r) => r.getChild("pubsub")?.getChild("publish"))
      .find(Boolean);
    expect(publish?.getChild("item")?.attrs.id).toBe(ROOM);
    expect(publish?.getChild("item")?.getChild("conference", NS_BOOKMARKS)?.attrs.name).toBe("Planning");
  });
});
