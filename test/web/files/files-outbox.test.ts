// Sending files through the outbox (commands/files/*, commands/chat/flush-outbox.ts) against the fake
// server answering XEP-0030 and XEP-0363 like Prosody's mod_http_file_share, with XMLHttpRequest
// played by a stand-in that records each PUT: the limit is enforced before anything is uploaded, a
// file and the text after it leave in order, a refused PUT fails with a reason and Retry sends it once,
// and a PUT that could not go (network cut, stalled, service busy) is tried again by itself.
import { type Element, xml } from "@xmpp/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MUC_USER, occupantPresence } from "../rooms/room-presence";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const UPLOAD = "urn:xmpp:http:upload:0";
let app: TestApp;
let puts: Array<{ url: string; headers: Record<string, string>; size: number }>;
let putStatus: number;
/** While true, PUTs hang (a slow upload) until cancelled. */
let putHangs: boolean;
/** What the next PUTs do before the normal answer: "error" (network cut), "hang" (stall) or a status. */
let putTroubles: Array<"error" | "hang" | number>;

class FakeXhr {
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  #url = "";
  #headers: Record<string, string> = {};
  open(_method: string, url: string) {
    this.#url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.#headers[name] = value;
  }
  abort() {
    this.onabort?.();
  }
  send(blob: Blob) {
    puts.push({ url: this.#url, headers: this.#headers, size: blob.size });
    const trouble = putTroubles.shift();
    if (putHangs || trouble === "hang") return;
    setTimeout(() => {
      if (trouble === "error") return this.onerror?.();
      this.upload.onprogress?.({ lengthComputable: true, loaded: blob.size, total: blob.size });
      this.status = trouble ?? putStatus;
      this.onload?.();
    }, 0);
  }
}

function answerUploads(maxSize: number) {
  const answer = app.server.answer.bind(app.server);
  app.server.answer = (iq: Element) => {
    if (iq.getChild("query", "http://jabber.org/protocol/disco#items")) {
      return xml(
        "iq",
        { type: "result" },
        xml("query", { xmlns: "http://jabber.org/protocol/disco#items" }, xml("item", { jid: "upload.example.org" })),
      );
    }
    if (iq.getChild("query", "http://jabber.org/protocol/disco#info")) {
      if (iq.attrs.to !== "upload.example.org")
        return xml("iq", { type: "result" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }));
      return xml(
        "iq",
        { type: "result" },
        xml(
          "query",
          { xmlns: "http://jabber.org/protocol/disco#info" },
          xml("feature", { var: UPLOAD }),
          xml(
            "x",
            { xmlns: "jabber:x:data", type: "result" },
            xml("field", { var: "FORM_TYPE" }, xml("value", {}, UPLOAD)),
            xml("field", { var: "max-file-size" }, xml("value", {}, String(maxSize))),
          ),
        ),
      );
    }
    const request = iq.getChild("request", UPLOAD);
    if (request) {
      const url = `http://chat.test/upload/slot-${request.attrs.size}/${request.attrs.filename}`;
      return xml(
        "iq",
        { type: "result" },
        xml(
          "slot",
          { xmlns: UPLOAD },
          xml("put", { url }, xml("header", { name: "Authorization" }, "Bearer t")),
          xml("get", { url }),
        ),
      );
    }
    return answer(iq);
  };
}

const sent = () => app.server.last.sent.filter((s) => s.is("message") && s.getChild("body"));
const slotRequests = () => app.server.last.requests.filter((r) => r.getChild("request", UPLOAD));
const thread = () => messagesWith(app.facade.model.chats, BOB);
const file = (size: number, name = "notes.pdf", type = "application/pdf") =>
  Object.assign(new Blob([new Uint8Array(size)], { type }), { name });

beforeEach(async () => {
  puts = [];
  putStatus = 201;
  putHangs = false;
  putTroubles = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  vi.stubGlobal("location", new URL("http://chat.test/"));
  app = testApp();
  app.facade.model.files.retryBaseMs = 20;
  app.facade.model.files.stallMs = 50;
  answerUploads(1000);
  await app.login();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("sending files through the outbox", () => {
  it("finds the service and its limit, and refuses a bigger file before anything is uploaded", async () => {
    await app.facade.send("DISCOVER_UPLOAD");
    expect(app.facade.model.files.service.value).toEqual({ jid: "upload.example.org", maxSize: 1000 });
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(1600) });
    await app.facade.idle();
    const failed = app.heard.find((h) => h.name === "COMMAND_FAILED")?.body as { message: string } | undefined;
    expect(failed?.message).toBe("notes.pdf is 1.6 KB: this server takes files up to 1.0 KB.");
    expect(slotRequests()).toHaveLength(0);
    expect(puts).toHaveLength(0);
    expect(thread()).toHaveLength(0);
  });

  it("uploads with the slot's header, then sends body = URL + OOB, before the text typed after it", async () => {
    app.server.last.drop();
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(600) });
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "see the notes" });
    expect(thread().map((m) => m.state)).toEqual(["queued", "queued"]);
    app.server.last.reconnect();
    await vi.waitFor(() => expect(sent()).toHaveLength(2));
    await app.facade.idle();
    expect(puts).toEqual([
      {
        url: "http://chat.test/upload/slot-600/notes.pdf",
        headers: { "Content-Type": "application/pdf", Authorization: "Bearer t" },
        size: 600,
      },
    ]);
    const [fileMsg, text] = sent();
    expect(fileMsg?.getChildText("body")).toBe("http://chat.test/upload/slot-600/notes.pdf");
    expect(fileMsg?.getChild("x", "jabber:x:oob")?.getChildText("url")).toBe("http://chat.test/upload/slot-600/notes.pdf");
    expect(text?.getChildText("body")).toBe("see the notes");
    expect(thread().map((m) => [m.body, m.state, m.file?.url ?? null])).toEqual([
      ["http://chat.test/upload/slot-600/notes.pdf", "sent", "http://chat.test/upload/slot-600/notes.pdf"],
      ["see the notes", "sent", null],
    ]);
    // The device copy is gone once the file is on the server.
    const id = thread()[0]?.id as string;
    expect(await app.facade.model.files.store.get("alice@example.org", id)).toBeUndefined();
  });

  it("a photo still being prepared keeps its place: the text typed meanwhile leaves after it", async () => {
    let decoded: (() => void) | undefined;
    vi.stubGlobal(
      "createImageBitmap",
      () =>
        new Promise((_, reject) => {
          decoded = () => reject(new Error("not decodable here"));
        }),
    );
    const attaching = app.facade.send("ATTACH_FILE", { to: BOB, file: file(10, "photo.jpg", "image/jpeg") });
    await vi.waitFor(() => expect(decoded).toBeTypeOf("function"));
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "look at this" });
    expect(thread().map((m) => [m.body, m.state])).toEqual([["look at this", "queued"]]);
    expect(sent()).toHaveLength(0);
    decoded?.();
    await attaching;
    await vi.waitFor(() => expect(sent()).toHaveLength(2));
    expect(sent().map((m) => m.getChildText("body"))).toEqual(["http://chat.test/upload/slot-10/photo.jpg", "look at this"]);
    expect(thread().map((m) => m.body)).toEqual(["http://chat.test/upload/slot-10/photo.jpg", "look at this"]);
  });

  it("a refused PUT fails with a reason and keeps the file; Retry uploads and sends it once", async () => {
    putStatus = 500;
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await vi.waitFor(() => expect(thread()[0]?.state).toBe("failed"));
    const id = thread()[0]?.id as string;
    expect(app.facade.model.files.errors.value.get(id)).toBe("The upload was refused (HTTP 500).");
    expect(sent()).toHaveLength(0);
    putStatus = 201;
    await app.facade.send("RETRY_UPLOAD", { id });
    await vi.waitFor(() => expect(sent()).toHaveLength(1));
    await app.facade.idle();
    expect(thread()[0]?.state).toBe("sent");
    expect(app.facade.model.files.errors.value.has(id)).toBe(false);
    expect(puts).toHaveLength(2);
  });

  it("a PUT cut by the network, then a stalled one, then a busy service: tried again by itself, sent once, in order", async () => {
    putTroubles = ["error", "hang", 503];
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "after the file" });
    await vi.waitFor(() => expect(sent()).toHaveLength(2), { timeout: 3000 });
    await app.facade.idle();
    expect(puts).toHaveLength(4);
    expect(slotRequests()).toHaveLength(4);
    expect(sent().map((m) => m.getChildText("body"))).toEqual(["http://chat.test/upload/slot-10/notes.pdf", "after the file"]);
    expect(thread().map((m) => m.state)).toEqual(["sent", "sent"]);
    expect(app.facade.model.files.errors.value.size).toBe(0);
  });

  it("a PUT cut while the connection drops goes again when the session is back", async () => {
    app.facade.model.files.retryBaseMs = 60_000;
    putTroubles = ["error"];
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    await app.facade.idle();
    expect(thread()[0]?.state).toBe("queued");
    app.server.last.drop();
    app.server.last.reconnect();
    await vi.waitFor(() => expect(sent()).toHaveLength(1), { timeout: 3000 });
    expect(puts).toHaveLength(2);
  });

  it("Cancel stops a running upload: the message fails as cancelled, nothing is sent, Retry is possible", async () => {
    putHangs = true;
    void app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await vi.waitFor(() => expect(app.facade.model.files.progress.value.size).toBe(1));
    const id = thread()[0]?.id as string;
    expect(thread()[0]?.state).toBe("sending");
    await app.facade.send("CANCEL_UPLOAD", { id });
    await vi.waitFor(() => expect(thread()[0]?.state).toBe("failed"));
    expect(app.facade.model.files.errors.value.get(id)).toBe("Upload cancelled.");
    expect(app.facade.model.files.progress.value.size).toBe(0);
    expect(sent()).toHaveLength(0);
    expect(await app.facade.model.files.store.get("alice@example.org", id)).toBeDefined();
  });

  it("a discovery without an answer (timeout) keeps the file queued, and the text behind it waits", async () => {
    const answer = app.server.answer.bind(app.server);
    let silent = true;
    app.server.answer = (iq: Element) => {
      if (silent && iq.getChild("query", "http://jabber.org/protocol/disco#items")) throw new Error("timeout");
      return answer(iq);
    };
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "after the file" });
    await app.facade.idle();
    expect(thread().map((m) => m.state)).toEqual(["queued", "queued"]);
    expect(app.facade.model.files.service.value).toBe("unknown");
    expect(sent()).toHaveLength(0);
    silent = false;
    app.server.last.drop();
    app.server.last.reconnect();
    await vi.waitFor(() => expect(sent()).toHaveLength(2));
    expect(sent().map((m) => m.getChild("x", "jabber:x:oob") !== undefined)).toEqual([true, false]);
  });

  it("refuses a slot on another host (the page's policy allows only this one)", async () => {
    const answer = app.server.answer.bind(app.server);
    app.server.answer = (iq: Element) => {
      if (!iq.getChild("request", UPLOAD)) return answer(iq);
      const url = "http://files.elsewhere.test/a/b.pdf";
      return xml("iq", { type: "result" }, xml("slot", { xmlns: UPLOAD }, xml("put", { url }), xml("get", { url })));
    };
    await app.facade.send("ATTACH_FILE", { to: BOB, file: file(10) });
    await vi.waitFor(() => expect(thread()[0]?.state).toBe("failed"));
    expect(app.facade.model.files.errors.value.get(thread()[0]?.id as string)).toMatch(/files\.elsewhere\.test, not this site/);
    expect(puts).toHaveLength(0);
  });

  it("a received Conversations file message becomes a file; a body that is not the URL stays text", async () => {
    const url = "https://chat.test/upload/s/green.png";
    const conversations = (body: string, id: string) =>
      xml(
        "message",
        { from: `${BOB}/Conversations.x1`, to: "alice@example.org", type: "chat", id },
        xml("body", {}, body),
        xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, url)),
      );
    app.server.last.receive(conversations(url, "c1"));
    app.server.last.receive(conversations("look at this", "c2"));
    await app.facade.idle();
    expect(thread().map((m) => [m.body, m.file?.name ?? null, m.file?.type ?? null])).toEqual([
      [url, "green.png", "image/png"],
      ["look at this", null, null],
    ]);
  });

  it("a file in a private conversation with a room occupant goes as in a chat, type chat to room/nick with <x xmlns=muc#user/>", async () => {
    // XEP-0045 §7.5; marked as Converse.js's MUCOccupant.createMessageStanza marks every private
    // message (src/headless/plugins/muc/occupant.js: `<x xmlns="${Strophe.NS.MUC}#user"/>`).
    const room = "lobby@conference.example.org";
    const occupant = `${room}/bob`;
    app.server.roomArchives.set(room, []);
    await app.facade.send("JOIN_ROOM", { room, nick: "alice", password: "" });
    app.server.last.receive(occupantPresence(room, "bob"));
    app.server.last.receive(occupantPresence(room, "alice", [110]));
    await app.facade.idle();
    await app.facade.send("ATTACH_FILE", { to: occupant, file: file(20, "pm.pdf") });
    expect(app.names()).not.toContain("COMMAND_FAILED");
    await vi.waitFor(() => expect(sent()).toHaveLength(1));
    const [out] = sent();
    const url = "http://chat.test/upload/slot-20/pm.pdf";
    expect(out?.attrs).toMatchObject({ to: occupant, type: "chat" });
    expect(out?.getChildText("body")).toBe(url);
    expect(out?.getChild("x", "jabber:x:oob")?.getChildText("url")).toBe(url);
    expect(out?.getChild("x", MUC_USER)?.children).toEqual([]);
    await app.facade.idle();
    expect(messagesWith(app.facade.model.chats, occupant).map((m) => [m.file?.url, m.state])).toEqual([[url, "sent"]]);
    expect(messagesWith(app.facade.model.chats, room)).toEqual([]);
  });
});
