// Which WebSocket a saved session resumes at (xmpp-proxy.ts resume, history-store.ts SavedSession):
// this host's own at the path its host-meta names now (the operator may have changed
// XMPP_WEBSOCKET_PATH since the login), another host's at the URL that worked.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { type HistoryStore, indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";

const ALICE = "alice@example.org";
let store: HistoryStore;
let server: FakeServer;

/** This host's host-meta.json naming `path` as its WebSocket (worker/routes/well-known.ts). */
const hostMeta =
  (path: string): typeof fetch =>
  async (url) =>
    String(url) === "http://chat.test/.well-known/host-meta.json"
      ? Response.json({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href: `ws://chat.test${path}` }] })
      : new Response("", { status: 404 });

/** A new page over the same device (IndexedDB and localStorage), once the previous page's writes landed. */
async function reload(previous: TestApp, fetcher: typeof fetch): Promise<TestApp> {
  await previous.facade.idle();
  await previous.facade.model.device.saved();
  const app = testApp(fetcher, [], store, server);
  for (const [k, v] of previous.storage) app.storage.set(k, v);
  return app;
}

beforeEach(() => {
  store = indexedDbStore(new IDBFactory());
  server = new FakeServer();
});

describe("resuming a saved session", () => {
  it("dials this host's WebSocket at the path its host-meta names now, not the path of the login", async () => {
    server.reachable.add("ws://chat.test/old-ws");
    const first = testApp(hostMeta("/old-ws"), [], store, server);
    await first.login();
    expect(server.last.options.service).toBe("ws://chat.test/old-ws");
    await first.facade.model.device.saved();
    // Only what is needed is kept: no URL for this host's own endpoint.
    expect((await store.load(ALICE)).meta.session?.service).toBeNull();

    // The operator moves XMPP_WEBSOCKET_PATH; the old path no longer answers.
    server.reachable.clear();
    server.reachable.add("ws://chat.test/new-ws");
    const second = await reload(first, hostMeta("/new-ws"));
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    expect(server.entities.slice(1).map((e) => e.options.service)).toEqual(["ws://chat.test/new-ws"]);
    expect(server.last.options).toMatchObject({ password: "", scram: { clientKey: "client-key-1" } });
  });

  it("follows the new path for a session saved with this host's full URL (before only the path was found anew)", async () => {
    const first = testApp(hostMeta("/xmpp-websocket"), [], store, server);
    await first.login();
    await first.facade.model.device.saved();
    const session = (await store.load(ALICE)).meta.session;
    if (!session) throw new Error("no saved session");
    await store.putMeta(ALICE, "session", { ...session, service: "ws://chat.test/xmpp-websocket" });

    server.reachable.clear();
    server.reachable.add("ws://chat.test/moved");
    const second = await reload(first, hostMeta("/moved"));
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    expect(server.last.options.service).toBe("ws://chat.test/moved");
  });

  it("keeps another host's URL (an explicit or discovered endpoint) and resumes there", async () => {
    server.reachable.add("wss://other.example/xmpp");
    const first = testApp(hostMeta("/xmpp-websocket"), [], store, server);
    await first.facade.send("LOGIN", { address: ALICE, password: "secret", websocketUrl: "wss://other.example/xmpp" });
    await first.facade.idle();
    await first.facade.model.device.saved();
    expect((await store.load(ALICE)).meta.session?.service).toBe("wss://other.example/xmpp");

    const second = await reload(first, hostMeta("/elsewhere"));
    await second.facade.send("STARTUP");
    await expect.poll(() => second.facade.model.xmpp.state.value).toBe("online");
    expect(server.last.options.service).toBe("wss://other.example/xmpp");
  });
});
