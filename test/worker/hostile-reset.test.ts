// Durable Object eviction in the middle of a gateway request (issue 9): a request waiting in the session's
// object when the runtime evicts it must end with a clean plain answer, never a 500 or a hang (here the
// runtime lets the request finish: it ends at the sequence-gap timeout, 10 s), and the next request of the
// session is a 404 so the RTMPT client ends.
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, it, vi } from "vitest";
import type { ByteSocket, RtmptSession } from "../../worker/rtmpt/gateway";
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

describe("gateway: Durable Object evicted mid-request", () => {
  it("a request waiting for its turn ends with a clean answer, and the session is then gone (404)", async () => {
    const id = newSessionId();
    const stub = env.RTMPT_SESSIONS.get(env.RTMPT_SESSIONS.idFromName(id));
    await runInDurableObject(stub, (instance: RtmptSession) => instance.adopt(new SilentOrigin(), "silent:1935"));
    const waiting = post(`/send/${id}/1`); // seq 0 never comes: it waits in the object
    for (;;) {
      if ((await stub.status()).waiting) break;
      await scheduler.wait(5);
    }
    await evictDurableObject(stub);
    const res = await waiting;
    await assertClean(res, "request in flight during eviction", { statuses: [404] });
    const next = await post(`/idle/${id}/2`);
    await assertClean(next, "next request after eviction", { statuses: [404] });
  }, 60_000);
});
