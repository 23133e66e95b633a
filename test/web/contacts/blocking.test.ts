// Blocking (XEP-0191) as block-contact.ts, receive-block-push.ts and start-session.ts handle it: the
// blocklist at login, block/unblock sets (Conversations' IqGenerator shape), pushes only from my own
// account, an unblock-all push, and blocking someone whose subscription request waits.
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { parseBlockPush } from "../../../web/src/model/stanzas/blocking";
import { type TestApp, testApp } from "../support/app";

let app: TestApp;
const blocked = () => [...app.facade.model.blocklist.blocked.value].sort();
const push = (child: ReturnType<typeof xml>, from?: string) =>
  app.server.last.handlers.blockPush(xml("iq", { type: "set", from }, child));
const items = (...jids: string[]) => jids.map((jid) => xml("item", { jid }));

beforeEach(async () => {
  app = testApp();
  app.server.responders.push((iq) =>
    iq.getChild("blocklist", "urn:xmpp:blocking")
      ? xml("iq", { type: "result" }, xml("blocklist", { xmlns: "urn:xmpp:blocking" }, ...items("spam@example.org")))
      : null,
  );
  await app.login();
});

describe("blocklist", () => {
  it("is read at login", () => {
    expect(blocked()).toEqual(["spam@example.org"]);
  });

  it("block and unblock send the XEP's sets and update the list", async () => {
    app.server.last.receive(xml("presence", { from: "pest@example.org", type: "subscribe" }));
    await app.facade.idle();
    expect(app.facade.model.roster.requests.value).toEqual(["pest@example.org"]);
    await app.facade.send("BLOCK_CONTACT", { jid: "pest@example.org" });
    await app.facade.send("UNBLOCK_CONTACT", { jid: "spam@example.org" });
    const sets = app.server.last.requests.slice(-2).map(String);
    expect(sets).toEqual([
      '<iq type="set"><block xmlns="urn:xmpp:blocking"><item jid="pest@example.org"/></block></iq>',
      '<iq type="set"><unblock xmlns="urn:xmpp:blocking"><item jid="spam@example.org"/></unblock></iq>',
    ]);
    expect(blocked()).toEqual(["pest@example.org"]);
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });

  it("follows pushes from my own account, including unblock-all, and refuses others'", async () => {
    expect(push(xml("block", { xmlns: "urn:xmpp:blocking" }, ...items("a@example.org", "b@example.org")))).toBe(true);
    expect(push(xml("unblock", { xmlns: "urn:xmpp:blocking" }, ...items("a@example.org")), "alice@example.org")).toBe(true);
    await app.facade.idle();
    expect(blocked()).toEqual(["b@example.org", "spam@example.org"]);
    expect(push(xml("unblock", { xmlns: "urn:xmpp:blocking" }), "mallory@example.org/x")).toBe(false);
    await app.facade.idle();
    expect(blocked()).toEqual(["b@example.org", "spam@example.org"]);
    expect(push(xml("unblock", { xmlns: "urn:xmpp:blocking" }))).toBe(true);
    await app.facade.idle();
    expect(blocked()).toEqual([]);
  });

  it("a block push without items is not one", () => {
    expect(parseBlockPush(xml("iq", { type: "set" }, xml("block", { xmlns: "urn:xmpp:blocking" })), "alice@example.org")).toBe(
      null,
    );
  });

  it("refuses to block something that is not an address", async () => {
    await app.facade.send("BLOCK_CONTACT", { jid: "not an address" });
    expect(app.heard.at(-1)?.name).toBe("COMMAND_FAILED");
  });
});
