// Delivery receipts (XEP-0184) that reach this device as Message Carbons (XEP-0280): a message I sent
// from another client of mine is "Delivered" here too once the contact's receipt is copied to me.
// The carbons are built as Prosody 0.12's mod_carbons forwards them (message_handler: outer message
// from my bare JID with the original type, <received/> or <sent/> around <forwarded/> with the copy
// in jabber:client); it copies a receipt because its type is "chat" (should_copy, "type").
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";
let app: TestApp;

const incoming = (el: Element) => {
  app.server.last.receive(el);
  return app.facade.idle();
};

/** A carbon as Prosody wraps it: `from` the account's bare JID unless forged. */
const carbon = (kind: "sent" | "received", inner: Element, from = ALICE) =>
  xml(
    "message",
    { from, type: inner.attrs.type, to: app.server.last.fullJid },
    xml(kind, { xmlns: "urn:xmpp:carbons:2" }, xml("forwarded", { xmlns: "urn:xmpp:forward:0" }, inner)),
  );

/** The message alice typed on her phone, to bob, as copied to this device. */
const fromPhone = (id: string) =>
  xml(
    "message",
    { xmlns: "jabber:client", from: `${ALICE}/phone`, to: BOB, type: "chat", id },
    xml("body", {}, "sent from my phone"),
    xml("request", { xmlns: "urn:xmpp:receipts" }),
  );

/** Bob's receipt for it, addressed to the phone (the resource that sent it). */
const receiptFromBob = (id: string, from = `${BOB}/laptop`) =>
  xml(
    "message",
    { xmlns: "jabber:client", from, to: `${ALICE}/phone`, type: "chat", id: `r-${id}` },
    xml("received", { xmlns: "urn:xmpp:receipts", id }),
  );

const state = () => messagesWith(app.facade.model.chats, BOB).map((m) => m.state);

beforeEach(async () => {
  app = testApp();
  await app.login();
  await incoming(carbon("sent", fromPhone("p1")));
  expect(messagesWith(app.facade.model.chats, BOB)).toMatchObject([{ id: "p1", direction: "out", state: "sent" }]);
});

describe("receipts arriving as carbons", () => {
  it("a received carbon of the contact's receipt marks my other client's message delivered", async () => {
    await incoming(carbon("received", receiptFromBob("p1")));
    expect(state()).toEqual(["delivered"]);
    // A receipt is not a message: nothing new in the thread, nothing unread, no receipt for a receipt.
    expect(messagesWith(app.facade.model.chats, BOB)).toHaveLength(1);
    expect(app.facade.model.chats.unread.value.size).toBe(0);
    expect(app.server.last.sent.filter((s) => s.is("message"))).toEqual([]);
  });

  it("ignores a forged carbon (not from my own bare JID) carrying a receipt", async () => {
    await incoming(carbon("received", receiptFromBob("p1"), BOB));
    await incoming(carbon("received", receiptFromBob("p1"), `${ALICE}/phone`));
    expect(state()).toEqual(["sent"]);
  });

  it("ignores a receipt from someone other than the addressee, live or carbon", async () => {
    await incoming(carbon("received", receiptFromBob("p1", "mallory@evil.example/x")));
    await incoming(receiptFromBob("p1", "mallory@evil.example/x"));
    expect(state()).toEqual(["sent"]);
  });

  it("a sent carbon of my other client's receipt does not mark anything of mine delivered", async () => {
    // My phone acknowledging a message of bob's that happens to share an id with one of mine.
    const phoneReceipt = xml(
      "message",
      { xmlns: "jabber:client", from: `${ALICE}/phone`, to: `${BOB}/laptop`, type: "chat", id: "r-p1" },
      xml("received", { xmlns: "urn:xmpp:receipts", id: "p1" }),
    );
    await incoming(carbon("sent", phoneReceipt));
    expect(state()).toEqual(["sent"]);
  });
});
