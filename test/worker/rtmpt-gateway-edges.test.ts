// RTMPT gateway mode, edges the other suites leave open: the early reply of a /send or /idle that has a
// Content-Length (through the route, as real clients send it), a replay that must read its body first,
// a resend's ticket, the idle alarm of a session that never saw a request, the session's log records,
// and the path grammar's boundaries (worker/rtmpt/protocol.ts).
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CLIENT_GONE_MS } from "../../worker/rtmpt/gateway/liveness";
import { Sequencer } from "../../worker/rtmpt/gateway/sequencer";
import {
  INITIAL_POLL_STATE,
  nextPollState,
  POLL_LADDER,
  type PollState,
  parseRtmptPath,
  pollingByte,
} from "../../worker/rtmpt/protocol";
import { logRecords } from "./log-records";
import { bytes, DEAD, post, session, until } from "./rtmpt-gateway-support";

afterEach(() => vi.restoreAllMocks());

describe("early replies through the route (Content-Length sent)", () => {
  it("/send and /idle answer polling byte + origin bytes, the /send body reaching the origin once", async () => {
    const s = await session();
    await s.fromOrigin([7]);
    await until(s.stub, (st) => st.buffered === 1);
    const send = await post(`/send/${s.id}/0`, new Uint8Array([1, 2]), DEAD, { "content-length": "2" });
    expect(send.status).toBe(200);
    expect(send.headers.get("content-type")).toBe("application/x-fcs");
    expect(await bytes(send)).toEqual([POLL_LADDER[0], 7]);
    expect(s.origin.written).toEqual([1, 2]);
    const idle = await post(`/idle/${s.id}/1`, new Uint8Array([0]), DEAD, { "content-length": "1" });
    expect(idle.status).toBe(200);
    expect(await bytes(idle)).toEqual([POLL_LADDER[0]]);
  });

  it("a /send reusing a served seq with the same bytes is a replay: the same reply, nothing written twice", async () => {
    const s = await session();
    await s.fromOrigin([5, 5]);
    await until(s.stub, (st) => st.buffered === 2);
    const first = await post(`/send/${s.id}/0`, new Uint8Array([9]), DEAD, { "content-length": "1" });
    expect(await bytes(first)).toEqual([POLL_LADDER[0], 5, 5]);
    const again = await post(`/send/${s.id}/0`, new Uint8Array([9]), DEAD, { "content-length": "1" });
    expect(again.status).toBe(200);
    expect(await bytes(again)).toEqual([POLL_LADDER[0], 5, 5]);
    expect(s.origin.written).toEqual([9]);
  });
});

describe("a /send resent while its first copy still uploads", () => {
  it("gets a new ticket: the first copy's late body is ignored, only the resend's is written", async () => {
    const s = await session();
    const first = await s.stub.begin(0);
    const resend = await s.stub.begin(0);
    if (first.kind !== "reply" || resend.kind !== "reply") throw new Error("expected replies");
    expect(resend.ticket).not.toBe(first.ticket);
    expect([...resend.body]).toEqual([...first.body]);
    await s.stub.complete(first.ticket ?? -1, new Uint8Array([1, 1]));
    expect(s.origin.written).toEqual([]);
    await s.stub.complete(resend.ticket ?? -1, new Uint8Array([2, 2]));
    expect(s.origin.written).toEqual([2, 2]);
  });

  it("a resend of a /send whose body was lost holds the turn as a client again: the session is not taken as gone", async () => {
    const s = await session();
    const first = await s.stub.begin(0);
    if (first.kind !== "reply") throw new Error("expected a reply");
    // The first copy's connection was cut: its turn is held, but it shows no client (liveness.ts busy).
    await s.stub.complete(first.ticket ?? -1, null);
    const resend = await s.stub.begin(0);
    if (resend.kind !== "reply") throw new Error("expected a reply");
    // The resend's body is still uploading, past the silence that would mean "client gone"
    // (CLIENT_GONE_MS + polling byte 1 × 100 ms, checked every 200 ms) and well within STALL_MS.
    await scheduler.wait(CLIENT_GONE_MS + 100 + 600);
    expect((await s.stub.status()).open).toBe(true);
    await s.stub.complete(resend.ticket ?? -1, new Uint8Array([3]));
    expect(s.origin.written).toEqual([3]);
  });
});

