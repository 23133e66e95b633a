// The outbox after a failed send (web/src/commands/chat/flush-outbox.ts): the message goes back to
// "queued", the flush stops there (order kept), and the next session start sends it and the ones
// behind it, each exactly once.
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
let app: TestApp;
const states = () => messagesWith(app.facade.model.chats, BOB).map((m) => `${m.body}:${m.state}`);
const bodiesSent = () =>
  app.server.entities.flatMap((e) => e.sent.filter((s) => s.getChild("body")).map((s) => s.getChildText("body")));

beforeEach(async () => {
  app = testApp();
  await app.login();
});

describe("flush-outbox after a failed send", () => {
  it("puts the message back in the outbox and sends it, in order, at the next session start", async () => {
    const entity = app.server.last;
    const send = entity.send.bind(entity);
    let failures = 1;
    entity.send = async (el) => {
      if (el.getChild("body") && failures-- > 0) throw new Error("socket closed while writing");
      return send(el);
    };
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "first" });
    await app.facade.idle();
    expect(states()).toEqual(["first:queued"]);
    expect(app.facade.model.chats.queued().map((m) => m.body)).toEqual(["first"]);
    // Typed after the failure: it waits behind the first one, never overtakes it.
    entity.drop();
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "second" });
    expect(states()).toEqual(["first:queued", "second:queued"]);
    entity.reconnect();
    await app.facade.idle();
    expect(bodiesSent()).toEqual(["first", "second"]);
    expect(states()).toEqual(["first:sent", "second:sent"]);
  });

  it("after a reconnection, nothing leaves before the archive check, even a message typed meanwhile", async () => {
    const entity = app.server.last;
    const send = entity.send.bind(entity);
    let failures = 1;
    // The server got "first" but the socket died before the write completed: it is in the archive.
    entity.send = async (el) => {
      if (el.getChild("body") && failures-- > 0) {
        const id = el.attrs.id as string;
        const archived = xml(
          "message",
          { from: `alice@example.org/porthole`, to: BOB, type: "chat", id },
          xml("body", {}, "first"),
          xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
        );
        app.server.archive.push({ id: "arch-1", message: archived, stamp: "2023-11-14T22:13:20Z" });
        throw new Error("socket closed while writing");
      }
      return send(el);
    };
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "first" });
    expect(states()).toEqual(["first:queued"]);
    entity.drop();
    // While the new session fetches its roster, the user sends another message.
    const request = entity.request.bind(entity);
    let typed: Promise<void> | null = null;
    entity.request = async (iq: Element) => {
      if (!typed && iq.getChild("query", "jabber:iq:roster")) {
        typed = app.facade.send("SEND_MESSAGE", { to: BOB, body: "second" });
        await new Promise((r) => setTimeout(r, 10));
      }
      return request(iq);
    };
    entity.reconnect();
    await app.facade.idle();
    await typed;
    await app.facade.idle();
    expect(bodiesSent()).toEqual(["second"]);
    expect(states()).toEqual(["first:sent", "second:sent"]);
  });

  /** Holds the next chat message's write until `release(ok)`. */
  function holdNextWrite() {
    const entity = app.server.last;
    const send = entity.send.bind(entity);
    let release: (ok: boolean) => void = () => {};
    let held = false;
    entity.send = async (el) => {
      if (el.getChild("body") && !held) {
        held = true;
        const ok = await new Promise<boolean>((r) => {
          release = r;
        });
        if (!ok) throw new Error("socket closed while writing");
      }
      return send(el);
    };
    return (ok: boolean) => release(ok);
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it("a message typed while another is on its way is sent right after it, by the same flush", async () => {
    const release = holdNextWrite();
    const first = app.facade.send("SEND_MESSAGE", { to: BOB, body: "first" });
    await tick();
    expect(states()).toEqual(["first:sending"]);
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "second" });
    expect(states()).toEqual(["first:sending", "second:queued"]);
    release(true);
    await first;
    await app.facade.idle();
    expect(bodiesSent()).toEqual(["first", "second"]);
    expect(states()).toEqual(["first:sent", "second:sent"]);
  });

  it("one flush at a time: when the message on its way fails, the one typed meanwhile does not overtake it", async () => {
    const release = holdNextWrite();
    const first = app.facade.send("SEND_MESSAGE", { to: BOB, body: "first" });
    await tick();
    await app.facade.send("SEND_MESSAGE", { to: BOB, body: "second" });
    release(false);
    await first;
    await app.facade.idle();
    expect(bodiesSent()).toEqual([]);
    expect(states()).toEqual(["first:queued", "second:queued"]);
    app.server.last.drop();
    app.server.last.reconnect();
    await app.facade.idle();
    expect(bodiesSent()).toEqual(["first", "second"]);
  });
});
