// XEP-0198 as smacks.ts does it, against a fake entity: exact synchronous counts under a burst,
// acks releasing the queue, resumption resending what was not acknowledged, a refused resumption
// handing the unacknowledged messages back.
import { EventEmitter } from "node:events";
import { type Element, xml } from "@xmpp/client";
import type { Client } from "@xmpp/client-core";
import type { StreamFeatures } from "@xmpp/stream-features";
import { beforeEach, describe, expect, it } from "vitest";
import { NS_SM, type Smacks, smacks } from "../../../web/src/model/xmpp/smacks";

type Handler = (ctx: { entity: Client }, next: () => Promise<void>, feature: Element) => Promise<void>;

class FakeEntity extends EventEmitter {
  status = "online";
  jid = { toString: () => "alice@example.org/pwa" };
  written: string[] = [];
  disconnects = 0;
  async send(el: Element): Promise<void> {
    this.written.push(el.toString());
    this.emit("send", el);
  }
  _status(status: string, ...args: unknown[]): void {
    this.status = status;
    this.emit("status", status, ...args);
    this.emit(status, ...args);
  }
  async disconnect(): Promise<void> {
    this.disconnects++;
  }
  receive(el: Element): void {
    this.emit("element", el);
  }
}

let entity: FakeEntity;
let handler: Handler;
let sm: Smacks;
let lost: string[][];
let acknowledged: string[][];
let timers: Array<{ fn: () => void }>;

const message = (id: string) => xml("message", { to: "bob@example.org", type: "chat", id }, xml("body", {}, id));
const runTimers = () => {
  const due = timers;
  timers = [];
  for (const t of due) t.fn();
};
/** The stream features after authentication: binding (next) then our enable. */
async function negotiate(bound: () => void = () => {}) {
  await handler({ entity: entity as unknown as Client }, async () => bound(), xml("sm", { xmlns: NS_SM }));
}

beforeEach(async () => {
  entity = new FakeEntity();
  lost = [];
  acknowledged = [];
  timers = [];
  const features = { use: (_n: string, _x: string, h: Handler) => (handler = h) } as unknown as StreamFeatures;
  sm = smacks(
    entity as unknown as Client,
    features,
    {
      lost: (m) => lost.push(m.map((e) => e.attrs.id ?? "")),
      acknowledged: (m) => acknowledged.push(m.map((e) => e.attrs.id ?? "")),
    },
    {
      set: (fn) => {
        const t = { fn };
        timers.push(t);
        return t;
      },
      clear: (t) => {
        timers = timers.filter((x) => x !== t);
      },
    },
  );
  await negotiate();
  expect(entity.written).toEqual([`<enable xmlns="${NS_SM}" resume="true"/>`]);
  entity.receive(xml("enabled", { xmlns: NS_SM, id: "sess-1", resume: "true" }));
  entity.written.length = 0;
});

