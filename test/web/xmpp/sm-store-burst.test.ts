// sessionSmStore (web/src/model/xmpp/sm-store.ts) groups its writes: a burst of handled stanzas (a big
// room's join presences, each changing XEP-0198's h) is one sessionStorage write once the burst is
// handled, not one per stanza; the newest state is still there for a reload (pagehide), for a load in
// the same page, and forgetting it (logout) is at once.
import { xml } from "@xmpp/client";
import { beforeAll, describe, expect, it } from "vitest";
import { type SmState, sessionSmStore } from "../../../web/src/model/xmpp/sm-store";

const KEY = "porthole.sm:alice@example.org";
const listeners = new Map<string, () => void>();
const data = new Map<string, string>();
let writes = 0;
const storage = {
  getItem: (k: string) => data.get(k) ?? null,
  setItem: (k: string, v: string) => {
    writes++;
    data.set(k, v);
  },
  removeItem: (k: string) => void data.delete(k),
};
const state = (inbound: number): SmState => ({
  id: "sess-1",
  jid: "alice@example.org/pwa",
  inbound,
  acked: 0,
  queue: [xml("message", { id: "m1" })],
});
const saved = () => JSON.parse(data.get(KEY) ?? "null");
const nextTask = () => new Promise((r) => setTimeout(r, 0));

beforeAll(() => {
  // The page's pagehide, as a browser dispatches it on a reload.
  (globalThis as { addEventListener?: unknown }).addEventListener = (type: string, fn: () => void) => listeners.set(type, fn);
});

describe("sessionSmStore writes once per burst", () => {
  it("a thousand saves in a row are one write, a task later, of the newest state", async () => {
    const store = sessionSmStore(storage, "alice@example.org");
    writes = 0;
    for (let h = 1; h <= 1000; h++) store.save(state(h));
    expect(writes).toBe(0);
    await nextTask();
    expect(writes).toBe(1);
    expect(saved()).toMatchObject({ id: "sess-1", inbound: 1000 });
    expect(saved().queue).toEqual([{ n: "message", a: { id: "m1" }, c: [] }]);
  });

  it("a reload (pagehide) writes what is still waiting, at once", () => {
    const store = sessionSmStore(storage, "alice@example.org");
    store.save(state(1001));
    store.save(state(1002));
    listeners.get("pagehide")?.();
    expect(saved()).toMatchObject({ inbound: 1002 });
  });

  it("a load in the same page sees the newest save; forgetting is at once", () => {
    const store = sessionSmStore(storage, "alice@example.org");
    store.save(state(1003));
    expect(sessionSmStore(storage, "alice@example.org").load()).toMatchObject({ inbound: 1003 });
    store.save(state(1004));
    store.save(null);
    expect(data.has(KEY)).toBe(false);
    expect(store.load()).toBeNull();
  });
});
