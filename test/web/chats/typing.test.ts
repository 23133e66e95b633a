// The contact's "typing…" (XEP-0085 composing) never sticks: it ends with a paused/active state, a
// message, the contact going offline (RFC 6121 §4.5.3 unavailable presence), or on its own when no
// state follows for 30 s (XEP-0085 §5.2: a client goes to paused after about 30 s without typing).
import { xml } from "@xmpp/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TYPING_EXPIRES_MS } from "../../../web/src/model/chats/chats-proxy";
import { type TestApp, testApp } from "../support/app";

const BOB = "bob@example.org";
let app: TestApp;

const incoming = (el: ReturnType<typeof xml>) => {
  app.server.last.receive(el);
  return app.facade.idle();
};
const composing = (from = `${BOB}/phone`) =>
  incoming(xml("message", { from, type: "chat" }, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })));
const typing = () => app.facade.model.chats.typing.value.has(BOB);

beforeEach(async () => {
  app = testApp();
  await app.login();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("typing indicator", () => {
  it("shows composing and clears it when the contact goes offline", async () => {
    await incoming(xml("presence", { from: `${BOB}/phone` }));
    await composing();
    expect(typing()).toBe(true);
    await incoming(xml("presence", { from: `${BOB}/phone`, type: "unavailable" }));
    expect(typing()).toBe(false);
  });

  it("expires 30 s after the last composing, each new composing restarting the wait", async () => {
    expect(TYPING_EXPIRES_MS).toBe(30_000);
    await composing();
    vi.advanceTimersByTime(20_000);
    await composing();
    vi.advanceTimersByTime(20_000);
    expect(typing()).toBe(true);
    vi.advanceTimersByTime(10_001);
    expect(typing()).toBe(false);
  });

  it("a paused state clears it, and leaves no timer behind to clear a later composing early", async () => {
    await composing();
    vi.advanceTimersByTime(25_000);
    await incoming(
      xml("message", { from: `${BOB}/phone`, type: "chat" }, xml("paused", { xmlns: "http://jabber.org/protocol/chatstates" })),
    );
    expect(typing()).toBe(false);
    await composing();
    vi.advanceTimersByTime(29_000);
    expect(typing()).toBe(true);
  });

  it("another contact going offline does not clear it", async () => {
    await composing();
    await incoming(xml("presence", { from: "carol@example.org/x", type: "unavailable" }));
    expect(typing()).toBe(true);
  });
});
