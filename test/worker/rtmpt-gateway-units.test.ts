// Pure parts of RTMPT gateway mode: seq ordering (gateway-sequencer.ts), the capped origin buffer
// (gateway-buffer.ts), origin spreading/failover order (gateway-route.ts), each request's turn for
// counting and non-counting clients (gateway-order.ts) and when a client is gone (gateway-liveness.ts).
import { describe, expect, it } from "vitest";
import { OriginBuffer } from "../../worker/rtmpt/gateway/buffer";
import { CLIENT_GONE_MS, clientVerdict, STALL_MS } from "../../worker/rtmpt/gateway/liveness";
import { newOrderState, place, remember } from "../../worker/rtmpt/gateway/order";
import { Sequencer } from "../../worker/rtmpt/gateway/sequencer";

describe("Sequencer", () => {
  it("serves requests in seq order whatever order they arrive in", async () => {
    const seq = new Sequencer();
    const served: number[] = [];
    const serve = async (n: number) => {
      const turn = await seq.turn(n);
      if (turn === "go") {
        served.push(n);
        seq.done(n);
      }
      return turn;
    };
    const turns = await Promise.all([serve(3), serve(1), serve(2), serve(0)]);
    expect(turns).toEqual(["go", "go", "go", "go"]);
    expect(served).toEqual([0, 1, 2, 3]);
    expect(seq.next).toBe(4);
  });

  it("refuses replays, duplicates and requests too far ahead without disturbing the order", async () => {
    const queued: number[] = [];
    const seq = new Sequencer(0, 8, () => queued.push(1));
    expect(await seq.turn(0)).toBe("go");
    expect(await seq.turn(0)).toBe("duplicate");
    const two = seq.turn(2);
    expect(seq.hasWaiting()).toBe(true);
    expect(queued.length).toBe(1);
    expect(await seq.turn(2)).toBe("duplicate");
    expect(await seq.turn(9)).toBe("too-far");
    seq.done(0);
    expect(await seq.turn(0)).toBe("stale");
    expect(await seq.turn(1)).toBe("go");
    seq.done(1);
    expect(await two).toBe("go");
    seq.done(2);
    expect(seq.next).toBe(3);
  });

  it("cancels a waiting request and aborts everything when the session ends", async () => {
    const seq = new Sequencer();
    const five = seq.turn(5);
    expect(seq.cancel(5, "aborted")).toBe(true);
    expect(seq.cancel(5, "aborted")).toBe(false);
    expect(await five).toBe("aborted");
    const three = seq.turn(3);
    seq.abort();
    expect(await three).toBe("aborted");
    expect(await seq.turn(0)).toBe("aborted");
  });
});

describe("OriginBuffer", () => {
  it("drains everything in order behind the polling byte", () => {
    const b = new OriginBuffer(16);
    expect(b.push(new Uint8Array([1, 2]))).toBe(true);
    expect(b.push(new Uint8Array([3]))).toBe(true);
    expect(b.size).toBe(3);
    expect([...b.drain(0x05)]).toEqual([0x05, 1, 2, 3]);
    expect(b.size).toBe(0);
    expect([...b.drain(0x01)]).toEqual([0x01]);
  });

  it("refuses bytes past the cap and keeps what it had", () => {
    const b = new OriginBuffer(4);
    expect(b.push(new Uint8Array(3))).toBe(true);
    expect(b.push(new Uint8Array(2))).toBe(false);
    expect(b.size).toBe(3);
    expect(b.push(new Uint8Array(1))).toBe(true);
    expect(b.size).toBe(4);
  });

  it("wakes waiters on data and on wake(), and forgets those whose wait ran out", async () => {
    const b = new OriginBuffer(8);
    const first = b.changed(60_000);
    expect(b.waiting).toBe(1);
    b.push(new Uint8Array([7]));
    await first;
    const second = b.changed(60_000);
    b.wake();
    await second;
    expect(b.size).toBe(1);
    await b.changed(1);
    expect(b.waiting).toBe(0);
  });
});

describe("place (gateway-order.ts)", () => {
  it("keeps a counting client's seq as its turn and answers a true replay (same kind and bytes)", () => {
    const s = newOrderState();
    expect(place(s, 0, 0, "send", new Uint8Array([1]))).toEqual({ kind: "turn", turn: 0 });
    remember(s, 0, "send", new Uint8Array([1]), new Uint8Array([1, 9]));
    s.pending.delete(0);
    expect(place(s, 1, 0, "send", new Uint8Array([1]))).toEqual({ kind: "replay", reply: new Uint8Array([1, 9]) });
    expect(place(s, 1, 0, "send")).toEqual({ kind: "need-body" });
    expect(place(s, 1, 2, "idle")).toEqual({ kind: "turn", turn: 2 });
    expect(place(s, 1, 2, "idle")).toEqual({ kind: "duplicate" });
    expect(s.counting).toBe(true);
  });

  it("a served seq with other bytes or of another kind: the client does not count, arrival order from then on", () => {
    const s = newOrderState();
    expect(place(s, 0, 0, "idle")).toEqual({ kind: "turn", turn: 0 });
    remember(s, 0, "idle", null, new Uint8Array([1]));
    s.pending.delete(0);
    expect(place(s, 1, 0, "send", new Uint8Array(1537))).toEqual({ kind: "turn", turn: 1 });
    expect(s.counting).toBe(false);
    expect(place(s, 1, 0, "idle")).toEqual({ kind: "turn", turn: 2 });
    expect(place(s, 3, 0, "send", new Uint8Array(1537))).toEqual({ kind: "turn", turn: 3 });
  });
});

describe("clientVerdict (gateway-liveness.ts)", () => {
  it("a silent client is gone after CLIENT_GONE_MS beyond its polling delay; a busy one only when stalled", () => {
    const at = (silent: number, pollingByte: number, busy: boolean) =>
      clientVerdict({ now: 100_000, lastSeen: 100_000 - silent, pollingByte, busy, started: true });
    expect(at(CLIENT_GONE_MS, 1, false)).toBe("alive");
    expect(at(CLIENT_GONE_MS + 101, 1, false)).toBe("client_gone");
    expect(at(CLIENT_GONE_MS + 3_000, 0x21, false)).toBe("alive");
    expect(at(CLIENT_GONE_MS + 3_301, 0x21, false)).toBe("client_gone");
    expect(at(STALL_MS, 1, true)).toBe("alive");
    expect(at(STALL_MS + 1, 1, true)).toBe("client_stalled");
  });

  it("a client that has not sent its first request since /open (still connecting) is gone only after STALL_MS", () => {
    const at = (silent: number) =>
      clientVerdict({ now: 100_000, lastSeen: 100_000 - silent, pollingByte: 1, busy: false, started: false });
    expect(at(CLIENT_GONE_MS + 101)).toBe("alive");
    expect(at(STALL_MS)).toBe("alive");
    expect(at(STALL_MS + 1)).toBe("client_gone");
  });
});
