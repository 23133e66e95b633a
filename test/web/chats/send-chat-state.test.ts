// Sending my chat state (web/src/commands/chat/send-chat-state.ts, XEP-0085 §5.5): a standalone
// notification marked no-store (XEP-0334), only to a bare JID (or a room occupant, rooms/private-messages.test.ts) and only while online; offline it is
// dropped quietly (a typing notice is not worth queueing). Also the message length limit
// (send-message.ts, MAX_BODY characters after trimming the end).
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_BODY } from "../../../web/src/app/limits";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

let app: TestApp;
const sent = () => app.server.last.sent.map(String);

beforeEach(async () => {
  app = testApp();
  await app.login();
  app.server.last.sent.length = 0;
});

describe("send-chat-state", () => {
  it("sends composing / paused / active to the contact", async () => {
    await app.facade.send("SEND_CHAT_STATE", { to: "bob@example.org", state: "composing" });
    await app.facade.send("SEND_CHAT_STATE", { to: "bob@example.org", state: "paused" });
    expect(sent()).toEqual([
      '<message type="chat" to="bob@example.org"><composing xmlns="http://jabber.org/protocol/chatstates"/><no-store xmlns="urn:xmpp:hints"/></message>',
      '<message type="chat" to="bob@example.org"><paused xmlns="http://jabber.org/protocol/chatstates"/><no-store xmlns="urn:xmpp:hints"/></message>',
    ]);
  });

  it("sends nothing to a full JID that is no room occupant, nor to a non-address, and nothing (no error) while offline", async () => {
    await app.facade.send("SEND_CHAT_STATE", { to: "bob@example.org/phone", state: "composing" });
    await app.facade.send("SEND_CHAT_STATE", { to: "not an address", state: "composing" });
    expect(sent()).toEqual([]);
    app.server.last.drop();
    await app.facade.send("SEND_CHAT_STATE", { to: "bob@example.org", state: "active" });
    expect(sent()).toEqual([]);
    expect(app.names()).not.toContain("COMMAND_FAILED");
  });
});

describe("send-message length limit", () => {
  it("accepts exactly MAX_BODY characters and refuses one more", async () => {
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: `${"x".repeat(MAX_BODY)}   ` });
    expect(app.names()).not.toContain("COMMAND_FAILED");
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "x".repeat(MAX_BODY + 1) });
    expect(app.names().filter((n) => n === "COMMAND_FAILED")).toHaveLength(1);
    expect(messagesWith(app.facade.model.chats, "bob@example.org").map((m) => m.body.length)).toEqual([MAX_BODY]);
  });
});
