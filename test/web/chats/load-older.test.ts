// Paging back through one chat's server archive (load-older.ts, archive-proxy.ts): XEP-0313 queries
// filtered `with` the contact, paged with RSM `before` (XEP-0059 §2.5), against the fake server's
// Prosody-shaped archive; older messages merge in time order, without duplicates, and count as read.
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { mamPageBefore } from "../../../web/src/model/stanzas/stanzas-sync";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const CAROL = "carol@example.org";
const ALICE = "alice@example.org";

const from = (peer: string, n: number) => ({
  id: `a${String(n).padStart(3, "0")}`,
  message: xml("message", { from: `${peer}/phone`, to: ALICE, type: "chat", id: `m${n}` }, xml("body", {}, `${peer} ${n}`)),
  stamp: new Date(Date.UTC(2023, 10, 14, 12, 0, n)).toISOString(),
});

let server: FakeServer;
let app: TestApp;
const bodies = () => messagesWith(app.facade.model.chats, BOB).map((m) => m.body);
const mamQueries = () => server.last.requests.filter((r) => r.getChild("query", "urn:xmpp:mam:2"));
const older = async () => {
  await app.facade.send("LOAD_OLDER", { jid: BOB });
  await app.facade.idle();
};

beforeEach(async () => {
  server = new FakeServer();
  // 120 messages from bob and, between them, 30 from carol (another chat: never in bob's pages).
  for (let n = 1; n <= 150; n++) server.archive.push(from(n % 5 === 0 ? CAROL : BOB, n));
  app = testApp(undefined, [], undefined, server);
  await app.login(); // a new device: the newest 50 of the whole archive
});

describe("older history of one chat", () => {
  it("pages back with `with` and `before` until the archive's start, in order, without duplicates", async () => {
    const first = bodies();
    expect(first.length).toBe(40); // bob's share of the newest 50
    expect(app.facade.model.archive.state(BOB)).toBe("more");
    await older();
    const q = mamQueries().at(-1)?.getChild("query");
    const field = (name: string) =>
      q
        ?.getChild("x", "jabber:x:data")
        ?.getChildren("field")
        .find((f) => f.attrs.var === name)
        ?.getChildText("value");
    expect(field("with")).toBe(BOB);
    // The oldest message here came from the archive: its archive id is where the page ends.
    expect(q?.getChild("set")?.getChildText("before")).toBe("a101");
    expect(bodies().length).toBe(90);
    expect(app.facade.model.archive.state(BOB)).toBe("more");
    await older();
    // The next page ends where the previous one began (RSM <first/>), not at a local message.
    expect(mamQueries().at(-1)?.getChild("query")?.getChild("set")?.getChildText("before")).toBe("a038");
    expect(app.facade.model.archive.state(BOB)).toBe("complete");
    const all = bodies();
    const expected = Array.from({ length: 150 }, (_, i) => i + 1)
      .filter((n) => n % 5 !== 0)
      .map((n) => `${BOB} ${n}`);
    expect(all).toEqual(expected);
    // Nothing older is asked for once the start is reached.
    const asked = mamQueries().length;
    await older();
    expect(mamQueries().length).toBe(asked);
  });

  it("keeps the archive's order when every message carries the same second (Prosody stamps whole seconds)", async () => {
    server = new FakeServer();
    for (let n = 1; n <= 120; n++) server.archive.push({ ...from(BOB, n), stamp: "2023-11-14T12:00:00Z" });
    app = testApp(undefined, [], undefined, server);
    await app.login();
    await older();
    await older();
    expect(app.facade.model.archive.state(BOB)).toBe("complete");
    expect(bodies()).toEqual(Array.from({ length: 120 }, (_, i) => `${BOB} ${i + 1}`));
  });

  it("older messages are not counted unread", async () => {
    const unread = () => app.facade.model.chats.unread.value.get(BOB) ?? 0;
    const before = unread();
    await older();
    expect(bodies().length).toBe(90);
    expect(unread()).toBe(before);
  });

  it("a chat whose messages have no archive id pages back from its oldest message's time", async () => {
    server.last.receive(xml("message", { from: `${CAROL}/x`, to: ALICE, type: "chat", id: "live-1" }, xml("body", {}, "live")));
    await app.facade.idle();
    const oldestCarol = app.facade.model.chats.live(CAROL).list[0];
    await app.facade.send("LOAD_OLDER", { jid: CAROL });
    await app.facade.idle();
    const q = mamQueries().at(-1)?.getChild("query");
    expect(q?.getChild("set")?.getChildText("before")).toBe(oldestCarol?.stanzaId ? oldestCarol.stanzaId : "");
    const end = q
      ?.getChild("x", "jabber:x:data")
      ?.getChildren("field")
      .find((f) => f.attrs.var === "end")
      ?.getChildText("value");
    if (!oldestCarol?.stanzaId) expect(end).toBe(new Date(oldestCarol?.at ?? 0).toISOString());
  });

  it("a failed query can be retried; offline asks nothing", async () => {
    const real = server.archiveQuery.bind(server);
    server.archiveQuery = () => {
      throw new Error("internal-server-error");
    };
    await older();
    expect(app.facade.model.archive.state(BOB)).toBe("failed");
    server.archiveQuery = real;
    await older();
    expect(app.facade.model.archive.state(BOB)).toBe("more");
    expect(bodies().length).toBe(90);
    server.last.drop();
    const asked = mamQueries().length;
    await older();
    expect(mamQueries().length).toBe(asked);
  });

  it("logging out forgets where each archive was", async () => {
    await older();
    await older();
    expect(app.facade.model.archive.state(BOB)).toBe("complete");
    await app.facade.send("LOGOUT", { clearHistory: false });
    await app.facade.idle();
    expect(app.facade.model.archive.state(BOB)).toBe("more");
    expect(app.facade.model.archive.cursor(BOB)).toBeNull();
  });
});

describe("mamPageBefore", () => {
  it("builds the query Converse.js and Conversations send: with, RSM before, optional end", () => {
    const byId = mamPageBefore("q1", BOB, { id: "x9" }, 50);
    expect(byId.toString()).toBe(
      '<iq type="set"><query xmlns="urn:xmpp:mam:2" queryid="q1"><x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE" type="hidden"><value>urn:xmpp:mam:2</value></field><field var="with"><value>bob@example.org</value></field></x><set xmlns="http://jabber.org/protocol/rsm"><max>50</max><before>x9</before></set></query></iq>',
    );
    const byTime = mamPageBefore("q2", BOB, { end: Date.UTC(2023, 0, 2, 3, 4, 5) }, 10);
    expect(byTime.toString()).toContain('<field var="end"><value>2023-01-02T03:04:05.000Z</value></field>');
    expect(byTime.toString()).toContain("<before/>");
    expect(mamPageBefore("q3", BOB, { end: null }, 10).toString()).not.toContain('var="end"');
  });
});
