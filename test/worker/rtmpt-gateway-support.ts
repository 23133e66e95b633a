/**
 * RTMPT gateway mode in workerd, shared by its suites (rtmpt-gateway*.test.ts, rtmpt-clients.test.ts):
 * the worker's public surface with an rtmp:// origin in the config, and sessions whose Durable Object
 * holds a FakeOrigin through `adopt` (the only mock: real RTMP origins are in test/e2e).
 */
import { env, runInDurableObject } from "cloudflare:test";
import app from "../../worker/index";
import type { ByteSocket, RtmptSession } from "../../worker/rtmpt/gateway/session";
import { newSessionId } from "../../worker/rtmpt/protocol";

/** Port 1 on loopback: nothing listens there, so connect() is refused. */
export const DEAD = "rtmp://127.0.0.1:1";

export function post(
  path: string,
  body: BodyInit | null = new Uint8Array([0]),
  origins = DEAD,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(
      `http://porthole.test${path}`,
      { method: "POST", body, headers: { "Content-Type": "application/x-fcs", ...headers } },
      { ...env, RTMPT_ORIGINS: origins },
    ),
  );
}

export async function bytes(res: Response): Promise<number[]> {
  return [...new Uint8Array(await res.arrayBuffer())];
}

/** The origin end of a session: records what the gateway writes, sends bytes back, can hang up. */
export class FakeOrigin implements ByteSocket {
  written: number[] = [];
  closed = false;
  private ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
  readonly readable = new ReadableStream<Uint8Array>({
    start: (c) => {
      this.ctrl = c;
    },
  });
  readonly writable = new WritableStream<Uint8Array>({
    write: (chunk) => {
      for (const b of chunk) this.written.push(b);
    },
  });
  async close(): Promise<void> {
    this.closed = true;
  }
  send(data: Uint8Array): void {
    this.ctrl?.enqueue(data);
  }
  hangUp(): void {
    this.ctrl?.close();
  }
}

/** A session whose object holds a FakeOrigin (created inside the object, as a real socket would be). */
export async function session() {
  const id = newSessionId();
  const stub = env.RTMPT_SESSIONS.get(env.RTMPT_SESSIONS.idFromName(id));
  const origin = await runInDurableObject(stub, async (instance: RtmptSession) => {
    const fake = new FakeOrigin();
    await instance.adopt(fake, "fake:1935");
    return fake;
  });
  const fromOrigin = (data: number[]) => runInDurableObject(stub, () => origin.send(new Uint8Array(data)));
  const hangUp = () => runInDurableObject(stub, () => origin.hangUp());
  return { id, stub, origin, fromOrigin, hangUp };
}

/** Waits (no clock: bounded by the test timeout) until the object reports `pred`. */
export async function until(
  stub: DurableObjectStub<RtmptSession>,
  pred: (s: Awaited<ReturnType<RtmptSession["status"]>>) => boolean,
) {
  for (;;) {
    if (pred(await stub.status())) return;
    await scheduler.wait(5);
  }
}
