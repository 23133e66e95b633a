// What counts as unread (web/src/commands/chat/receive-message.ts): incoming messages, live or from the
// archive; not the archive's first fill of a new device (old news, catch-up.ts reads it quietly),
// but a live message arriving during that fill still counts; never my own messages (sent carbons);
// a message in the open chat while the page is hidden (nobody sees it).
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";
let app: TestApp;
const incoming = (el: Element) => {
  app.server.last.receive(el);
  return app.facade.idle();
};
const fromBob = (id: string) => xml("message", { from: `${BOB}/phone`, to: ALICE, type: "chat", id }, xml("body", {}, id));
const archived = (archiveId: string, inner: Element) =>
  xml(
    "message",
    { to: `${ALICE}/porthole` },
    xml(
      "result",
      { xmlns: "urn:xmpp:mam:2", queryid: "q", id: archiveId },
      xml(
        "forwarded",
        { xmlns: "urn:xmpp:forward:0" },
        xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2023-11-14T22:00:00Z" }),
        inner,
      ),
    ),
  );
const unread = () => app.facade.model.chats.unread.value.get(BOB) ?? 0;

beforeEach(async () => {
  app = testApp();
  await app.login();
});

describe("unread counts", () => {
  it("an archive result counts as unread outside the first fill, not during it", async () => {
    await incoming(archived("arch-1", fromBob("b1")));
    expect(unread()).toBe(1);
    await app.facade.model.chats.readArchiveQuietly(() => incoming(archived("arch-2", fromBob("b2"))));
    expect(unread()).toBe(1);
    // Once the quiet read is over, archive results count again.
    await incoming(archived("arch-3", fromBob("b3")));
    expect(unread()).toBe(2);
  });

  it("a live message during the first fill still counts", async () => {
    await app.facade.model.chats.readArchiveQuietly(() => incoming(fromBob("live-1")));
    expect(unread()).toBe(1);
  });

  it("my own messages from another client (sent carbons, archived) never count", async () => {
    const mine = (id: string) => xml("message", { from: `${ALICE}/phone`, to: BOB, type: "chat", id }, xml("body", {}, id));
    await incoming(
      xml(
        "message",
        { from: ALICE },
        xml("sent", { xmlns: "urn:xmpp:carbons:2" }, xml("forwarded", { xmlns: "urn:xmpp:forward:0" }, mine("m1"))),
      ),
    );
    await incoming(archived("arch-3", mine("m2")));
    expect(messagesWith(app.facade.model.chats, BOB).map((m) => `${m.id}:${m.direction}`)).toEqual(["m2:out", "m1:out"]);
    expect(unread()).toBe(0);
  });

  it("a message in the open chat counts unread while the page is hidden, and is read when it comes back", async () => {
    await app.facade.send("OPEN_CHAT", { jid: BOB });
    await incoming(fromBob("seen"));
    expect(unread()).toBe(0);
    await app.facade.send("PAGE_VISIBILITY", { visible: false });
    await incoming(fromBob("while hidden 1"));
    await incoming(fromBob("while hidden 2"));
    expect(unread()).toBe(2);
    await app.facade.send("PAGE_VISIBILITY", { visible: true });
    expect(unread()).toBe(0);
    // The log shows where the unseen ones start.
    expect(app.facade.model.chats.firstUnreadAtOpen(BOB)?.body).toBe("while hidden 1");
    await incoming(fromBob("seen again"));
    expect(unread()).toBe(0);
  });
});
