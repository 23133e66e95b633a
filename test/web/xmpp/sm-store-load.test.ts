// What sessionSmStore (web/src/model/xmpp/sm-store.ts) accepts back from sessionStorage: only an entry
// with a non-empty string id and a queue array; anything else (damaged, hand-edited, from an older
// version) is no session at all, so the page starts a fresh stream instead of resuming a wrong one.
import { describe, expect, it } from "vitest";
import { sessionSmStore } from "../../../web/src/model/xmpp/sm-store";

const KEY = "porthole.sm:alice@example.org";
const load = (value: unknown) => {
  const storage = new Map<string, string>([[KEY, typeof value === "string" ? value : JSON.stringify(value)]]);
  return sessionSmStore(
    {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
      removeItem: (k) => void storage.delete(k),
    },
    "alice@example.org",
  ).load();
};
const good = {
  id: "sess-1",
  jid: "alice@example.org/pwa",
  inbound: 4,
  acked: 2,
  queue: [{ n: "message", a: { id: "m1" }, c: ["hi"] }],
};

describe("sessionSmStore.load", () => {
  it("restores a saved stream", () => {
    const s = load(good);
    expect(s).toMatchObject({ id: "sess-1", jid: "alice@example.org/pwa", inbound: 4, acked: 2 });
    expect(s?.queue.map(String)).toEqual(['<message id="m1">hi</message>']);
  });

  it("refuses an entry without a usable id or queue", () => {
    expect(load({ ...good, id: "" })).toBeNull();
    expect(load({ ...good, id: 42 })).toBeNull();
    expect(load({ ...good, id: undefined })).toBeNull();
    expect(load({ ...good, queue: "not a list" })).toBeNull();
    expect(load({ ...good, queue: undefined })).toBeNull();
    expect(load(null)).toBeNull();
    expect(load("{broken")).toBeNull();
  });

  it("reads missing or bad counters as zero and a missing JID as empty", () => {
    expect(load({ id: "s", queue: [], inbound: "x" })).toEqual({ id: "s", jid: "", inbound: 0, acked: 0, queue: [] });
  });
});
