// The contact list order (web/src/model/roster/roster-proxy.ts): "free for chat" and available together
// first (by name), then away, extended away, do not disturb, offline (RFC 6121 §4.7.2.1 <show/>);
// a contact's shown state is its highest-priority resource, the more available one on a tie.
// And a roster push is kept on the device (receive-roster-push.ts), so a reload shows it at once.
import "fake-indexeddb/auto";
import { xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { RosterProxy } from "../../../web/src/model/roster/roster-proxy";
import type { Presence, Show } from "../../../web/src/model/stanzas/stanzas";
import { flush, testApp } from "../support/app";

const presence = (bare: string, show: "available" | Show, priority = 0, resource = "r"): Presence => ({
  from: `${bare}/${resource}`,
  bare,
  resource,
  type: "available",
  show,
  status: "",
  priority,
});

describe("contact order", () => {
  it("chat and available first by name, then away, xa, dnd, offline", () => {
    const roster = new RosterProxy();
    const names = ["dnd", "offline", "away", "zchat", "available", "xa"];
    roster.setAll(names.map((n) => ({ jid: `${n}@example.org`, name: n, subscription: "both", ask: false, groups: [] })));
    for (const n of ["dnd", "away", "xa"] as const) roster.applyPresence(presence(`${n}@example.org`, n));
    roster.applyPresence(presence("zchat@example.org", "chat"));
    roster.applyPresence(presence("available@example.org", "available"));
    expect(roster.contacts.value.map((c) => c.name)).toEqual(["available", "zchat", "away", "xa", "dnd", "offline"]);
  });

  it("shows the highest-priority resource; on equal priority the more available one", async () => {
    const roster = new RosterProxy();
    roster.setAll([{ jid: "bob@example.org", name: "Bob", subscription: "both", ask: false, groups: [] }]);
    roster.applyPresence(presence("bob@example.org", "dnd", 5, "desk"));
    roster.applyPresence(presence("bob@example.org", "chat", 1, "phone"));
    expect(roster.contacts.value[0]?.availability).toBe("dnd");
    roster.applyPresence(presence("bob@example.org", "away", 5, "laptop"));
    await flush(); // presence updates are coalesced per microtask
    expect(roster.contacts.value[0]?.availability).toBe("away");
    // The same, the other way round: a later, less available resource of equal priority does not win.
    roster.applyPresence(presence("bob@example.org", "xa", 5, "tablet"));
    await flush();
    expect(roster.contacts.value[0]?.availability).toBe("away");
  });
});

describe("roster pushes on the device", () => {
  it("keeps the roster after a push in the device history", async () => {
    const store = indexedDbStore(new IDBFactory());
    const app = testApp(undefined, [], store);
    await app.login();
    app.server.last.handlers.rosterPush(
      xml(
        "iq",
        { type: "set" },
        xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "carol@example.org", name: "Carol" })),
      ),
    );
    await app.facade.idle();
    await app.facade.model.device.saved();
    const kept = await store.load("alice@example.org");
    expect(kept.meta.roster?.map((i) => i.jid).sort()).toEqual(["bob@example.org", "carol@example.org"]);
  });
});
