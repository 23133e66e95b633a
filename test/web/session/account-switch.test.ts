// Whose history is on screen (web/src/commands/session/login.ts, load-history.ts): a login shows the
// account's device history while it connects; when the login fails, that history and roster leave
// the screen again, and nothing more is written for the account. Logging in as another account never
// shows the previous account's conversations or contacts.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../web/src/model/chats/chats-proxy";
import { type HistoryStore, indexedDbStore } from "../../../web/src/model/device/history-store";
import { testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
let store: HistoryStore;
let server: FakeServer;
const kept = (account: string, body: string): Promise<void> =>
  store.putMessages(account, [
    { id: `${account}-1`, peer: BOB, direction: "in", body, at: 1, state: "delivered", seq: 1 } satisfies ChatMessage,
  ]);

beforeEach(async () => {
  store = indexedDbStore(new IDBFactory());
  server = new FakeServer();
  server.accounts.set("carol", "carols-secret");
  await kept("alice@example.org", "for alice");
  await store.putMeta("alice@example.org", "roster", [{ jid: BOB, name: "Bob", subscription: "both", ask: false, groups: [] }]);
  await kept("carol@example.org", "for carol");
});

describe("device history per account", () => {
  it("a failed login leaves neither the account's history nor its roster on screen", async () => {
    const app = testApp(undefined, [], store, server);
    await app.facade.send("LOGIN", { address: "alice@example.org", password: "wrong", websocketUrl: "" });
    await app.facade.idle();
    expect(app.names()).toContain("INVALID_LOGIN");
    expect(messagesWith(app.facade.model.chats, BOB)).toEqual([]);
    expect(app.facade.model.chats.peers.value).toEqual([]);
    expect(app.facade.model.roster.contacts.value).toEqual([]);
    expect(app.facade.model.device.account).toBeNull();
  });

  it("logging in as another account shows only that account's conversations", async () => {
    const app = testApp(undefined, [], store, server);
    await app.login();
    expect(messagesWith(app.facade.model.chats, BOB).map((m) => m.body)).toEqual(["for alice"]);
    await app.facade.send("LOGIN", { address: "carol@example.org", password: "carols-secret", websocketUrl: "" });
    await app.facade.idle();
    expect(messagesWith(app.facade.model.chats, BOB).map((m) => m.body)).toEqual(["for carol"]);
  });
});
