// The same-second floor of a catch-up (web/src/model/chats/chats-proxy.ts catchingUp): while a catch-up
// reads what came after a message, what it adds is never placed before that message; but a page of
// older history read meanwhile (pageBack, scrolling up) is older than everything shown and keeps its
// place, even within the floor's second. A copy already here that the read meets (kept with its
// milliseconds) is a floor too: what the archive has after it stays after it. Overlapping reads of one
// scope keep the floor until the last one ends.
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
    chats.pageBack(BOB, "q-older");
    chats.add({ peer: BOB, id: "older", body: "older", at: T - 500, direction: "in", state: "delivered" }, false, "q-older");
    chats.pageBack(BOB, null);
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["older", "shown", "anchor"]);
  });

  /** An archive result of the catch-up's query (XEP-0313 queryid). */
  const caughtUp = (chats: ChatsProxy, id: string, body: string, at: number) =>
    chats.add({ peer: BOB, id, body, at, direction: "in", state: "delivered" }, true, "q-catch-up");

  it("places what the archive has after a copy here the read met after that copy, though stamped earlier", () => {
    const chats = new ChatsProxy();
    chats.receive({ peer: BOB, id: "anchor", body: "anchor", at: T - 5000 });
    // Here with the millisecond it arrived at, 700 ms into its second; not the read's anchor.
    chats.receive({ peer: BOB, id: "live", body: "live", at: T + 700 });
    chats.catchingUp(BOB, T - 5000);
    expect(caughtUp(chats, "live", "live", T)).toBe(false);
    caughtUp(chats, "next", "next, same second", T);
    caughtUp(chats, "then", "then, same second", T);
    caughtUp(chats, "later", "a second later", T + 1000);
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["anchor", "live", "next, same second", "then, same second", "a second later"]);
  });

  it("takes a place in the archive's order only from its results, not from a live message arriving meanwhile", () => {
    const chats = new ChatsProxy();
    chats.catchingUp(BOB, Number.NEGATIVE_INFINITY);
    chats.receive({ peer: BOB, id: "live", body: "live, during the read", at: T + 700 });
    caughtUp(chats, "archived", "archived earlier that second", T);
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["archived earlier that second", "live, during the read"]);
  });

  it("does not move what arrives after the reads end", () => {
    const chats = new ChatsProxy();
    chats.receive({ peer: BOB, id: "live", body: "live", at: T + 700 });
    chats.catchingUp(BOB, Number.NEGATIVE_INFINITY);
    caughtUp(chats, "live", "live", T);
    chats.catchingUp(BOB, null);
    chats.receive({ peer: BOB, id: "earlier", body: "stamped earlier", at: T });
    expect(bodies(chats)).toEqual(["stamped earlier", "live"]);
  });

  it("keeps the floor while another read of the same scope still runs", () => {
    const chats = new ChatsProxy();
    chats.receive({ peer: BOB, id: "anchor", body: "anchor", at: T });
    chats.catchingUp(BOB, T);
    chats.catchingUp(BOB, T);
    chats.catchingUp(BOB, null);
    chats.receive({ peer: BOB, id: "later", body: "later, same second", at: T - 400 });
    chats.catchingUp(BOB, null);
    expect(bodies(chats)).toEqual(["anchor", "later, same second"]);
  });

  it("tells a page of older history from a catch-up beside it by the query each result answers", () => {
    const chats = new ChatsProxy();
    const archived = (id: string, at: number, query: string) =>
      chats.add({ peer: BOB, id, body: id, at, direction: "in", state: "delivered" }, false, query);
    archived("shown", T, "q-join");
    chats.pageBack(BOB, "q-older");
    chats.catchingUp(BOB, T);
    archived("page one", T, "q-older");
    archived("newer", T, "q-catch-up");
    archived("page two", T, "q-older");
    chats.catchingUp(BOB, null);
    chats.pageBack(BOB, null);
    expect(bodies(chats)).toEqual(["page one", "page two", "shown", "newer"]);
  });

  it("places a result as news once its page of older history has ended", () => {
    const chats = new ChatsProxy();
    const archived = (id: string, query: string) =>
      chats.add({ peer: BOB, id, body: id, at: T, direction: "in", state: "delivered" }, false, query);
    archived("shown", "q-join");
    chats.pageBack(BOB, "q-older");
    chats.pageBack(BOB, null);
    archived("late", "q-older");
    expect(bodies(chats)).toEqual(["shown", "late"]);
  });
});
