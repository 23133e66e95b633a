// A removed contact's conversation keeps the name I gave them (web/src/model/roster/roster-proxy.ts
// formerNames): removed here (a roster push), or on another device while this one was away (the next
// roster get no longer has them), and after a reload (device history meta "formerNames").
import "fake-indexeddb/auto";
import { xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { displayName, withFormerNames } from "../../../web/src/views/avatar/display-name";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";

const BOB = "bob@example.org";
const CAROL = "carol@example.org";
const shownName = (app: TestApp, jid: string) => {
  const { roster, avatars } = app.facade.model;
  return displayName(jid, roster.get(jid)?.name, withFormerNames(roster.formerNames.value, avatars.nicks.value));
};
const removalPush = (jid: string) =>
  xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid, subscription: "remove" })));

describe("the name of a removed contact", () => {
  it("stays with the conversation after a removal, a removal elsewhere, and a reload", async () => {
    const store = indexedDbStore(new IDBFactory());
    const server = new FakeServer();
    server.roster = [
      [BOB, "Bob", "both"],
      [CAROL, "Carol", "both"],
    ];
    const first = testApp(undefined, [], store, server);
    await first.login();
    expect(shownName(first, BOB)).toBe("Bob");
    // Removed here: the server's push takes bob out of the roster.
    server.last.handlers.rosterPush(removalPush(BOB));
    await first.facade.idle();
    expect(first.facade.model.roster.get(BOB)).toBeUndefined();
    expect(shownName(first, BOB)).toBe("Bob");

    // Removed on another device while this one was away: the next session's roster has no carol.
    server.roster = [];
    server.last.drop();
    server.last.reconnect();
    await first.facade.idle();
    expect(first.facade.model.roster.get(CAROL)).toBeUndefined();
    expect(shownName(first, CAROL)).toBe("Carol");
    await first.facade.model.device.saved();

    // A reload, offline: both names come back from the device.
    server.reachable.clear();
    const second = testApp(undefined, [], store, server);
    for (const [k, v] of first.storage) second.storage.set(k, v);
    await second.facade.send("STARTUP");
    await second.facade.idle();
    expect([shownName(second, BOB), shownName(second, CAROL)]).toEqual(["Bob", "Carol"]);
  });
});
