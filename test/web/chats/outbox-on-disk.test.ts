// "Each message is on disk before it leaves" (web/src/commands/chat/send-message.ts, flush-outbox.ts): when
// the stanza is written to the stream, the device history already holds the message, so a reload
// right after can match it against the archive instead of losing or resending it. The store here is
// slow (each write takes a few timer turns) to make the order visible.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../web/src/model/chats/chats-proxy";
import { type HistoryStore, indexedDbStore } from "../../../web/src/model/device/history-store";
import { testApp } from "../support/app";

describe("outbox and the device history", () => {
  it("a message is stored before its stanza is written", async () => {
    const real = indexedDbStore(new IDBFactory());
    const stored = new Map<string, ChatMessage>();
    const store: HistoryStore = {
      ...real,
      putMessages: async (account, msgs) => {
        await new Promise((r) => setTimeout(r, 20));
        for (const m of msgs) stored.set(m.id, m);
        await real.putMessages(account, msgs);
      },
    };
    const app = testApp(undefined, [], store);
    await app.login();
    const entity = app.server.last;
    const send = entity.send.bind(entity);
    const onDiskWhenSent: Array<string | undefined> = [];
    entity.send = async (el) => {
      if (el.getChild("body")) onDiskWhenSent.push(stored.get(el.attrs.id as string)?.body);
      return send(el);
    };
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "kept first" });
    await app.facade.idle();
    expect(onDiskWhenSent).toEqual(["kept first"]);
  });
});
