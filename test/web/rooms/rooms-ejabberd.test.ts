// Where ejabberd 23.01 behaves differently from Prosody, against the fake entity (the real one:
// test/e2e/pwa-rooms-ejabberd.test.ts). Bookmarks (XEP-0402): its mod_pubsub refuses XEP-0402's
// publish-options ("Unknown field 'pubsub#max_items'", resource-constraint) and its PEP nodes keep one
// item, so the bookmark is published again with the basic options and the node configured to keep every
// item. Its forwarded mediated invitation (XEP-0045 §7.8.2) carries a body and is kept in the invitee's
// own archive (XEP-0313): read back from there it is no chat message of the room. Stanzas as ejabberd
// 23.01 sent them on 127.0.0.1.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const ROOM = "lobby@conference.example.org";
const ALICE = "alice@example.org";
const MUC_USER = "http://jabber.org/protocol/muc#user";

let app: TestApp;
const entity = () => app.server.last;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const selfPresence = () =>
  xml(
    "presence",
    { from: `${ROOM}/alice`, to: `${ALICE}/r` },
    xml("x", { xmlns: MUC_USER }, xml("item", { affiliation: "owner", role: "moderator" }), xml("status", { code: "110" })),
  );
const fields = (x: Element | undefined) =>
  Object.fromEntries((x?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildText("value")]));
const bookmarkRequests = () =>
  entity().requests.filter(
    (r) => r.getChild("pubsub")?.getChild("publish") || r.getChild("pubsub", "http://jabber.org/protocol/pubsub#owner"),
  );

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  entity().requests.length = 0;
});

describe("bookmarks on a service refusing XEP-0402's publish-options", () => {
  it("publishes again with the basic options, then makes the node keep every bookmark", async () => {
    app.server.iqHandler = (iq) => {
      const options = fields(iq.getChild("pubsub")?.getChild("publish-options")?.getChild("x"));
      return "pubsub#max_items" in options ? new Error("resource-constraint: Unknown field 'pubsub#max_items'") : undefined;
    };
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(selfPresence());
    const [refused, basic, configure] = bookmarkRequests();
    expect(fields(refused?.getChild("pubsub")?.getChild("publish-options")?.getChild("x"))).toMatchObject({
      "pubsub#max_items": "max",
      "pubsub#send_last_published_item": "never",
    });
    expect(basic?.getChild("pubsub")?.getChild("publish")?.getChild("item")?.attrs.id).toBe(ROOM);
    expect(fields(basic?.getChild("pubsub")?.getChild("publish-options")?.getChild("x"))).toEqual({
      FORM_TYPE: "http://jabber.org/protocol/pubsub#publish-options",
      "pubsub#persist_items": "true",
      "pubsub#access_model": "whitelist",
    });
    const node = configure?.getChild("pubsub", "http://jabber.org/protocol/pubsub#owner")?.getChild("configure");
    expect(node?.attrs.node).toBe("urn:xmpp:bookmarks:1");
    expect(fields(node?.getChild("x"))).toMatchObject({
      FORM_TYPE: "http://jabber.org/protocol/pubsub#node_config",
      "pubsub#max_items": "max",
      "pubsub#access_model": "whitelist",
    });
    expect(bookmarkRequests()).toHaveLength(3);
    expect(app.facade.model.rooms.get(ROOM)?.state).toBe("joined");
  });

  it("a service taking XEP-0402's publish-options gets one publish and no node configuration", async () => {
    await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
    await incoming(selfPresence());
    expect(bookmarkRequests()).toHaveLength(1);
  });
});

describe("ejabberd's mediated invitation read back from my archive", () => {
  // ejabberd 23.01 forwarding carol's invitation to den (mod_muc_room, as seen on 127.0.0.1).
  const invitation = () =>
    xml(
      "message",
      { from: ROOM, to: ALICE, id: "inv-1" },
      xml("x", { xmlns: MUC_USER }, xml("invite", { from: "carol@example.org/node" }, xml("reason", {}, "come in"))),
      xml("x", { xmlns: "jabber:x:conference", jid: ROOM, reason: "come in" }),
      xml("body", { "xml:lang": "en" }, `carol@example.org/node invites you to the room ${ROOM} (come in) `),
    );
  const archived = (id: string, inner: Element) =>
    xml(
      "message",
      { to: `${ALICE}/porthole` },
      xml(
        "result",
        { xmlns: "urn:xmpp:mam:2", queryid: "q", id },
        xml(
          "forwarded",
          { xmlns: "urn:xmpp:forward:0" },
          xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2026-12-01T16:46:59.179312Z" }),
          inner,
        ),
      ),
    );

  it("live, it is a prompt naming the inviter's bare JID; from the archive, nothing in the room's chat", async () => {
    await incoming(invitation());
    expect(app.facade.model.invitations.get(ROOM)).toMatchObject({ from: "carol@example.org", kind: "mediated" });
    await incoming(archived("1796143620785076", invitation()));
    expect(messagesWith(app.facade.model.chats, ROOM)).toEqual([]);
    // an ordinary archived message from the same address still lands
    await incoming(archived("1796143620785077", xml("message", { from: ROOM, to: ALICE, id: "n-1" }, xml("body", {}, "hi"))));
    expect(messagesWith(app.facade.model.chats, ROOM).map((m) => m.body)).toEqual(["hi"]);
  });
});
