// The contact flow as add-contact.ts, rename-contact.ts, delete-chat.ts and the confirmations
// (CONTACT_DONE) carry it: pre-approval (RFC 6121 §3.4) only when the server advertises it, a
// rename that keeps groups, and deleting a stranger's conversation (never a contact's).
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import type { HistoryStore } from "../../../web/src/model/device/history-store";
import { noStore } from "../../../web/src/model/device/history-store";
import { flush, type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

let app: TestApp;
const deleted: string[] = [];
const store: HistoryStore = { ...noStore, deleteChat: async (_a, peer) => void deleted.push(peer) };
const sent = () => app.server.last.sent.map(String);
const done = () => app.heard.filter((h) => h.name === "CONTACT_DONE").map((h) => (h.body as { message: string }).message);

beforeEach(() => {
  deleted.length = 0;
  app = testApp(undefined, [], store);
  app.server.roster = [["bob@example.org", "Bob", "both"]];
});

describe("adding a contact", () => {
  it("pre-approves them when the server advertises pre-approval, then asks, and confirms", async () => {
    app.server.streamFeatures = new Set(["urn:xmpp:features:pre-approval"]);
    await app.login();
    app.server.last.sent.length = 0;
    await app.facade.send("ADD_CONTACT", { jid: " Carol@Example.org ", name: "Carol" });
    expect(app.server.last.requests.at(-1)?.toString()).toContain('<item jid="carol@example.org" name="Carol"/>');
    expect(sent()).toEqual([
      '<presence type="subscribed" to="carol@example.org"/>',
      '<presence type="subscribe" to="carol@example.org"/>',
    ]);
    expect(done()).toEqual(["Added carol@example.org. You see each other's presence once they accept."]);
  });

  it("only asks when the server has no pre-approval (their request is approved when it comes)", async () => {
    await app.login();
    app.server.last.sent.length = 0;
    await app.facade.send("ADD_CONTACT", { jid: "carol@example.org", name: "" });
    expect(sent()).toEqual(['<presence type="subscribe" to="carol@example.org"/>']);
  });
});

describe("renaming a contact", () => {
  it("sets the new name and keeps the groups", async () => {
    await app.login();
    app.server.last.handlers.rosterPush(
      xml(
        "iq",
        { type: "set" },
        xml(
          "query",
          { xmlns: "jabber:iq:roster" },
          xml("item", { jid: "bob@example.org", name: "Bob", subscription: "both" }, xml("group", {}, "Work")),
        ),
      ),
    );
    await app.facade.idle();
    await app.facade.send("RENAME_CONTACT", { jid: "bob@example.org", name: "  Robert   B. " });
    expect(app.server.last.requests.at(-1)?.toString()).toBe(
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" name="Robert B."><group>Work</group></item></query></iq>',
    );
    expect(done()).toEqual(["Renamed bob@example.org: Robert B."]);
  });
});

describe("deleting a stranger's conversation", () => {
  it("forgets it here and on the device; a contact's conversation is not deleted this way", async () => {
    await app.login();
    app.server.last.receive(xml("message", { from: "stranger@example.org/x", type: "chat", id: "s1" }, xml("body", {}, "hi")));
    app.server.last.receive(xml("message", { from: "bob@example.org/x", type: "chat", id: "b1" }, xml("body", {}, "hey")));
    await app.facade.idle();
    await flush();
    const { chats } = app.facade.model;
    expect(chats.peers.value).toContain("stranger@example.org");
    await app.facade.send("DELETE_CHAT", { jid: "stranger@example.org" });
    await app.facade.send("DELETE_CHAT", { jid: "bob@example.org" });
    await app.facade.model.device.saved();
    expect(chats.peers.value).toEqual(["bob@example.org"]);
    expect(messagesWith(chats, "stranger@example.org")).toEqual([]);
    expect(chats.unread.value.has("stranger@example.org")).toBe(false);
    expect(deleted).toEqual(["stranger@example.org"]);
    expect(app.heard.at(-1)?.name).toBe("COMMAND_FAILED");
  });
});
