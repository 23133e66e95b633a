// The device history (IndexedDB via fake-indexeddb), the outbox, archive catch-up (XEP-0313) and
// carbons (XEP-0280), through the facade over a fake XMPP entity. A "reload" is a new facade over the
// same IndexedDB and localStorage.
import "fake-indexeddb/auto";
import { xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { type HistoryStore, indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const ALICE = "alice@example.org";
let store: HistoryStore;
let server: FakeServer;

/** A new page over the same device, once the previous page's writes are on disk. */
async function reload(previous?: TestApp): Promise<TestApp> {
  await previous?.facade.idle();
  await previous?.facade.model.device.saved();
  const app = testApp(undefined, [], store, server);
  for (const [k, v] of previous?.storage ?? []) app.storage.set(k, v);
  return app;
}
const thread = (app: TestApp) => messagesWith(app.facade.model.chats, BOB);
const bodies = (app: TestApp) => thread(app).map((m) => `${m.direction}:${m.body}:${m.state}`);
const fromBob = (id: string, body: string, stanzaId?: string) =>
  xml(
    "message",
    { from: `${BOB}/phone`, to: ALICE, type: "chat", id },
    xml("body", {}, body),
    stanzaId ? xml("stanza-id", { xmlns: "urn:xmpp:sid:0", by: ALICE, id: stanzaId }) : null,
  );
const toBob = (id: string, body: string) =>
  xml(
    "message",
    { from: `${ALICE}/other`, to: BOB, type: "chat", id },
    xml("body", {}, body),
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
  );

beforeEach(() => {
  store = indexedDbStore(new IDBFactory());
  server = new FakeServer();
});

describe("history-store", () => {
  it("keeps messages and meta per account, and clears one account only", async () => {
    const m = { id: "1", peer: BOB, direction: "in" as const, body: "hi", at: 1, state: "delivered" as const };
    await store.putMessages(ALICE, [m]);
    await store.putMessages("carol@example.org", [{ ...m, body: "other account" }]);
    await store.putMeta(ALICE, "unread", [[BOB, 2]]);
    expect(await store.load(ALICE)).toEqual({ messages: [m], meta: { unread: [[BOB, 2]] } });
    await store.clear(ALICE);
    expect(await store.load(ALICE)).toEqual({ messages: [], meta: {} });
    expect((await store.load("carol@example.org")).messages.map((x) => x.body)).toEqual(["other account"]);
  });
});

describe("history on the device", () => {
  it("shows the last history at once after a reload, resumes with the saved SCRAM keys (no password kept)", async () => {
    const first = await reload();
    await first.login();
    server.last.receive(fromBob("b1", "hello", "arch-1"));
    await first.facade.send("SEND_MESSAGE", { to: BOB, body: "hi bob" });
    await first.facade.model.device.saved();
    expect(JSON.stringify(await store.load(ALICE))).not.toContain("secret");

    server.reachable.clear(); // the network is gone
    const second = await reload(first);
    await second.facade.send("STARTUP");
    await second.facade.model.device.saved();
    expect(bodies(second)).toEqual(["in:hello:delivered", "out:hi bob:sent"]);
    expect(second.facade.model.roster.get(BOB)?.name).toBe("Bob");
    expect(second.facade.model.xmpp.state.value).toBe("reconnecting");
    expect(second.facade.model.chats.unread.value.get(BOB)).toBe(1);

    server.reachable.add("ws://chat.test/xmpp-websocket");
    second.facade.send("RECONNECT");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    expect(server.last.options).toMatchObject({ password: "", scram: { clientKey: "client-key-1" } });
  });

  it("keeps arrival order across a reload for messages with equal times (archive stamps are in seconds)", async () => {
    const first = await reload();
    await first.login();
    const ids = Array.from({ length: 12 }, (_, i) => `m${i}`); // "m10" sorts before "m2" as a key
    for (const id of ids) server.last.receive(fromBob(id, id));
    const second = await reload(first);
    await second.facade.send("STARTUP");
    expect(thread(second).map((m) => m.body)).toEqual(ids);
  });

  it("writes a burst of incoming messages in a few transactions (group commit), all of them, in order after a reload", async () => {
    const writes = { messages: 0, unread: 0 };
    const inner = store;
    store = {
      ...inner,
      putMessages: (a, ms) => {
        writes.messages++;
        return inner.putMessages(a, ms);
      },
      putMeta: (a, k, v) => {
        if (k === "unread") writes.unread++;
        return inner.putMeta(a, k, v);
      },
    };
    const first = await reload();
    await first.login();
    await first.facade.model.device.saved();
    writes.messages = writes.unread = 0;
    const ids = Array.from({ length: 500 }, (_, i) => `burst${i}`);
    for (const id of ids) server.last.receive(fromBob(id, id));
    await first.facade.idle();
    await first.facade.model.device.saved();
    expect(writes.messages).toBeGreaterThan(0);
    expect(writes.messages).toBeLessThan(10);
    expect(writes.unread).toBeLessThan(10);
    store = inner;
    const second = await reload(first);
    await second.facade.send("STARTUP");
    expect(thread(second).map((m) => m.body)).toEqual(ids);
    expect(second.facade.model.chats.unread.value.get(BOB)).toBe(500);
  });

  it("a refused saved login ends the session and asks for the password", async () => {
    const first = await reload();
    await first.login();
    await first.facade.model.device.saved();
    server.clientKey = "changed";
    const second = await reload(first);
    await second.facade.send("STARTUP");
    await expect.poll(() => second.names()).toContain("INVALID_LOGIN");
    await second.facade.idle();
    expect(second.facade.model.xmpp.state.value).toBe("offline");
    expect((await store.load(ALICE)).meta.session).toBeUndefined();
  });

  it("logout keeps the history unless asked to clear it; the session keys always go", async () => {
    const app = await reload();
    await app.login();
    server.last.receive(fromBob("b1", "hello", "arch-1"));
    await app.facade.send("LOGOUT", { clearHistory: false });
    let kept = await store.load(ALICE);
    expect(kept.messages.map((m) => m.body)).toEqual(["hello"]);
    expect(kept.meta.session).toBeUndefined();
    await app.login();
    expect(bodies(app)).toEqual(["in:hello:delivered"]);
    await app.facade.send("LOGOUT", { clearHistory: true });
    kept = await store.load(ALICE);
    expect(kept).toEqual({ messages: [], meta: {} });
  });
});

describe("outbox", () => {
  it("stores messages sent while reconnecting, keeps them across a reload, sends them in order exactly once", async () => {
    const first = await reload();
    await first.login();
    server.last.drop();
    for (const body of ["one", "two", "three"]) await first.facade.send("SEND_MESSAGE", { to: BOB, body });
    expect(bodies(first)).toEqual(["out:one:queued", "out:two:queued", "out:three:queued"]);

    const second = await reload(first);
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    await second.facade.idle();
    const sent = server.last.sent.filter((s) => s.getChild("body")).map((s) => s.getChildText("body"));
    expect(sent).toEqual(["one", "two", "three"]);
    expect(bodies(second)).toEqual(["out:one:sent", "out:two:sent", "out:three:sent"]);
    // The first page never sent them (dropped): nothing left that page could send.
    expect(first.server.entities[0]?.sent.filter((s) => s.getChild("body"))).toEqual([]);
  });

  it("does not send again what the archive shows already left (reload while 'sending')", async () => {
    const first = await reload();
    await first.login();
    server.last.drop();
    await first.facade.send("SEND_MESSAGE", { to: BOB, body: "maybe sent" });
    const id = thread(first)[0]?.id as string;
    // It did leave (e.g. the page died before recording it): the server archived it.
    server.archive.push({ id: "arch-9", message: toBob(id, "maybe sent"), stamp: "2023-11-14T22:13:20Z" });
    const second = await reload(first);
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    await second.facade.idle();
    expect(server.last.sent.filter((s) => s.getChild("body"))).toEqual([]);
    expect(bodies(second)).toEqual(["out:maybe sent:sent"]);
  });
});

describe("archive catch-up and carbons", () => {
  it("fetches what was missed after the last archive id, merging without duplicates", async () => {
    const first = await reload();
    await first.login();
    server.archive.push({ id: "arch-1", message: fromBob("b1", "seen live"), stamp: "2023-11-14T22:00:00Z" });
    server.last.receive(fromBob("b1", "seen live", "arch-1"));
    await first.facade.idle();
    server.archive.push(
      { id: "arch-2", message: fromBob("b2", "missed 1"), stamp: "2023-11-14T22:14:00Z" },
      { id: "arch-3", message: toBob("mine-3", "from my phone"), stamp: "2023-11-14T22:15:00Z" },
      { id: "arch-4", message: fromBob("b4", "missed 2"), stamp: "2023-11-14T22:16:00Z" },
    );
    server.last.drop();
    server.last.reconnect();
    await first.facade.idle();
    const mam = server.last.requests.filter((r) => r.getChild("query", "urn:xmpp:mam:2")).at(-1);
    expect(mam?.getChild("query")?.getChild("set")?.getChildText("after")).toBe("arch-1");
    expect(bodies(first)).toEqual([
      "in:seen live:delivered",
      "in:missed 1:delivered",
      "out:from my phone:sent",
      "in:missed 2:delivered",
    ]);

    const second = await reload(first);
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    await second.facade.idle();
    expect(bodies(second)).toEqual(bodies(first));
  });

  it("fills a new device from the newest archive page without counting it unread", async () => {
    server.archive.push({ id: "arch-1", message: fromBob("b1", "old news"), stamp: "2023-11-14T22:00:00Z" });
    const app = await reload();
    await app.login();
    expect(bodies(app)).toEqual(["in:old news:delivered"]);
    expect(app.facade.model.chats.totalUnread.value).toBe(0);
    server.last.receive(fromBob("b2", "fresh", "arch-2"));
    await app.facade.idle();
    expect(app.facade.model.chats.totalUnread.value).toBe(1);
  });

  it("shows a carbon of a message sent from another device as mine, and ignores forged carbons", async () => {
    const app = await reload();
    await app.login();
    const carbon = (from: string, body: string) =>
      xml(
        "message",
        { from, to: `${ALICE}/porthole` },
        xml("sent", { xmlns: "urn:xmpp:carbons:2" }, xml("forwarded", { xmlns: "urn:xmpp:forward:0" }, toBob("c1", body))),
      );
    server.last.receive(carbon(ALICE, "typed on my phone"));
    server.last.receive(carbon(BOB, "forged by bob"));
    await app.facade.idle();
    expect(bodies(app)).toEqual(["out:typed on my phone:sent"]);
  });

  it("shows 'typing' from a chat state and clears it with the message", async () => {
    const app = await reload();
    await app.login();
    server.last.receive(
      xml(
        "message",
        { from: `${BOB}/phone`, type: "chat" },
        xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" }),
      ),
    );
    await app.facade.idle();
    expect(app.facade.model.chats.typing.value.has(BOB)).toBe(true);
    server.last.receive(fromBob("b1", "done typing"));
    await app.facade.idle();
    expect(app.facade.model.chats.typing.value.has(BOB)).toBe(false);
  });
});
