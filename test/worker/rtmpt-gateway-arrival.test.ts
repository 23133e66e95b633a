// RTMPT gateway mode: a /send whose body came with its headers is served in one call into the session;
// one whose body is still on its way (FFmpeg writes headers and body apart, libavformat/http.c
// http_connect) is answered early, its headers before its body arrives (worker/rtmpt/gateway/route.ts,
// body-arrival.ts). Bodies that arrive late are streams the test feeds by hand.
import { describe, expect, it } from "vitest";
import { arrival } from "../../worker/rtmpt/gateway/body-arrival";
import { POLL_LADDER } from "../../worker/rtmpt/protocol";
import { bytes, DEAD, post, session, until } from "./rtmpt-gateway-support";

/**
 * A body stream the test writes to when it wants: `send` enqueues, `end` closes; `asked` resolves when
 * its reader first waits for bytes.
 */
function lateBody() {
  let ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
  let wasAsked: () => void = () => {};
  const asked = new Promise<void>((resolve) => {
    wasAsked = resolve;
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        ctrl = c;
      },
      pull: () => wasAsked(),
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    asked,
    send: (data: number[]) => ctrl?.enqueue(new Uint8Array(data)),
    end: () => ctrl?.close(),
  };
}

describe("arrival of a /send body", () => {
  it("gives a body that is all there at once", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.close();
      },
    });
    const a = await arrival(body, 3, 1024);
    expect(a.kind).toBe("here");
    if (a.kind === "here") expect([...a.body]).toEqual([1, 2, 3]);
  });

  it("reads a body that is not there yet later, from its first byte", async () => {
    const late = lateBody();
    const a = await arrival(late.stream, 3, 1024);
    expect(a.kind).toBe("later");
    if (a.kind !== "later") return;
    const rest = a.rest();
    late.send([1]);
    late.send([2, 3]);
    late.end();
    expect([...((await rest) ?? [])]).toEqual([1, 2, 3]);
  });

  it("keeps a first part that came early and reads the rest; over the cap it gives null", async () => {
    const part = lateBody();
    part.send([4, 5]);
    const a = await arrival(part.stream, 4, 1024);
    expect(a.kind).toBe("later");
    if (a.kind !== "later") return;
    const rest = a.rest();
    part.send([6, 7]);
    part.end();
    expect([...((await rest) ?? [])]).toEqual([4, 5, 6, 7]);

    const big = lateBody();
    const b = await arrival(big.stream, 4, 3);
    if (b.kind !== "later") throw new Error("expected later");
    const capped = b.rest();
    big.send([1, 2, 3, 4]);
    expect(await capped).toBeNull();
  });
});

describe("a /send whose body comes after its headers, through the route", () => {
  it("gets its reply headers before the body arrives, and its bytes once the body was written", async () => {
    const s = await session();
    await s.fromOrigin([7]);
    await until(s.stub, (st) => st.buffered === 1);
    const late = lateBody();
    const res = await post(`/send/${s.id}/0`, late.stream, DEAD, { "content-length": "2" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-fcs");
    expect(s.origin.written).toEqual([]);
    // The next request waits for this one's body: nothing may overtake it.
    const next = post(`/send/${s.id}/1`, new Uint8Array([3]), DEAD, { "content-length": "1" });
    await until(s.stub, (st) => st.waiting);
    late.send([1, 2]);
    late.end();
    expect(await bytes(res)).toEqual([POLL_LADDER[0], 7]);
    expect(await bytes(await next)).toEqual([POLL_LADDER[0]]);
    expect(s.origin.written).toEqual([1, 2, 3]);
  });

  it("a late body reusing a served seq is read first: with the same bytes it is a replay, nothing written twice", async () => {
    const s = await session();
    await s.fromOrigin([5]);
    await until(s.stub, (st) => st.buffered === 1);
    expect(await bytes(await post(`/send/${s.id}/0`, new Uint8Array([9]), DEAD, { "content-length": "1" }))).toEqual([
      POLL_LADDER[0],
      5,
    ]);
    const late = lateBody();
    const again = post(`/send/${s.id}/0`, late.stream, DEAD, { "content-length": "1" });
    // Past the route's one look at the body (a turn of the event loop): it is answered as late.
    await late.asked;
    await scheduler.wait(5);
    late.send([9]);
    late.end();
    const res = await again;
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual([POLL_LADDER[0], 5]);
    expect(s.origin.written).toEqual([9]);
  });
});
