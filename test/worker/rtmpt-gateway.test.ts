// RTMPT gateway mode in workerd, through the worker's public surface (app.request with an rtmp://
// origin in the config) and the session Durable Object's RPC. Sessions that need a live origin are
// given a fake socket through `adopt` (rtmpt-gateway-support.ts; real RTMP origins are in test/e2e).
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { BUFFER_CAP, type RtmptSession } from "../../worker/rtmpt/gateway/session";
import { newSessionId, POLL_LADDER } from "../../worker/rtmpt/protocol";
import { bytes, DEAD, post, session, until } from "./rtmpt-gateway-support";

describe("RTMPT gateway routes", () => {
  it("answers /fcs/ident2 with 404 as Red5 does", async () => {
    const res = await post("/fcs/ident2");
    expect(res.status).toBe(404);
  });

  it("answers /open/1 with a clear 502 when no origin accepts (tries every origin)", async () => {
    const res = await post("/open/1", new Uint8Array([0]), `${DEAD},rtmp://127.0.0.1:2`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("RTMP origin unavailable\n");
  });

  it("answers unknown sessions with 404 and never creates state for them", async () => {
    const id = newSessionId();
    for (const kind of ["send", "idle", "close"]) {
      const res = await post(`/${kind}/${id}/0`);
      expect(res.status, kind).toBe(404);
      expect(await res.text()).toBe("Unknown RTMPT session\n");
    }
    const stub = env.RTMPT_SESSIONS.get(env.RTMPT_SESSIONS.idFromName(id));
    expect(await runInDurableObject(stub, (_i: RtmptSession, state) => state.storage.list())).toEqual(new Map());
  });
});

describe("RTMPT gateway session", () => {
  it("writes /send bodies to the origin in seq order even when they arrive out of order", async () => {
    const s = await session();
    const second = post(`/send/${s.id}/1`, new Uint8Array([0xbb, 0xbb]));
    await until(s.stub, (st) => st.waiting);
    expect(s.origin.written).toEqual([]);
    const first = await post(`/send/${s.id}/0`, new Uint8Array([0xaa, 0xaa]));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/x-fcs");
    // A reply's bytes end only after its body was written to the origin.
    expect(await bytes(first)).toEqual([POLL_LADDER[0]]);
    const late = await second;
    expect(late.status).toBe(200);
    expect(await bytes(late)).toEqual([POLL_LADDER[0]]);
    expect(s.origin.written).toEqual([0xaa, 0xaa, 0xbb, 0xbb]);
  });

  it("passes a keyframe-sized /send body (600 KB) to the origin byte-exact", async () => {
    const s = await session();
    const body = new Uint8Array(600 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
    const res = await post(`/send/${s.id}/0`, body);
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual([POLL_LADDER[0]]);
    expect(s.origin.written.length).toBe(body.length);
    expect(s.origin.written.every((b, i) => b === body[i])).toBe(true);
  });

  it("serves a /send without Content-Length (chunked) in one step: body written, then the reply", async () => {
    const s = await session();
    await s.fromOrigin([8]);
    await until(s.stub, (st) => st.buffered === 1);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([5]));
        controller.enqueue(new Uint8Array([6]));
        controller.close();
      },
    });
    const res = await app.request(
      `http://porthole.test/send/${s.id}/0`,
      { method: "POST", body },
      { ...env, RTMPT_ORIGINS: DEAD },
    );
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual([POLL_LADDER[0], 8]);
    expect(s.origin.written).toEqual([5, 6]);
  });

  it("answers the polling byte then the origin's bytes, and a replay gets the same reply without writing again", async () => {
    const s = await session();
    await s.fromOrigin([1, 2, 3]);
    await until(s.stub, (st) => st.buffered === 3);
    const res = await post(`/send/${s.id}/0`, new Uint8Array([9]));
    const reply = await bytes(res);
    expect(reply).toEqual([POLL_LADDER[0], 1, 2, 3]);
    const replay = await post(`/send/${s.id}/0`, new Uint8Array([9]));
    expect(replay.status).toBe(200);
    expect(await bytes(replay)).toEqual(reply);
    expect(s.origin.written).toEqual([9]);
    const ahead = await post(`/idle/${s.id}/500`);
    expect(ahead.status).toBe(400);
    expect(await ahead.text()).toBe("RTMPT sequence number too far ahead\n");
  });

  it("holds the turn of a /send whose body was lost until the client resends it: nothing skipped, nothing twice", async () => {
    const s = await session();
    await s.fromOrigin([1, 2]);
    await until(s.stub, (st) => st.buffered === 2);
    // The early answer's two steps, as gateway-route.ts runs them, with the body unreadable (client gone).
    const first = await s.stub.begin(0);
    expect(first).toEqual({ kind: "reply", body: new Uint8Array([POLL_LADDER[0], 1, 2]), ticket: 1 });
    await s.stub.complete(1, null);
    const next = post(`/send/${s.id}/1`, new Uint8Array([0xbb]));
    await until(s.stub, (st) => st.waiting);
    expect(s.origin.written).toEqual([]);
    // The resend (same seq, on a new connection) gets the reply the lost one had, and its body goes first.
    const resent = await post(`/send/${s.id}/0`, new Uint8Array([0xaa]));
    expect(resent.status).toBe(200);
    expect(await bytes(resent)).toEqual([POLL_LADDER[0], 1, 2]);
    expect((await next).status).toBe(200);
    expect(s.origin.written).toEqual([0xaa, 0xbb]);
  });

  it("backs the polling byte off after more than 10 empty replies, and back to 0x01 when data flows", async () => {
    const s = await session();
    const seen: number[] = [];
    for (let seq = 0; seq < 12; seq++) seen.push((await bytes(await post(`/idle/${s.id}/${seq}`)))[0] ?? -1);
    expect(seen).toEqual([...Array(11).fill(POLL_LADDER[0]), POLL_LADDER[1]]);
    await s.fromOrigin([7]);
    await until(s.stub, (st) => st.buffered === 1);
    expect(await bytes(await post(`/idle/${s.id}/12`))).toEqual([POLL_LADDER[1], 7]);
    expect((await bytes(await post(`/idle/${s.id}/13`)))[0]).toBe(POLL_LADDER[0]);
  });

  it("/close answers 0x00, closes the socket and forgets the session", async () => {
    const s = await session();
    const res = await post(`/close/${s.id}/0`);
    expect(await bytes(res)).toEqual([0]);
    expect(s.origin.closed).toBe(true);
    const after = await post(`/idle/${s.id}/1`);
    expect(after.status).toBe(404);
    expect(await after.text()).toBe("RTMPT session ended (client_closed)\n");
    expect(await runInDurableObject(s.stub, (_i: RtmptSession, state) => state.storage.list())).toEqual(new Map());
  });

  it("delivers what the origin sent before hanging up, then answers 404 so the client ends", async () => {
    const s = await session();
    await s.fromOrigin([4, 5]);
    await s.hangUp();
    await until(s.stub, (st) => st.buffered === 2);
    expect(await bytes(await post(`/idle/${s.id}/0`))).toEqual([POLL_LADDER[0], 4, 5]);
    expect(s.origin.closed).toBe(true);
    const next = await post(`/idle/${s.id}/1`);
    expect(next.status).toBe(404);
    expect(await next.text()).toBe("RTMPT session ended (origin_closed)\n");
    expect((await s.stub.status()).open).toBe(false);
  });

  it("closes a session whose client stopped polling once the origin bytes pass the cap", async () => {
    const s = await session();
    await s.fromOrigin(Array.from({ length: 1024 }, () => 1));
    await runInDurableObject(s.stub, () => s.origin.send(new Uint8Array(BUFFER_CAP)));
    await until(s.stub, (st) => !st.open);
    expect((await s.stub.status()).endReason).toBe("buffer_overflow");
    expect(s.origin.closed).toBe(true);
    const res = await post(`/idle/${s.id}/0`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("RTMPT session ended (buffer_overflow)\n");
  });

  it("expires an idle session on its alarm; an active one re-arms first", async () => {
    const s = await session();
    expect((await post(`/idle/${s.id}/0`)).status).toBe(200);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect((await s.stub.status()).open).toBe(true);
    expect(s.origin.closed).toBe(false);
    expect(await runDurableObjectAlarm(s.stub)).toBe(true);
    expect(await s.stub.status()).toMatchObject({ open: false, endReason: "idle_timeout" });
    expect(s.origin.closed).toBe(true);
    expect(await runDurableObjectAlarm(s.stub)).toBe(false);
    expect((await post(`/idle/${s.id}/1`)).status).toBe(404);
  });

  it("answers a request in flight when its object is evicted with a plain 503/404, then 404", async () => {
    const s = await session();
    const waiting = post(`/send/${s.id}/1`, new Uint8Array([1])); // seq 0 never comes: it waits in the object
    await until(s.stub, (st) => st.waiting);
    await evictDurableObject(s.stub);
    // Eviction waits (bounded) for the request to drain; either way its answer is plain, never a 500.
    const res = await waiting;
    expect([503, 404]).toContain(res.status);
    expect(await res.text()).toMatch(/^RTMPT session (interrupted|ended \(\w+\))\n$/);
    const next = await post(`/idle/${s.id}/2`);
    expect(next.status).toBe(404);
  }, 60_000);

  it("restores its state in the constructor: after eviction the socket is gone, the session answers 404 and is cleaned up", async () => {
    // The stored state of a session whose object restarted (a live one whose client went silent ends
    // itself within seconds, gateway-liveness.ts, so its state is put there directly).
    const id = newSessionId();
    const stub = env.RTMPT_SESSIONS.get(env.RTMPT_SESSIONS.idFromName(id));
    await runInDurableObject(stub, (_i: RtmptSession, state) => state.storage.put("meta", { origin: "fake:1935", openedAt: 0 }));
    await evictDurableObject(stub);
    const s = { id, stub };
    const res = await post(`/idle/${s.id}/0`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("RTMPT session ended (lost)\n");
    expect(await runInDurableObject(s.stub, (_i: RtmptSession, state) => state.storage.list())).toEqual(new Map());
    expect(await runDurableObjectAlarm(s.stub)).toBe(false);
  });
});
