// A gateway session's Durable Object reset in the middle of a request: the request waiting in it
// must end with a clean plain answer, never a 500 or a hang, and the next request of the session is a 404
// so the RTMPT client ends.
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, it, vi } from "vitest";
import type { ByteSocket, RtmptSession } from "../../worker/rtmpt/gateway/session";
import { newSessionId } from "../../worker/rtmpt/protocol";
import { assertClean, request } from "./hostile-support";

/** An origin socket that never sends anything and accepts every write. */
class SilentOrigin implements ByteSocket {
  readonly readable = new ReadableStream<Uint8Array>();
  readonly writable = new WritableStream<Uint8Array>();
  async close(): Promise<void> {}
}

const post = (path: string) => request("gateway", path, { method: "POST", body: new Uint8Array([0]) });

beforeEach(() => {
  for (const level of ["warn", "info", "error"] as const) vi.spyOn(console, level).mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe("gateway: Durable Object reset mid-request", () => {
  it("a request in flight when its object is reset (ctx.abort: a crash or a deploy) gets a plain 503, then the session is 404", async () => {
    const id = newSessionId();
    const stub = env.RTMPT_SESSIONS.get(env.RTMPT_SESSIONS.idFromName(id));
    await runInDurableObject(stub, (instance: RtmptSession) => instance.adopt(new SilentOrigin(), "silent:1935"));
    const waiting = post(`/send/${id}/1`); // seq 0 never comes: it waits in the object
    for (;;) {
      if ((await stub.status()).waiting) break;
      await scheduler.wait(5);
    }
    // Unlike evictDurableObject (which lets requests finish: test/worker/rtmpt-gateway.test.ts), abort()
    // breaks the object at once, as an exception or a deploy's restart does.
    await runInDurableObject(stub, (_i: RtmptSession, state) => state.abort("reset by the test")).catch(() => {});
    await assertClean(await waiting, "request in flight during the reset", { statuses: [503] });
    await assertClean(await post(`/idle/${id}/2`), "next request after the reset", { statuses: [404] });
  });
});
