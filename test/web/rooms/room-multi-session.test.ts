// The same nickname joined from two devices of one account (XEP-0045 §7.2; ejabberd and Prosody both
// let one account's sessions share a nickname as one occupant). What the session already in the room
// receives when the other device joins and leaves, recorded from the servers on this machine (two
// @xmpp/client sessions of alice joining den@conference.localhost as "alice", then one leaving):
// - ejabberd 23.01: on the join, room/alice available WITHOUT status 110, its item naming the other
//   session (jid=alice@localhost/two); on the leave, nothing (only the leaving session gets its 110
//   unavailable);
// - Prosody 0.12.3: on the join and on the leave, room/alice available WITH 110 and one <item/> per
//   session (the other session's first).
// Neither is a second occupant, a rejoin (no second archive catch-up) or a departure of mine.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { MUC_USER, occupantPresence } from "./room-presence";

const ROOM = "den@conference.localhost";
let app: TestApp;
const incoming = async (el: Element) => {
  app.server.last.receive(el);
  await app.facade.idle();
};
const item = (resource: string) => xml("item", { role: "moderator", affiliation: "owner", jid: `alice@localhost/${resource}` });
/** ejabberd 23.01's presence to the first session when the second joins. */
const ejabberdOtherJoined = () =>
  xml("presence", { from: `${ROOM}/alice`, to: "alice@localhost/one" }, xml("x", { xmlns: MUC_USER }, item("two")));
/** Prosody 0.12's presence to the first session when the second joins or leaves. */
const prosodyBothSessions = () =>
  xml(
    "presence",
    { from: `${ROOM}/alice`, to: "alice@localhost/one" },
    xml("occupant-id", { xmlns: "urn:xmpp:occupant-id:0", id: "yGpih0awZLGX" }),
    xml("x", { xmlns: MUC_USER }, item("two"), item("one"), xml("status", { code: "110" })),
  );
const archiveQueries = () =>
  app.server.last.requests.filter((r) => r.attrs.to === ROOM && r.getChild("query", "urn:xmpp:mam:2")).length;

beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(occupantPresence(ROOM, "bob"));
  await incoming(occupantPresence(ROOM, "alice", [110]));
});

describe("my nickname from two devices", () => {
  const room = () => app.facade.model.rooms.get(ROOM);
  const expectStillIn = (queries: number) => {
    expect(room()).toMatchObject({ state: "joined", problem: null, synced: true });
    expect([...(room()?.occupants.keys() ?? [])].sort()).toEqual(["alice", "bob"]);
    expect(archiveQueries()).toBe(queries);
  };

  it("ejabberd: the other device's join (no 110) and its leave (nothing) leave me in, one occupant", async () => {
    const queries = archiveQueries();
    expect(queries).toBeGreaterThan(0);
    await incoming(ejabberdOtherJoined());
    expectStillIn(queries);
    expect(room()?.occupants.get("alice")?.role).toBe("moderator");
  });

  it("Prosody: the 110 presences on the other device's join and leave are no rejoin and no second me", async () => {
    const queries = archiveQueries();
    await incoming(prosodyBothSessions());
    expectStillIn(queries);
    await incoming(prosodyBothSessions());
    expectStillIn(queries);
  });

  it("my own 110 unavailable (this session leaving, or removed) still says I am out", async () => {
    await incoming(
      xml(
        "presence",
        { from: `${ROOM}/alice`, type: "unavailable" },
        xml("x", { xmlns: MUC_USER }, xml("item", { role: "none", affiliation: "owner" }), xml("status", { code: "110" })),
      ),
    );
    expect(room()?.state).toBe("left");
    expect(room()?.occupants.has("alice")).toBe(false);
  });
});
