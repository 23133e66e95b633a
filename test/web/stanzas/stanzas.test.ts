// Stanza parsing and building (web/src/model/stanzas/stanzas.ts): RFC 6121 roster/presence/messages, XEP-0184, XEP-0203.
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { bareJid, isBareJid } from "../../../web/src/model/stanzas/jid";
import {
  availability,
  chatMessage,
  parseMessage,
  parsePresence,
  parseRoster,
  parseRosterPush,
  receipt,
  rosterRemove,
  rosterSet,
  subscription,
} from "../../../web/src/model/stanzas/stanzas";

describe("parsePresence", () => {
  it("reads availability, show, status and priority", () => {
    const p = parsePresence(
      xml(
        "presence",
        { from: "Bob@Example.org/phone" },
        xml("show", {}, "dnd"),
        xml("status", {}, "in a meeting"),
        xml("priority", {}, "5"),
      ),
    );
    expect(p).toEqual({
      from: "Bob@Example.org/phone",
      bare: "bob@example.org",
      resource: "phone",
      type: "available",
      show: "dnd",
      status: "in a meeting",
      priority: 5,
    });
  });
  it("treats unknown <show/> as available, clamps priority, keeps subscription types", () => {
    const p = parsePresence(xml("presence", { from: "a@b/c" }, xml("show", {}, "sleeping"), xml("priority", {}, "999")));
    expect(p?.show).toBe("available");
    expect(p?.priority).toBe(127);
    expect(parsePresence(xml("presence", { from: "a@b", type: "subscribe" }))?.type).toBe("subscribe");
  });
  it("rejects presences without a sender or with an unknown type", () => {
    expect(parsePresence(xml("presence", {}))).toBeNull();
    expect(parsePresence(xml("presence", { from: "a@b", type: "bogus" }))).toBeNull();
  });
});

describe("parseMessage", () => {
  it("reads body, id, type and a receipt request", () => {
    const m = parseMessage(
      xml(
        "message",
        { from: "bob@example.org/x", type: "chat", id: "m1" },
        xml("body", {}, "hi"),
        xml("request", { xmlns: "urn:xmpp:receipts" }),
      ),
      1000,
    );
    expect(m).toMatchObject({
      id: "m1",
      bare: "bob@example.org",
      type: "chat",
      body: "hi",
      at: 1000,
      receiptRequested: true,
      receiptFor: null,
    });
  });
  it("keeps markup in the body as text", () => {
    const el = xml("message", { from: "b@x", id: "2" }, xml("body", {}, "<img src=x onerror=alert(1)> & <b>bold</b>"));
    // Through the wire and back: serialization escapes, parsing restores the exact text.
    expect(el.toString()).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;");
    expect(parseMessage(el, 0)?.body).toBe("<img src=x onerror=alert(1)> & <b>bold</b>");
  });
  it("uses the XEP-0203 delay stamp as the time", () => {
    const m = parseMessage(
      xml(
        "message",
        { from: "b@x" },
        xml("body", {}, "old"),
        xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2026-01-02T03:04:05Z" }),
      ),
      5,
    );
    expect(m?.at).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
  });
  it("reads receipts and body-less messages", () => {
    const m = parseMessage(xml("message", { from: "b@x/r" }, xml("received", { xmlns: "urn:xmpp:receipts", id: "abc" })), 0);
    expect(m?.receiptFor).toBe("abc");
    expect(m?.body).toBeNull();
    expect(m?.type).toBe("normal");
  });
});

describe("roster", () => {
  it("parses a roster result", () => {
    const iq = xml(
      "iq",
      { type: "result" },
      xml(
        "query",
        { xmlns: "jabber:iq:roster" },
        xml("item", { jid: "Bob@Example.org", name: "Bob", subscription: "both" }, xml("group", {}, "Friends")),
        xml("item", { jid: "carol@example.org", ask: "subscribe" }),
        xml("item", {}),
      ),
    );
    expect(parseRoster(iq)).toEqual([
      { jid: "bob@example.org", name: "Bob", subscription: "both", ask: false, groups: ["Friends"] },
      { jid: "carol@example.org", name: "", subscription: "none", ask: true, groups: [] },
    ]);
  });
  it("accepts pushes only from my own account (RFC 6121 §2.1.6)", () => {
    const push = (from?: string, attrs: Record<string, string> = { jid: "dave@x", subscription: "remove" }) =>
      xml("iq", { type: "set", from }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", attrs)));
    expect(parseRosterPush(push(), "alice@x/r1")).toEqual([{ jid: "dave@x", removed: true }]);
    expect(parseRosterPush(push("alice@x"), "alice@x/r1")).toEqual([{ jid: "dave@x", removed: true }]);
    expect(parseRosterPush(push("mallory@evil"), "alice@x/r1")).toBeNull();
    expect(parseRosterPush(push(undefined, { jid: "dave@x", subscription: "to" }), "alice@x/r1")).toEqual([
      { jid: "dave@x", name: "", subscription: "to", ask: false, groups: [] },
    ]);
  });
});

describe("builders", () => {
  it("builds a chat message asking for a receipt and chat markers", () => {
    expect(chatMessage("bob@x", "a < b", "id1").toString()).toBe(
      '<message type="chat" to="bob@x" id="id1"><body>a &lt; b</body><request xmlns="urn:xmpp:receipts"/>' +
        '<markable xmlns="urn:xmpp:chat-markers:0"/><origin-id xmlns="urn:xmpp:sid:0" id="id1"/><active xmlns="http://jabber.org/protocol/chatstates"/></message>',
    );
    expect(receipt("bob@x/r", "id1").toString()).toBe(
      '<message to="bob@x/r" id="r-id1"><received xmlns="urn:xmpp:receipts" id="id1"/></message>',
    );
  });
  it("builds presences", () => {
    expect(availability("available", "").toString()).toBe("<presence/>");
    expect(availability("away", "lunch").toString()).toBe("<presence><show>away</show><status>lunch</status></presence>");
    expect(subscription("subscribed", "bob@x").toString()).toBe('<presence type="subscribed" to="bob@x"/>');
  });
  it("builds roster sets and removals", () => {
    expect(rosterSet("bob@x", "").toString()).toBe(
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@x"/></query></iq>',
    );
    expect(rosterSet("bob@x", "Bob").toString()).toContain('name="Bob"');
    expect(rosterRemove("bob@x").toString()).toContain('subscription="remove"');
  });
});

describe("jid", () => {
  it("validates bare addresses", () => {
    expect(isBareJid("alice@example.org")).toBe(true);
    expect(isBareJid("alice@localhost")).toBe(true);
    for (const bad of ["alice", "@x", "a@", "a b@x", "a@x/res", "a@b@c", "a@.x", "<a>@x"]) expect(isBareJid(bad)).toBe(false);
    expect(bareJid("Alice@X/Res/ource")).toBe("alice@x");
  });
});
