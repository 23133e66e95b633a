// RTMPT gateway mode with each real client's exact request sequence, in workerd (the session's origin is
// a FakeOrigin, rtmpt-gateway-support.ts; the same clients' framing over real media is
// test/e2e/rtmpt-clients.test.ts):
// - HaishinKit 1.4.3–1.9.8 (Sources/RTMP/RTMPTSocket.swift): /fcs/ident2 (85), /open/1 (200),
//   /idle/<id>/0 (214), then /send and /idle always with seq 0 (245, 266: `index` never advances),
//   /close/<id> with an empty body (119), even while a request is in flight; one retry of the same
//   path and body after a transport error (132-141). HaishinKit 1.4.2 counts 1, 2, 3 (247, 269).
// - RootEncoder (TcpTunneledSocket.kt): /fcs/ident2 (148), /open/1 without body (151), /idle/<id>/0
//   (153), then idle and send counting 1, 2, ... (69, 136), /close/<id> with body 0x00 (169).
// - Flash (Red5 RTMPTServlet.java serves it): a held /idle beside a /send on a second connection.
// - librtmp (rtmp.c): RTMP_Close pipelines its last /send and /close and closes the socket unread
//   (4129-4156), so the /close may never arrive: the session must end by itself.
import { describe, expect, it } from "vitest";
import { CLIENT_GONE_MS } from "../../worker/rtmpt/gateway/liveness";
import { POLL_LADDER } from "../../worker/rtmpt/protocol";
import { bytes, DEAD, post, session, until } from "./rtmpt-gateway-support";

const C0C1 = new Uint8Array(1537).map((_, i) => (i === 0 ? 3 : (i * 7) & 0xff));
const S0S1S2 = Array.from({ length: 3073 }, (_, i) => (i === 0 ? 3 : (i * 5) & 0xff));

/** A request body whose first bytes arrive and whose rest never does (a stalled upload), with its Content-Length. */
function hangingBody(first: Uint8Array, length: number) {
  let cut: (err: Error) => void = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(first);
      cut = (err) => c.error(err);
    },
  });
  return { stream, length: String(length), cut: () => cut(new Error("connection reset")) };
}

function expectFcs(res: Response, label: string) {
  expect(res.status, label).toBe(200);
  expect(res.headers.get("content-type"), label).toBe("application/x-fcs");
}

describe("HaishinKit 1.4.3–1.9.8: every request with seq 0", () => {
  it("serves /idle/0, /send/0 (the 1537-byte handshake), /idle/0, /send/0 ... in arrival order, identical sends twice", async () => {
    const s = await session();
    const ident = await post("/fcs/ident2");
    expect(ident.status).toBe(404);
    const idle0 = await post(`/idle/${s.id}/0`);
    expectFcs(idle0, "idle 0");
    expect(await bytes(idle0)).toEqual([POLL_LADDER[0]]);
    // Same seq, other kind: not a replay, so the handshake reaches the origin.
    const c0c1 = await post(`/send/${s.id}/0`, C0C1);
    expectFcs(c0c1, "C0C1");
    expect(await bytes(c0c1)).toEqual([POLL_LADDER[0]]);
    expect(s.origin.written.length).toBe(1537);
    await s.fromOrigin(S0S1S2);
    await until(s.stub, (st) => st.buffered === 3073);
    const handshake = await post(`/idle/${s.id}/0`);
    expect(await bytes(handshake)).toEqual([POLL_LADDER[0], ...S0S1S2]);
    // Two identical bodies in a row are two RTMP writes for a client that does not count.
    const chunk = new Uint8Array([0x43, 0, 0, 0, 0, 0, 4, 9, 1, 2, 3, 4]);
    for (const label of ["first", "second"]) expectFcs(await post(`/send/${s.id}/0`, chunk), label);
    expect(s.origin.written.length).toBe(1537 + 2 * chunk.length);
    expect(s.origin.written.slice(1537)).toEqual([...chunk, ...chunk]);
    // /close/<id>: no seq, empty body.
    const close = await post(`/close/${s.id}`, new Uint8Array(0));
    expectFcs(close, "close");
    expect(await bytes(close)).toEqual([0]);
    expect(s.origin.closed).toBe(true);
    expect((await s.stub.status()).endReason).toBe("client_closed");
  });

  it("takes over a /send resent while its first copy hangs: the resend's body once, the first copy's never", async () => {
    const s = await session();
    expectFcs(await post(`/idle/${s.id}/0`), "idle 0");
    await s.fromOrigin([7, 7]);
    await until(s.stub, (st) => st.buffered === 2);
    const body = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const stalled = hangingBody(body.subarray(0, 2), body.length);
    const first = post(`/send/${s.id}/0`, stalled.stream, DEAD, {
      "content-length": stalled.length,
    });
    await until(s.stub, (st) => st.buffered === 0); // its reply took the origin's bytes
    const resent = await post(`/send/${s.id}/0`, body);
    expectFcs(resent, "resend");
    // The resend gets the reply the first copy could not deliver: the origin's bytes are not lost.
    expect(await bytes(resent)).toEqual([POLL_LADDER[0], 7, 7]);
    expect(s.origin.written).toEqual([...body]);
    stalled.cut();
    await (await first).arrayBuffer().catch(() => null);
    const next = await post(`/send/${s.id}/0`, new Uint8Array([9]));
    expectFcs(next, "next");
    expect(s.origin.written).toEqual([...body, 9]);
  });

  it("/close/<id> ends the session at once while a /send is still uploading", async () => {
    const s = await session();
    const stalled = hangingBody(new Uint8Array([1]), 10);
    const inFlight = post(`/send/${s.id}/0`, stalled.stream, DEAD, {
      "content-length": stalled.length,
    });
    await until(s.stub, (st) => st.nextSeq === 0 && st.open);
    await inFlight; // its reply's headers left early
    const close = await post(`/close/${s.id}`, new Uint8Array(0));
    expect(await bytes(close)).toEqual([0]);
    expect(s.origin.closed).toBe(true);
    stalled.cut();
    expect(s.origin.written).toEqual([]);
  });
});

