// The roster proxy at scale: 5,000 contacts, a burst of presences coalesced into one update, stable sort.
import { effect } from "@preact/signals";
import { describe, expect, it } from "vitest";
import { RosterProxy } from "../../../web/src/model/roster/roster-proxy";
import type { RosterItem } from "../../../web/src/model/stanzas/stanzas";
import { flush } from "../support/app";

const items = (n: number): RosterItem[] =>
  Array.from({ length: n }, (_, i) => ({
    jid: `user${i}@example.org`,
    name: `User ${i}`,
    subscription: "both",
    ask: false,
    groups: [],
  }));

describe("RosterProxy with 5,000 contacts", () => {
  it("sorts available contacts first, then by name with numeric collation", async () => {
    const roster = new RosterProxy();
    roster.setAll(items(5000));
    roster.applyPresence({
      from: "user4999@example.org/r",
      bare: "user4999@example.org",
      resource: "r",
      type: "available",
      show: "available",
      status: "",
      priority: 0,
    });
    roster.applyPresence({
      from: "user7@example.org/r",
      bare: "user7@example.org",
      resource: "r",
      type: "available",
      show: "dnd",
      status: "",
      priority: 0,
    });
    await flush();
    const list = roster.contacts.value;
    expect(list).toHaveLength(5000);
    expect(list.slice(0, 4).map((c) => c.name)).toEqual(["User 4999", "User 7", "User 0", "User 1"]);
    expect(list[12]?.name).toBe("User 11"); // 0..6, 8, 9, 10, 11: numeric, not "User 10" < "User 2"
  });

  it("recomputes once for a burst of 5,000 presences, not 5,000 times", async () => {
    const roster = new RosterProxy();
    roster.setAll(items(5000));
    await flush();
    let computations = 0;
    const stop = effect(() => {
      roster.contacts.value;
      computations++;
    });
    computations = 0;
    for (let i = 0; i < 5000; i++) {
      const bare = `user${i}@example.org`;
      roster.applyPresence({ from: `${bare}/r`, bare, resource: "r", type: "available", show: "away", status: "", priority: 0 });
    }
    await flush();
    stop();
    expect(computations).toBe(1);
    expect(roster.contacts.value.every((c) => c.availability === "away")).toBe(true);
  });

  it("tracks inbound subscription requests without duplicates", () => {
    const roster = new RosterProxy();
    roster.addRequest("a@x");
    roster.addRequest("a@x");
    roster.addRequest("b@x");
    roster.removeRequest("a@x");
    expect(roster.requests.value).toEqual(["b@x"]);
  });
});
