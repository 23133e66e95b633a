// "Sent" means the server has it (web/src/commands/chat/flush-outbox.ts, mark-acknowledged.ts): with
// stream management (XEP-0198 §4) a message written into the socket stays "sending" until the server's
// ack names it. A socket that is already dead (the phone went offline, the WebSocket not yet noticed)
// takes the write without complaint, so the write alone must never mark a message sent.
import { beforeEach, describe, expect, it } from "vitest";
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { type TestApp, testApp } from "../support/app";
import { FakeServer } from "../support/fake-server";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
let app: TestApp;
const states = () => messagesWith(app.facade.model.chats, BOB).map((m) => `${m.body}:${m.state}`);

beforeEach(async () => {
  app = testApp();
  await app.login();
});

describe("a message is sent when the server acknowledges it", () => {
  it("stays sending after the write, and is sent once the ack names it", async () => {
    const entity = app.server.last;
    entity.streamManagement = true;
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "over a dead socket" });
    await app.facade.idle();
    expect(states()).toEqual(["over a dead socket:sending"]);
    const id = entity.sent.find((s) => s.getChild("body"))?.attrs.id as string;
    entity.ack([id]);
    await app.facade.idle();
    expect(states()).toEqual(["over a dead socket:sent"]);
  });

  it("an unacknowledged message is back in the outbox after a reload", async () => {
    const store = indexedDbStore(new IDBFactory());
    const server = new FakeServer();
    const first = testApp(undefined, [], store, server);
    await first.login();
    server.last.streamManagement = true;
    await first.facade.send("SEND_MESSAGE", { to: BOB, body: "never acked" });
    await first.facade.idle();
    await first.facade.model.device.saved();
    server.reachable.clear(); // the network is gone
    const second = testApp(undefined, [], store, server);
    for (const [k, v] of first.storage) second.storage.set(k, v);
    await second.facade.send("STARTUP");
    await second.facade.model.device.saved();
    expect(messagesWith(second.facade.model.chats, BOB).map((m) => `${m.body}:${m.state}`)).toEqual(["never acked:queued"]);
  });

  it("a receipt that came before the ack is kept", async () => {
    const entity = app.server.last;
    entity.streamManagement = true;
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "fast peer" });
    await app.facade.idle();
    const id = entity.sent.find((s) => s.getChild("body"))?.attrs.id as string;
    app.facade.model.chats.setState(id, "delivered", BOB);
    entity.ack([id]);
    await app.facade.idle();
    expect(states()).toEqual(["fast peer:delivered"]);
  });

  it("without stream management the write marks it sent", async () => {
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "no acks here" });
    await app.facade.idle();
    expect(states()).toEqual(["no acks here:sent"]);
  });
});