describe("sequence window", () => {
  it("refuses a seq more than 64 ahead of the next expected one at once", async () => {
    const s = await session();
    expect(await s.stub.idle(65)).toEqual({ kind: "bad", message: "RTMPT sequence number too far ahead" });
  });
});

describe("idle alarm", () => {
  it("ends a session that never saw a request at its first alarm", async () => {
    const s = await session();
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    const status = await s.stub.status();
    expect(status.open).toBe(false);
    expect(status.endReason).toBe("idle_timeout");
    expect(s.origin.closed).toBe(true);
  });
});

describe("log records", () => {
  it("logs the open of a session, and a failed /open with why each origin failed", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    await session();
    expect(logRecords(info, "rtmpt_gateway_open")).toEqual([{ event: "rtmpt_gateway_open", origin: "fake:1935", failovers: 0 }]);
    const res = await post("/open/1", new Uint8Array([0]), `${DEAD},rtmp://127.0.0.1:2`);
    expect(res.status).toBe(502);
    const [failed, ...more] = logRecords(info, "rtmpt_gateway_open_failed");
    expect(more).toEqual([]);
    // Both origins, each once, in the rotation's order (its start is random).
    const failures = [...((failed?.failures ?? []) as string[])].sort();
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^127\.0\.0\.1:1: \S/);
    expect(failures[1]).toMatch(/^127\.0\.0\.1:2: \S/);
  });
});

describe("Sequencer", () => {
  it("no longer reports a request waiting once it got its turn", async () => {
    const seq = new Sequencer();
    expect(await seq.turn(0)).toBe("go");
    const next = seq.turn(1);
    expect(seq.hasWaiting()).toBe(true);
    seq.done(0);
    expect(await next).toBe("go");
    expect(seq.hasWaiting()).toBe(false);
    expect(seq.current).toBe(1);
  });
});

describe("parseRtmptPath boundaries", () => {
  it("refuses one segment too many after a seq, and takes /close/<id> without one", () => {
    expect(parseRtmptPath("/send/abc/1/x")).toEqual({
      ok: false,
      status: 400,
      message: "Bad RTMPT path (expected /send/<session>/<seq>)",
    });
    expect(parseRtmptPath("/idle/abc/1/")).toMatchObject({ ok: false, status: 400 });
    expect(parseRtmptPath("/close/abc")).toEqual({
      ok: true,
      request: { kind: "close", path: "/close/abc", id: "abc", seq: null },
    });
    expect(parseRtmptPath("/send/abc")).toMatchObject({ ok: false, status: 400 });
    expect(parseRtmptPath("/send/abc/0123456789")).toMatchObject({ ok: true, request: { seq: 123456789 } });
    expect(parseRtmptPath("/send/abc/01234567890")).toEqual({ ok: false, status: 400, message: "Bad RTMPT sequence number" });
    expect(parseRtmptPath(`/idle/${"a".repeat(64)}/0`)).toMatchObject({ ok: true });
    expect(parseRtmptPath("/open/999")).toMatchObject({ ok: true });
    expect(parseRtmptPath("/open/")).toEqual({ ok: false, status: 400, message: "Bad RTMPT open path (expected /open/1)" });
    expect(parseRtmptPath("/fcs/ident2/x")).toEqual({ ok: false, status: 404, message: "Not found" });
  });
});

describe("polling byte ladder", () => {
  it("climbs one step after more than 10 empty replies in a row, counted afresh after a reply with data", () => {
    const run = (state: PollState, hadData: boolean[]) => hadData.reduce((st, d) => nextPollState(st, d), state);
    const afterData = run(INITIAL_POLL_STATE, [false, false, false, true]);
    expect(afterData).toEqual({ step: 0, emptyReplies: 0 });
    expect(pollingByte(run(afterData, Array(10).fill(false)))).toBe(POLL_LADDER[0]);
    expect(pollingByte(run(afterData, Array(11).fill(false)))).toBe(POLL_LADDER[1]);
    expect(pollingByte(run(INITIAL_POLL_STATE, Array(200).fill(false)))).toBe(POLL_LADDER[POLL_LADDER.length - 1]);
  });
});
