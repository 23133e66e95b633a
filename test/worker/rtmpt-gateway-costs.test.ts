// RTMPT gateway mode: what a steady session does per request, kept to what the bytes need (a publisher
// sends several /send a second for as long as it streams, all through one isolate): a request whose
// turn is free arms no timer (session.ts waitTurn; sequencer.ts decides a free turn at once), while one
// that waits for a missing predecessor still has its gap timer and is served in order once it fills;
// and a /send whose body comes after its headers (FFmpeg) right after a reply that left nothing waiting
// is answered 0x01 alone in one call into the session (quiet-sends.ts), not two.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mayAnswerQuietly, noteNext, quietHints } from "../../worker/rtmpt/gateway/quiet-sends";
import { Sequencer } from "../../worker/rtmpt/gateway/sequencer";
import { RtmptSession } from "../../worker/rtmpt/gateway/session";
import { POLL_LADDER } from "../../worker/rtmpt/protocol";
import { bytes, DEAD, post, session, until } from "./rtmpt-gateway-support";

/** The session's gap timer (SEQ_GAP_TIMEOUT_MS in session.ts). */
const GAP_MS = 10_000;

/** Counts timers armed with the gap timer's delay while `run` runs. */
async function gapTimersDuring(run: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(globalThis, "setTimeout");
  try {
    await run();
    return spy.mock.calls.filter((call) => call[1] === GAP_MS).length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("per-request cost of a steady gateway session", () => {
  it("decides a free turn at once, without a promise", () => {
    const seq = new Sequencer();
    expect(seq.turn(0)).toBe("go");
    seq.done(0);
    expect(seq.turn(5)).toBeInstanceOf(Promise);
    expect(seq.turn(0)).toBe("stale");
  });

  it("arms no gap timer for /send and /idle served in turn", async () => {
    const s = await session();
    const armed = await gapTimersDuring(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await post(`/send/${s.id}/${2 * i}`, new Uint8Array([i]), DEAD, { "content-length": "1" });
        expect(await bytes(res)).toEqual([POLL_LADDER[0]]);
        await (await post(`/idle/${s.id}/${2 * i + 1}`, new Uint8Array([0]), DEAD, { "content-length": "1" })).arrayBuffer();
      }
    });
    expect(armed).toBe(0);
    expect(s.origin.written).toEqual([0, 1, 2]);
  });

  it("still arms the gap timer for a request that waits for its predecessor, and serves both in order", async () => {
    const s = await session();
    let ahead: Promise<Response> | null = null;
    const armed = await gapTimersDuring(async () => {
      ahead = post(`/send/${s.id}/1`, new Uint8Array([2]), DEAD, { "content-length": "1" });
      // The object sees /send 1 waiting before its predecessor arrives.
      for (;;) {
        if ((await s.stub.status()).waiting) break;
        await scheduler.wait(2);
      }
    });
    expect(armed).toBe(1);
    await (await post(`/send/${s.id}/0`, new Uint8Array([1]), DEAD, { "content-length": "1" })).arrayBuffer();
    expect((await (ahead as unknown as Promise<Response>)).status).toBe(200);
    expect(s.origin.written).toEqual([1, 2]);
  });
});

/**
 * A /send whose body comes after its headers, as FFmpeg's does: the body is sent once the route has
 * had its one look at it (a turn of the event loop, body-arrival.ts) and found nothing.
 */
async function lateSend(id: string, seq: number, data: number[]): Promise<Response> {
  const body: { ctrl?: ReadableStreamDefaultController<Uint8Array> } = {};
  let asked: () => void = () => {};
  const wasAsked = new Promise<void>((resolve) => {
    asked = resolve;
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        body.ctrl = c;
      },
      pull: () => asked(),
    },
    { highWaterMark: 0 },
  );
  const res = post(`/send/${id}/${seq}`, stream, DEAD, { "content-length": String(data.length) });
  await wasAsked;
  await scheduler.wait(5);
  body.ctrl?.enqueue(new Uint8Array(data));
  body.ctrl?.close();
  return res;
}

describe("a late /send after a reply that left nothing waiting (quiet-sends.ts)", () => {
  it("is answered 0x01 alone in one call; origin bytes that came meanwhile go with the next reply, which takes two", async () => {
    const s = await session();
    const begin = vi.spyOn(RtmptSession.prototype, "begin");
    const complete = vi.spyOn(RtmptSession.prototype, "complete");
    expect(await bytes(await post(`/send/${s.id}/0`, new Uint8Array([1]), DEAD, { "content-length": "1" }))).toEqual([
      POLL_LADDER[0],
    ]);
    expect(mayAnswerQuietly(s.id, 1)).toBe(true);
    await s.fromOrigin([7]);
    await until(s.stub, (st) => st.buffered === 1);
    // Its headers leave before its body: 0x01 alone, the 7 stays buffered.
    expect(await bytes(await lateSend(s.id, 1, [2, 3]))).toEqual([POLL_LADDER[0]]);
    expect(s.origin.written).toEqual([1, 2, 3]);
    expect(begin).not.toHaveBeenCalled();
    expect(complete).not.toHaveBeenCalled();
    // That reply left the 7 waiting: the next late /send is answered early with it (begin + complete).
    expect(mayAnswerQuietly(s.id, 2)).toBe(false);
    expect(await bytes(await lateSend(s.id, 2, [4]))).toEqual([POLL_LADDER[0], 7]);
    expect(begin).toHaveBeenCalledTimes(1);
    expect(complete).toHaveBeenCalledTimes(1);
    expect(s.origin.written).toEqual([1, 2, 3, 4]);
    // ... which again left nothing waiting.
    expect(mayAnswerQuietly(s.id, 3)).toBe(true);
  });

  it("a hint that no longer holds (a replayed seq whose reply had bytes) ends that reply with an error, writes nothing twice", async () => {
    const s = await session();
    await s.fromOrigin([5]);
    await until(s.stub, (st) => st.buffered === 1);
    expect(await bytes(await post(`/send/${s.id}/0`, new Uint8Array([9]), DEAD, { "content-length": "1" }))).toEqual([
      POLL_LADDER[0],
      5,
    ]);
    // As another isolate's stale hint would have it: seq 0 next.
    noteNext(s.id, 0);
    const res = await lateSend(s.id, 0, [9]);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(mayAnswerQuietly(s.id, 0)).toBe(false);
    // The client's resend is a replay, served with the reply seq 0 had; 9 was written once.
    expect(await bytes(await lateSend(s.id, 0, [9]))).toEqual([POLL_LADDER[0], 5]);
    expect(s.origin.written).toEqual([9]);
  });

  it("keeps at most 10,000 sessions' hints", () => {
    for (let i = 0; i <= 10_000; i++) noteNext(`hint-test-${i}`, 1);
    expect(quietHints()).toBeLessThanOrEqual(10_000);
    noteNext("hint-test-10000", undefined);
    expect(mayAnswerQuietly("hint-test-10000", 1)).toBe(false);
  });
});
