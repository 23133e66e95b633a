// Commands of the chat and contact use cases against a fake XMPP entity capturing outgoing stanzas.
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { flush, type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

let app: TestApp;
const sent = () => app.server.last.sent.map(String);
const incoming = (el: ReturnType<typeof xml>) => {
  app.server.last.receive(el);
  return app.facade.idle();
};

beforeEach(async () => {
  app = testApp();
  await app.login();
  app.server.last.sent.length = 0;
  app.server.last.requests.length = 0;
});

describe("send-message", () => {
  it("sends a chat message with a receipt request and tracks sent → delivered", async () => {
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "hello <b>bob</b>\n" });
    const stanza = app.server.last.sent[0];
    expect(stanza?.attrs).toMatchObject({ type: "chat", to: "bob@example.org" });
    expect(stanza?.getChildText("body")).toBe("hello <b>bob</b>");
    const id = stanza?.attrs.id as string;
    const thread = () => messagesWith(app.facade.model.chats, "bob@example.org");
    expect(thread()).toMatchObject([{ id, direction: "out", body: "hello <b>bob</b>", state: "sent" }]);
    await incoming(xml("message", { from: "bob@example.org/x" }, xml("received", { xmlns: "urn:xmpp:receipts", id })));
    expect(thread()[0]?.state).toBe("delivered");
  });

  it("marks a message failed when the server bounces it", async () => {
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "x" });
    const id = app.server.last.sent[0]?.attrs.id as string;
    await incoming(xml("message", { from: "bob@example.org", type: "error", id }, xml("error", { type: "cancel" })));
    expect(messagesWith(app.facade.model.chats, "bob@example.org")[0]?.state).toBe("failed");
  });

  it("ignores blank messages and refuses bad addresses", async () => {
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "  \n " });
    await app.facade.send("SEND_MESSAGE", { to: "not an address", body: "x" });
    expect(sent()).toEqual([]);
    expect(app.heard.at(-1)?.name).toBe("COMMAND_FAILED");
  });
});

describe("receive-message", () => {
  const msg = (id: string, body: string) =>
    xml(
      "message",
      { from: "bob@example.org/phone", type: "chat", id },
      xml("body", {}, body),
      xml("request", { xmlns: "urn:xmpp:receipts" }),
    );

  it("adds to the thread, counts unread while the chat is closed, answers the receipt", async () => {
    await incoming(msg("a1", "<script>alert(1)</script>"));
    const { chats } = app.facade.model;
    expect(messagesWith(chats, "bob@example.org")).toMatchObject([
      { id: "a1", direction: "in", body: "<script>alert(1)</script>" },
    ]);
    expect(chats.unread.value.get("bob@example.org")).toBe(1);
    expect(sent()).toEqual([
      '<message to="bob@example.org/phone" id="r-a1"><received xmlns="urn:xmpp:receipts" id="a1"/></message>',
    ]);
  });

  it("deduplicates by stanza id (redelivery after reconnection)", async () => {
    await incoming(msg("a1", "once"));
    await incoming(msg("a1", "once"));
    expect(messagesWith(app.facade.model.chats, "bob@example.org")).toHaveLength(1);
    expect(app.facade.model.chats.unread.value.get("bob@example.org")).toBe(1);
  });

  it("keeps conversations with people outside the roster, most recent first", async () => {
    await incoming(xml("message", { from: "stranger@example.org/x", type: "chat", id: "s1" }, xml("body", {}, "hello?")));
    await incoming(msg("a1", "hi"));
    expect(app.facade.model.chats.peers.value).toEqual(["bob@example.org", "stranger@example.org"]);
    expect(app.facade.model.chats.unread.value.get("stranger@example.org")).toBe(1);
    expect(app.facade.model.roster.get("stranger@example.org")).toBeUndefined();
  });

  it("does not count unread for the open chat; opening a chat clears its count", async () => {
    await incoming(msg("a1", "one"));
    await app.facade.send("OPEN_CHAT", { jid: "bob@example.org" });
    expect(app.facade.model.chats.unread.value.size).toBe(0);
    await incoming(msg("a2", "two"));
    expect(app.facade.model.chats.totalUnread.value).toBe(0);
    await app.facade.send("CLOSE_CHAT");
    expect(app.facade.model.chats.active.value).toBeNull();
  });
});

