/**
 * The V8 heap of one worker's isolate in workerd, after a forced GC, read over workerd's inspector
 * (Chrome DevTools Protocol over WebSocket; Miniflare's `inspectorPort`): `GET /json/list` names one
 * target per isolate (Porthole's is `core:user:<worker name>`; its Durable Objects run in the same
 * isolate, Miniflare's own router is `core:entry`), then `HeapProfiler.collectGarbage` and
 * `Runtime.getHeapUsage`: `usedSize` (live JS objects) + `embedderHeapUsedSize` (the runtime's C++
 * objects) + `backingStorageSize` (ArrayBuffer bytes: a Uint8Array's contents are not in `usedSize`).
 * workerd runs the GC task the inspector posts only when the isolate next gets work, so the sample
 * pokes the worker with a cheap request until the GC has answered.
 */

export interface HeapUsage {
  /** Everything below that a leak in the worker's code would grow, MB (one decimal): used + embedder + backing. */
  liveMb: number;
  /** Live V8 heap after GC (JS objects), MB. */
  usedMb: number;
  /** The runtime's own garbage-collected objects (cppgc: Request, streams, sockets...), MB. */
  embedderMb: number;
  /** Backing stores of ArrayBuffers (every Uint8Array's bytes: bodies, buffered origin bytes) and external strings, MB. */
  backingMb: number;
  /** V8 heap reserved, MB. */
  totalMb: number;
}

interface Target {
  id: string;
  webSocketDebuggerUrl: string;
}

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

/** Inspector targets (one per isolate) of the workerd whose inspector listens at `inspector` (ws://host:port). */
export async function heapTargets(inspector: URL): Promise<string[]> {
  const res = await fetch(`http://${inspector.host}/json/list`);
  const list = (await res.json()) as Target[];
  return list.map((t) => t.id);
}

/**
 * Forces a full GC in the isolate `targetId` (twice: weak references and finalizers first, then what
 * they held) and answers its heap usage. `poke` sends the isolate a request (any cheap one).
 */
export async function heapAfterGc(
  inspector: URL,
  targetId: string,
  poke: () => Promise<unknown>,
  timeoutMs = 30_000,
): Promise<HeapUsage> {
  const ws = new WebSocket(`ws://${inspector.host}/${targetId}`);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  });
  const closed = new Promise<never>((_, reject) => {
    ws.addEventListener("close", () => reject(new Error(`inspector ${targetId} closed`)));
    ws.addEventListener("error", () => reject(new Error(`inspector ${targetId} failed`)));
  });
  closed.catch(() => {});
  const call = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> => {
    const id = ++nextId;
    const answer = new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
    ws.send(JSON.stringify({ id, method, params }));
    return Promise.race([answer, closed]);
  };
  const deadline = Date.now() + timeoutMs;
  try {
    await Promise.race([new Promise((resolve) => ws.addEventListener("open", resolve, { once: true })), closed]);
    for (let round = 0; round < 2; round++) {
      let answered = false;
      const gc = call("HeapProfiler.collectGarbage").finally(() => {
        answered = true;
      });
      while (!answered) {
        if (Date.now() > deadline) throw new Error(`no GC in ${targetId} within ${timeoutMs} ms`);
        await Promise.race([gc, new Promise((r) => setTimeout(r, 100))]);
        if (!answered) await poke().catch(() => {});
      }
      await gc;
    }
    const u = await call<{ usedSize: number; totalSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number }>(
      "Runtime.getHeapUsage",
    );
    const embedder = u.embedderHeapUsedSize ?? 0;
    const backing = u.backingStorageSize ?? 0;
    return {
      liveMb: mb(u.usedSize + embedder + backing),
      usedMb: mb(u.usedSize),
      embedderMb: mb(embedder),
      backingMb: mb(backing),
      totalMb: mb(u.totalSize),
    };
  } finally {
    ws.close();
  }
}
