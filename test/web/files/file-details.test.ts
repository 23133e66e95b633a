// A received file's size and type, learned from a HEAD of its URL (views/files/file-content.tsx sends
// FILE_DETAILS), are kept with its message in the device history (commands/files/learn-file-details.ts):
// after a reload the card reads the same without asking again, offline too. The message is the one
// Conversations sends (MessageGenerator.generateChat: body = URL plus <x xmlns='jabber:x:oob'><url/>).
import "fake-indexeddb/auto";
import { xml } from "@xmpp/client";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const URL_PDF = "http://chat.test/upload/3f786850e387550fdab836ed7e6dc881de23001b/aB3dE5gH7jK9/notes.pdf";

describe("a received file's details", () => {
  it("are kept with the message on the device and read back after a reload", async () => {
    const store = indexedDbStore(new IDBFactory());
    const first = testApp(undefined, [], store);
    await first.login();
    first.server.last.receive(
      xml(
        "message",
        { from: `${BOB}/Conversations.x1`, to: "alice@example.org", type: "chat", id: "c-pdf" },
        xml("body", {}, URL_PDF),
        xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, URL_PDF)),
      ),
    );
    await first.facade.idle();
    const thread = (app: typeof first) => messagesWith(app.facade.model.chats, BOB);
    const [m] = thread(first);
    expect(m?.file).toEqual({ url: URL_PDF, name: "notes.pdf", type: "application/pdf" });
    const key = { peer: BOB, id: m?.id ?? "", stanzaId: m?.stanzaId, originId: m?.originId };
    // Nonsense is not kept: a negative size.
    await first.facade.send("FILE_DETAILS", { message: key, size: -1 });
    expect(thread(first)[0]?.file?.size).toBeUndefined();
    await first.facade.send("FILE_DETAILS", { message: key, size: 15, type: "application/pdf" });
    await first.facade.idle();
    await first.facade.model.device.saved();
    expect(thread(first)[0]?.file).toEqual({ url: URL_PDF, name: "notes.pdf", type: "application/pdf", size: 15 });

    const reloaded = testApp(undefined, [], store);
    await reloaded.login();
    await reloaded.facade.idle();
    expect(thread(reloaded).map((r) => r.file)).toEqual([{ url: URL_PDF, name: "notes.pdf", type: "application/pdf", size: 15 }]);
  });
});
