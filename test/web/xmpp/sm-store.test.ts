// XEP-0198 resumption across a page reload (smacks.ts + sm-store.ts) against a fake entity: the first
// page's session state lands in (fake) sessionStorage, the next page's first connection resumes it
// (h, previd, unacknowledged stanzas resent, JID restored without binding), a refused resumption falls
// back to a fresh session, and logout forgets the state.
import { EventEmitter } from "node:events";
import { type Element, xml } from "@xmpp/client";
import type { Client } from "@xmpp/client-core";
import type { StreamFeatures } from "@xmpp/stream-features";
import { beforeEach, describe, expect, it } from "vitest";
import { flushSmStores, sessionSmStore } from "../../../web/src/model/xmpp/sm-store";
import { NS_SM, type Smacks, smacks } from "../../../web/src/model/xmpp/smacks";

type Handler = (ctx: { entity: Client }, next: () => Promise<void>, feature: Element) => Promise<void>;
const KEY = "porthole.sm:alice@example.org";

class FakeEntity extends EventEmitter {
  status = "online";
  jid: { toString(): string } | null = null;
  written: string[] = [];
  async send(el: Element): Promise<void> {
    this.written.push(el.toString());
    this.emit("send", el);
  }
  _status(status: string, ...args: unknown[]): void {
    this.status = status;
    this.emit("status", status, ...args);
    this.emit(status, ...args);
  }
  _jid(id: string): void {
    this.jid = { toString: () => id };
  }
  async disconnect(): Promise<void> {}
  receive(el: Element): void {
    this.emit("element", el);
  }
}

const storage = new Map<string, string>();
const session = {
  getItem: (k: string) => storage.get(k) ?? null,
  setItem: (k: string, v: string) => void storage.set(k, v),
  removeItem: (k: string) => void storage.delete(k),
};
const message = (id: string) => xml("message", { to: "bob@example.org", type: "chat", id }, xml("body", {}, id));

/** One page life: a fresh entity and smacks over the same sessionStorage. */
function page() {
  const entity = new FakeEntity();
  const lost: string[][] = [];
  let handler: Handler | undefined;
  const features = { use: (_n: string, _x: string, h: Handler) => (handler = h) } as unknown as StreamFeatures;
  const sm: Smacks = smacks(
    entity as unknown as Client,
    features,
    { lost: (m) => lost.push(m.map((e) => e.attrs.id ?? "")), store: sessionSmStore(session, "alice@example.org") },
    { set: () => ({}), clear: () => {} },
  );
  let bound = false;
  const negotiate = () =>
    handler?.(
      { entity: entity as unknown as Client },
      async () => {
        bound = true;
        entity._jid("alice@example.org/pwa-2");
      },
      xml("sm", { xmlns: NS_SM }),
    );
  return { entity, sm, lost, negotiate, bound: () => bound };
}

/** What sessionStorage holds once the writes still waiting are done (they wait for the end of a burst). */
const stored = () => {
  flushSmStores();
  return JSON.parse(storage.get(KEY) ?? "null");
};

beforeEach(async () => {
  flushSmStores();
  storage.clear();
  const first = page();
  await first.negotiate();
  first.entity._jid("alice@example.org/pwa-1");
  first.entity.receive(xml("enabled", { xmlns: NS_SM, id: "sess-1", resume: "true" }));
  for (let i = 0; i < 4; i++) first.entity.receive(message(`in${i}`));
  for (let i = 0; i < 3; i++) await first.entity.send(message(`out${i}`));
  first.entity.receive(xml("a", { xmlns: NS_SM, h: "1" }));
  // The page goes away (reload): no stop(), no stream close; its pagehide writes what was waiting.
  flushSmStores();
});

describe("XEP-0198 resumption across a reload", () => {
  it("keeps id, JID, counts and the unacknowledged stanzas in sessionStorage, never anything else", () => {
    const saved = stored();
    expect(saved).toMatchObject({ id: "sess-1", jid: "alice@example.org/pwa-1", inbound: 4, acked: 1 });
    expect(saved.queue).toHaveLength(2);
    expect(Object.keys(saved).sort()).toEqual(["acked", "id", "inbound", "jid", "queue"]);
  });

  it("the next page's first connection resumes: h and previd, resends what the server lacks, restores the JID", async () => {
    const next = page();
    const online: string[] = [];
    next.entity.on("online", (jid) => online.push(String(jid)));
    const resuming = next.negotiate();
    expect(next.entity.written).toEqual([`<resume xmlns="${NS_SM}" h="4" previd="sess-1"/>`]);
    next.entity.receive(xml("resumed", { xmlns: NS_SM, h: "2", previd: "sess-1" }));
    await resuming;
    expect(next.entity.written.slice(1)).toEqual([message("out2").toString()]);
    expect(next.bound()).toBe(false);
    expect(online).toEqual(["alice@example.org/pwa-1"]);
    expect(next.sm.resumed).toBe(true);
    expect(next.lost).toEqual([]);
    next.entity.receive(message("in4"));
    expect(stored()).toMatchObject({ id: "sess-1", inbound: 5 });
  });

  it("a refused resumption hands back the unacknowledged messages and starts a fresh, resumable session", async () => {
    const next = page();
    const resuming = next.negotiate();
    next.entity.receive(xml("failed", { xmlns: NS_SM }));
    await resuming;
    expect(next.lost).toEqual([["out1", "out2"]]);
    expect(next.bound()).toBe(true);
    expect(next.sm.resumed).toBe(false);
    expect(storage.has(KEY)).toBe(false);
    next.entity.receive(xml("enabled", { xmlns: NS_SM, id: "sess-2", resume: "true" }));
    expect(stored()).toMatchObject({ id: "sess-2", jid: "alice@example.org/pwa-2", inbound: 0 });
  });

  it("logout (reset) forgets the stream in sessionStorage", () => {
    const next = page();
    next.sm.reset();
    expect(storage.has(KEY)).toBe(false);
  });

  it("ignores a damaged entry: a new session starts", async () => {
    storage.set(KEY, "{not json");
    const next = page();
    await next.negotiate();
    expect(next.bound()).toBe(true);
    expect(next.entity.written).toEqual([`<enable xmlns="${NS_SM}" resume="true"/>`]);
  });
});