describe("HaishinKit 1.4.2 (counting 1, 2, 3 shared by idle and send)", () => {
  it("answers its retry of the same path and body from the replay cache and writes once", async () => {
    const s = await session();
    expectFcs(await post(`/idle/${s.id}/0`), "idle 0");
    await s.fromOrigin([5]);
    await until(s.stub, (st) => st.buffered === 1);
    const reply = await bytes(await post(`/send/${s.id}/1`, C0C1));
    const retry = await post(`/send/${s.id}/1`, C0C1);
    expectFcs(retry, "retry");
    expect(await bytes(retry)).toEqual(reply);
    expect(s.origin.written.length).toBe(1537);
    expectFcs(await post(`/idle/${s.id}/2`), "idle 2");
    expect((await s.stub.status()).nextSeq).toBe(3);
  });
});

describe("RootEncoder", () => {
  it("opens with an empty body, counts from its idle 0, and closes with /close/<id> and 0x00", async () => {
    // /open/1 without body passes the worker's checks (the dead origin then answers 502, not 400).
    const open = await post("/open/1", new Uint8Array(0));
    expect(open.status).toBe(502);
    expect(await open.text()).toBe("RTMP origin unavailable\n");
    const s = await session();
    expectFcs(await post(`/idle/${s.id}/0`), "idle 0");
    expectFcs(await post(`/send/${s.id}/1`, C0C1), "send 1");
    for (let seq = 2; seq < 6; seq++) expectFcs(await post(`/idle/${s.id}/${seq}`), `idle ${seq}`);
    expectFcs(await post(`/send/${s.id}/6`, new Uint8Array([8])), "send 6");
    expect(s.origin.written.length).toBe(1538);
    const close = await post(`/close/${s.id}`, new Uint8Array([0]));
    expect(await bytes(close)).toEqual([0]);
    expect(s.origin.closed).toBe(true);
  });
});

describe("Flash: a held /idle beside a /send on a second connection", () => {
  it("lets the /send through at once and keeps counting", async () => {
    const s = await session();
    expectFcs(await post(`/idle/${s.id}/0`), "idle 0");
    const held = post(`/idle/${s.id}/1`);
    const started = Date.now();
    const send = await post(`/send/${s.id}/2`, C0C1);
    expectFcs(send, "send 2");
    expectFcs(await held, "idle 1");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(s.origin.written.length).toBe(1537);
    expect((await s.stub.status()).nextSeq).toBe(3);
  });
});

describe("clients that leave without a /close", () => {
  it("librtmp's last /send cut by a reset, its /close never arriving: the session ends within seconds", async () => {
    const s = await session();
    expectFcs(await post(`/send/${s.id}/0`, C0C1), "send 0");
    const last = await s.stub.begin(1);
    expect(last.kind).toBe("reply");
    const ticket = last.kind === "reply" ? (last.ticket ?? 0) : 0;
    const started = Date.now();
    await s.stub.complete(ticket, null); // its body's connection was reset
    await until(s.stub, (st) => !st.open);
    const took = Date.now() - started;
    expect((await s.stub.status()).endReason).toBe("client_gone");
    expect(s.origin.closed).toBe(true);
    expect(took).toBeGreaterThanOrEqual(CLIENT_GONE_MS);
    expect(took).toBeLessThan(5_000);
  }, 20_000);

  it("a client that simply stops polling: gone after its polling delay plus a few seconds, not the 30 s alarm", async () => {
    const s = await session();
    expectFcs(await post(`/idle/${s.id}/0`), "idle 0");
    const started = Date.now();
    await until(s.stub, (st) => !st.open);
    expect((await s.stub.status()).endReason).toBe("client_gone");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(s.origin.closed).toBe(true);
    const after = await post(`/idle/${s.id}/1`);
    expect(after.status).toBe(404);
    expect(await after.text()).toBe("RTMPT session ended (client_gone)\n");
  }, 20_000);

  it("a client that keeps polling stays, however long", async () => {
    const s = await session();
    const until = Date.now() + CLIENT_GONE_MS + 1_500;
    let seq = 0;
    while (Date.now() < until) {
      expectFcs(await post(`/idle/${s.id}/${seq++}`), `idle ${seq}`);
      await scheduler.wait(200);
    }
    expect((await s.stub.status()).open).toBe(true);
  }, 20_000);
});