describe("smacks", () => {
  it("answers <r/> with the exact number of stanzas received, even right after a burst", () => {
    for (let i = 0; i < 200; i++) entity.receive(message(`in${i}`));
    entity.receive(xml("r", { xmlns: NS_SM }));
    entity.receive(xml("presence", { from: "bob@example.org/x" }));
    entity.receive(xml("iq", { type: "result", id: "x" }));
    entity.receive(xml("r", { xmlns: NS_SM }));
    expect(entity.written).toEqual([`<a xmlns="${NS_SM}" h="200"/>`, `<a xmlns="${NS_SM}" h="202"/>`]);
    expect(sm.inbound).toBe(202);
  });

  it("queues sent stanzas until acknowledged, asks for an ack after sending, drops a dead connection", async () => {
    for (let i = 0; i < 5; i++) await entity.send(message(`out${i}`));
    expect(sm.unacked).toBe(5);
    runTimers(); // the debounced <r/>
    expect(entity.written.at(-1)).toBe(`<r xmlns="${NS_SM}"/>`);
    entity.receive(xml("a", { xmlns: NS_SM, h: "3" }));
    expect(sm.unacked).toBe(2);
    entity.receive(xml("a", { xmlns: NS_SM, h: "99" })); // never more than was sent
    expect(sm.unacked).toBe(0);
    // Each ack names the messages it covers, once each (they are "sent" only now).
    expect(acknowledged).toEqual([
      ["out0", "out1", "out2"],
      ["out3", "out4"],
    ]);
    await entity.send(message("out5"));
    runTimers();
    runTimers(); // no ack came: the connection is considered dead
    expect(entity.disconnects).toBe(1);
  });

  it("counts stanzas as WebSocket framing delivers them (xmlns='jabber:client', RFC 7395 §3.3.3), not other elements", () => {
    entity.receive(xml("message", { xmlns: "jabber:client", from: "bob@example.org/x" }, xml("body", {}, "hi")));
    entity.receive(xml("iq", { xmlns: "jabber:client", type: "get", id: "p1" }));
    entity.receive(xml("message", { xmlns: "urn:example:not-a-stanza" }));
    entity.receive(xml("features", { xmlns: "http://etherx.jabber.org/streams" }));
    entity.receive(xml("r", { xmlns: NS_SM }));
    expect(entity.written).toEqual([`<a xmlns="${NS_SM}" h="2"/>`]);
  });

  it("a server without resumption: each new session counts its acks from zero", async () => {
    entity.receive(xml("enabled", { xmlns: NS_SM })); // no resume="true": nothing to resume later
    for (let i = 0; i < 3; i++) await entity.send(message(`out${i}`));
    entity.receive(xml("a", { xmlns: NS_SM, h: "3" }));
    entity._status("disconnect");
    entity.written.length = 0;
    await negotiate();
    expect(entity.written).toEqual([`<enable xmlns="${NS_SM}" resume="true"/>`]);
    entity.receive(xml("enabled", { xmlns: NS_SM }));
    for (let i = 3; i < 5; i++) await entity.send(message(`out${i}`));
    entity.receive(xml("a", { xmlns: NS_SM, h: "2" }));
    expect(sm.unacked).toBe(0);
  });

  it("an ack beyond what was sent or behind what was acked moves the count only within the queue", async () => {
    for (let i = 0; i < 3; i++) await entity.send(message(`out${i}`));
    entity.receive(xml("a", { xmlns: NS_SM, h: "99" })); // more than sent: all 3 acked, count is 3, not 99
    for (let i = 3; i < 6; i++) await entity.send(message(`out${i}`));
    entity.receive(xml("a", { xmlns: NS_SM, h: "4" })); // counted from 3: one more acked
    expect(sm.unacked).toBe(2);
    entity.receive(xml("a", { xmlns: NS_SM, h: "3" })); // stale (behind 4): releases nothing
    expect(sm.unacked).toBe(2);
    entity.receive(xml("a", { xmlns: NS_SM, h: "6" }));
    expect(sm.unacked).toBe(0);
  });

  it("an ack without a usable h (missing, not a number) is ignored, and later acks still release the queue", async () => {
    for (let i = 0; i < 3; i++) await entity.send(message(`out${i}`));
    entity.receive(xml("a", { xmlns: NS_SM }));
    entity.receive(xml("a", { xmlns: NS_SM, h: "two" }));
    entity.receive(xml("a", { xmlns: NS_SM, h: "1.5" }));
    expect(sm.unacked).toBe(3);
    entity.receive(xml("a", { xmlns: NS_SM, h: "3" }));
    expect(sm.unacked).toBe(0);
  });

  it("resumes after a drop: sends h, resends what the server did not get, comes back online without binding", async () => {
    for (let i = 0; i < 4; i++) entity.receive(message(`in${i}`));
    for (let i = 0; i < 3; i++) await entity.send(message(`out${i}`));
    entity._status("disconnect");
    entity.written.length = 0;
    let bound = false;
    const online: unknown[] = [];
    entity.on("online", (jid) => online.push(String(jid)));
    const resuming = negotiate(() => {
      bound = true;
    });
    expect(entity.written).toEqual([`<resume xmlns="${NS_SM}" h="4" previd="sess-1"/>`]);
    entity.receive(xml("resumed", { xmlns: NS_SM, h: "1", previd: "sess-1" }));
    await resuming;
    expect(entity.written.slice(1)).toEqual([message("out1").toString(), message("out2").toString()]);
    expect(bound).toBe(false);
    expect(online).toEqual(["alice@example.org/pwa"]);
    expect(sm.enabled).toBe(true);
    expect(lost).toEqual([]);
  });

  it("a refused resumption starts a fresh session and hands back the unacknowledged messages", async () => {
    await entity.send(message("out0"));
    await entity.send(xml("presence"));
    await entity.send(message("out1"));
    entity.receive(xml("a", { xmlns: NS_SM, h: "1" }));
    entity._status("disconnect");
    let bound = false;
    const resuming = negotiate(() => {
      bound = true;
    });
    entity.receive(xml("failed", { xmlns: NS_SM }));
    await resuming;
    expect(lost).toEqual([["out1"]]);
    expect(bound).toBe(true);
    expect(entity.written.at(-1)).toBe(`<enable xmlns="${NS_SM}" resume="true"/>`);
  });
});

describe("smacks keep-alive", () => {
  it("asks for an ack after the idle delay, restarts the countdown on traffic, and drops a silent connection", async () => {
    const idle = new EventEmitter() as FakeEntity;
    Object.setPrototypeOf(idle, FakeEntity.prototype);
    Object.assign(idle, { status: "online", jid: entity.jid, written: [], disconnects: 0 });
    const pending: Array<{ fn: () => void; ms: number }> = [];
    let h: Handler | undefined;
    const features = { use: (_n: string, _x: string, fn: Handler) => (h = fn) } as unknown as StreamFeatures;
    smacks(
      idle as unknown as Client,
      features,
      { lost: () => {}, keepAlive: 45_000, ackTimeout: 30_000 },
      {
        set: (fn, ms) => {
          const t = { fn, ms };
          pending.push(t);
          return t;
        },
        clear: (t) => {
          const i = pending.indexOf(t as { fn: () => void; ms: number });
          if (i >= 0) pending.splice(i, 1);
        },
      },
    );
    await h?.({ entity: idle as unknown as Client }, async () => {}, xml("sm", { xmlns: NS_SM }));
    idle.receive(xml("enabled", { xmlns: NS_SM, id: "s", resume: "true" }));
    const keepAlives = () => pending.filter((t) => t.ms === 45_000);
    expect(keepAlives()).toHaveLength(1);
    idle.receive(message("in0")); // traffic restarts the countdown: still exactly one
    expect(keepAlives()).toHaveLength(1);
    idle.written.length = 0;
    keepAlives()[0]?.fn();
    expect(idle.written).toEqual([`<r xmlns="${NS_SM}"/>`]);
    // The <r/> itself re-arms the keep-alive and starts the ack deadline.
    const deadline = pending.find((t) => t.ms === 30_000);
    expect(deadline).toBeDefined();
    idle.receive(xml("a", { xmlns: NS_SM, h: "0" }));
    expect(pending.find((t) => t.ms === 30_000)).toBeUndefined();
    keepAlives()[0]?.fn();
    pending.find((t) => t.ms === 30_000)?.fn(); // no answer this time
    expect(idle.disconnects).toBe(1);
  });
});
