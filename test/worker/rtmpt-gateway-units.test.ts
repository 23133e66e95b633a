// Pure parts of RTMPT gateway mode: seq ordering (gateway-sequencer.ts), the capped origin buffer
// (gateway-buffer.ts) and origin spreading/failover order (gateway-route.ts).
import { describe, expect, it } from "vitest";
import { OriginBuffer } from "../../worker/rtmpt/gateway-buffer";
import { originOrder } from "../../worker/rtmpt/gateway-route";
import { Sequencer, type Turn } from "../../worker/rtmpt/gateway-sequencer";

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
    const three: Promise<Turn> = seq.turn(3);
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

describe("originOrder", () => {
  it("starts at the chosen origin and fails over through the rest in list order", () => {
    expect(originOrder(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(originOrder(["a", "b", "c"], 2)).toEqual(["c", "a", "b"]);
    expect(originOrder(["a"], 0)).toEqual(["a"]);
    expect(originOrder([], 0)).toEqual([]);
  });
});
