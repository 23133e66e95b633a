// The same-second floor of a catch-up (web/src/model/chats/chats-proxy.ts catchingUp): while a catch-up
// reads what came after a message, what it adds is never placed before that message; but a page of
// older history read meanwhile (pageBack, scrolling up) is older than everything shown and keeps its
// place, even within the floor's second.
import { describe, expect, it } from "vitest";
import { ChatsProxy } from "../../../web/src/model/chats/chats-proxy";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const T = 1_700_000_000_000;
const bodies = (chats: ChatsProxy) => messagesWith(chats, BOB).map((m) => m.body);

describe("catch-up floor", () => {
  it("places a caught-up message of the anchor's second after the anchor", () => {
    const chats = new ChatsProxy();
    chats.receive({ peer: BOB, id: "anchor", body: "anchor", at: T });
    chats.catchingUp(BOB, T);
    chats.receive({ peer: BOB, id: "later", body: "later, same second", at: T - 400 });
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["anchor", "later, same second"]);
  });

  it("leaves a page of older history where it belongs while a catch-up runs", () => {
    const chats = new ChatsProxy();
    chats.receive({ peer: BOB, id: "shown", body: "shown", at: T - 300 });
    chats.receive({ peer: BOB, id: "anchor", body: "anchor", at: T });
    chats.catchingUp(BOB, T);
    chats.pageBack(BOB);
    chats.receive({ peer: BOB, id: "older", body: "older", at: T - 500 });
    chats.pageBack(null);
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["older", "shown", "anchor"]);
  });
});
