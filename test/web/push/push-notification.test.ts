// What the service worker shows for a push (web/src/push/push-notification.ts) and the XEP-0357
// enable/disable requests the PWA sends (web/src/push/push-stanzas.ts).
import { describe, expect, it } from "vitest";
import { notificationFor, OPEN_CHAT, openChatMessage, parsePushPayload } from "../../../web/src/push/push-notification";
import { disableIq, enableIq } from "../../../web/src/push/push-stanzas";

describe("push notification", () => {
  it("says New message from the sender, one per conversation, with no text unless the payload has it", () => {
    const n = notificationFor(parsePushPayload('{"sender":"bob@localhost","count":1}'));
    expect(n.title).toBe("New message from bob@localhost");
    expect(n.options).toMatchObject({ body: "", tag: "chat:bob@localhost", renotify: true, data: { chat: "bob@localhost" } });
    expect(notificationFor(parsePushPayload('{"sender":"bob@localhost","body":"lunch?"}')).options.body).toBe("lunch?");
  });

  it("a push without sender, or with a payload that is not ours, is a plain New message", () => {
    for (const text of [null, "", "not json", "[1]", '{"sender":5,"body":7,"count":"x"}']) {
      const n = notificationFor(parsePushPayload(text));
      expect(n.title, String(text)).toBe("New message");
      expect(n.options.body).toBe("");
      expect(n.options.tag).toBe("chat");
    }
    expect(parsePushPayload(JSON.stringify({ body: "x".repeat(2000) })).body).toHaveLength(500);
  });

  it("recognises only its own open-chat message", () => {
    expect(openChatMessage({ type: OPEN_CHAT, jid: "bob@localhost" })).toBe("bob@localhost");
    expect(openChatMessage({ type: "other", jid: "bob@localhost" })).toBeNull();
    expect(openChatMessage({ type: OPEN_CHAT, jid: "" })).toBeNull();
    expect(openChatMessage("porthole-open-chat")).toBeNull();
  });
});

describe("XEP-0357 requests", () => {
  it("enable names the push service, the node and the secret as a publish option", () => {
    const iq = enableIq("push.localhost", "NODE", "SECRET");
    expect(iq.attrs.type).toBe("set");
    const enable = iq.getChild("enable", "urn:xmpp:push:0");
    expect(enable?.attrs).toMatchObject({ jid: "push.localhost", node: "NODE" });
    const fields = enable?.getChild("x", "jabber:x:data")?.getChildren("field") ?? [];
    expect(Object.fromEntries(fields.map((f) => [f.attrs.var, f.getChildText("value")]))).toEqual({
      FORM_TYPE: "http://jabber.org/protocol/pubsub#publish-options",
      secret: "SECRET",
    });
    expect(enable?.getChild("x")?.attrs.type).toBe("submit");
  });

  it("disable names the same service and node", () => {
    expect(disableIq("push.localhost", "NODE").getChild("disable", "urn:xmpp:push:0")?.attrs).toMatchObject({
      jid: "push.localhost",
      node: "NODE",
    });
  });
});
