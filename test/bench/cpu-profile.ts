/**
 * A V8 CPU profile of a worker in workerd over its inspector (Chrome DevTools Protocol: Profiler.enable,
 * Profiler.start, Profiler.stop), summarised as self time per function and per function + callees, so
 * that the hot path over the floor can be found: `BENCH_PROFILE=1 npm run bench -- rtmpt-floor`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Opens the inspector socket of worker `name` (Miniflare names it `core:user:<name>`). */
async function session(inspector: URL, name: string) {
  const ws = new WebSocket(new URL(`/core:user:${name}`, inspector).toString());
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`inspector of ${name}: connection failed`)), { once: true });
  });
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

export interface ProfileSummary {
  /** Sampled time not idle, in ms. */
  busyMs: number;
  hot: HotSpot[];
}

export interface HotSpot {
  fn: string;
  selfMs: number;
  selfShare: number;
  totalShare: number;
}

/** Profiles worker `name` while `load` runs; returns the hottest functions (self and total time). */
export async function profileWhile(
  inspector: URL,
  name: string,
  load: () => Promise<unknown>,
  top = 25,
): Promise<ProfileSummary> {
  const s = await session(inspector, name);
  await s.send("Profiler.enable");
  await s.send("Profiler.setSamplingInterval", { interval: 100 });
  await s.send("Profiler.start");
  await load();
  const { profile } = (await s.send("Profiler.stop")) as { profile: Profile };
  s.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop() ?? ""}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let all = 0;
  samples.forEach((id, i) => {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    all += dt;
    const node = byId.get(id);
    if (!node) return;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  });
  const idle = [...self.entries()].filter(([fn]) => fn.startsWith("(idle)")).reduce((n, [, ms]) => n + ms, 0);
  const hot = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, selfMs: ms, selfShare: ms / all, totalShare: (total.get(fn) ?? 0) / all }));
  return { busyMs: all - idle, hot };
}