describe("contacts and subscriptions", () => {
  it("add-contact: roster set then subscribe; the roster push adds the contact", async () => {
    await app.facade.send("ADD_CONTACT", { jid: " Carol@Example.org ", name: "Carol" });
    expect(app.server.last.requests.map(String)).toEqual([
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="carol@example.org" name="Carol"/></query></iq>',
    ]);
    expect(sent()).toEqual(['<presence type="subscribe" to="carol@example.org"/>']);
    const ack = app.server.last.handlers.rosterPush(
      xml(
        "iq",
        { type: "set" },
        xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "carol@example.org", name: "Carol", ask: "subscribe" })),
      ),
    );
    expect(ack).toBe(true);
    await app.facade.idle();
    await flush();
    expect(app.facade.model.roster.contacts.value.map((c) => [c.jid, c.ask])).toEqual([
      ["bob@example.org", false],
      ["carol@example.org", true],
    ]);
  });

  it("add-contact refuses invalid and own addresses", async () => {
    await app.facade.send("ADD_CONTACT", { jid: "carol", name: "" });
    await app.facade.send("ADD_CONTACT", { jid: "alice@example.org", name: "" });
    expect(app.heard.filter((h) => h.name === "COMMAND_FAILED")).toHaveLength(2);
    expect(app.server.last.requests).toEqual([]);
  });

  it("ignores roster pushes from anyone but my server", async () => {
    const ack = app.server.last.handlers.rosterPush(
      xml(
        "iq",
        { type: "set", from: "mallory@evil.example" },
        xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "x@y" })),
      ),
    );
    expect(ack).toBe(false);
  });

  it("remove-contact: roster remove; the push removes it and closes its chat", async () => {
    await app.facade.send("OPEN_CHAT", { jid: "bob@example.org" });
    await app.facade.send("REMOVE_CONTACT", { jid: "bob@example.org" });
    expect(app.server.last.requests.map(String)).toEqual([
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" subscription="remove"/></query></iq>',
    ]);
    app.server.last.handlers.rosterPush(
      xml(
        "iq",
        { type: "set" },
        xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "bob@example.org", subscription: "remove" })),
      ),
    );
    await app.facade.idle();
    await flush();
    expect(app.facade.model.roster.contacts.value).toEqual([]);
    expect(app.facade.model.chats.active.value).toBeNull();
  });

  it("a subscription request is listed; approve sends subscribed and subscribes back", async () => {
    await incoming(xml("presence", { from: "dave@example.org", type: "subscribe" }));
    expect(app.facade.model.roster.requests.value).toEqual(["dave@example.org"]);
    await app.facade.send("APPROVE_SUBSCRIPTION", { jid: "dave@example.org" });
    expect(sent()).toEqual([
      '<presence type="subscribed" to="dave@example.org"/>',
      '<presence type="subscribe" to="dave@example.org"/>',
    ]);
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });

  it("deny sends unsubscribed and drops the request", async () => {
    await incoming(xml("presence", { from: "dave@example.org", type: "subscribe" }));
    await app.facade.send("DENY_SUBSCRIPTION", { jid: "dave@example.org" });
    expect(sent()).toEqual(['<presence type="unsubscribed" to="dave@example.org"/>']);
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });

  it("a request from a contact who already sees my presence is approved at once", async () => {
    await incoming(xml("presence", { from: "bob@example.org", type: "subscribe" }));
    expect(sent()).toEqual(['<presence type="subscribed" to="bob@example.org"/>']);
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });
});

describe("presence", () => {
  it("set-presence sends show and status and remembers them", async () => {
    await app.facade.send("SET_PRESENCE", { show: "dnd", status: "  busy  " });
    expect(sent()).toEqual(["<presence><show>dnd</show><status>busy</status></presence>"]);
    expect(app.facade.model.xmpp.presence.value).toEqual({ show: "dnd", status: "busy" });
  });

  it("set-presence refuses unknown values", async () => {
    await app.facade.send("SET_PRESENCE", { show: "invisible" as "away", status: "" });
    expect(sent()).toEqual([]);
    expect(app.heard.at(-1)?.name).toBe("COMMAND_FAILED");
  });

  it("contact presence shows the highest-priority resource and goes offline with the last one", async () => {
    const contact = () => app.facade.model.roster.contacts.value[0];
    await incoming(xml("presence", { from: "bob@example.org/a" }, xml("show", {}, "away"), xml("priority", {}, "1")));
    await incoming(
      xml(
        "presence",
        { from: "bob@example.org/b" },
        xml("show", {}, "dnd"),
        xml("status", {}, "coding"),
        xml("priority", {}, "5"),
      ),
    );
    await flush();
    expect(contact()).toMatchObject({ availability: "dnd", status: "coding" });
    await incoming(xml("presence", { from: "bob@example.org/b", type: "unavailable" }));
    await flush();
    expect(contact()?.availability).toBe("away");
    await incoming(xml("presence", { from: "bob@example.org/a", type: "unavailable" }));
    await flush();
    expect(contact()?.availability).toBe("offline");
  });
});
