/**
 * What the /healthz probes of upstreams share: a time bound per probe (shared/bounded.ts: the probe is
 * aborted when it is exceeded) and a short per-isolate cache of each result, so that /healthz cannot be used to flood an
 * upstream (concurrent callers share one probe).
 */
import { bounded, TIMED_OUT } from "../shared/bounded";

/** What one probe found: up (with the HTTP status when it answered one), or why not. */
export interface ProbeResult {
  up: boolean;
  /** The HTTP status the upstream answered, when it did. */
  status?: number;
  /** Why it is down. */
  error?: "timeout" | "unreachable";
}

/** How long a probe result is reused, per isolate. */
const PROBE_CACHE_MS = 3000;
/** Longest wait for one upstream's answer. */
export const PROBE_TIMEOUT_MS = 2000;

/** A probe whose result is reused for a while; `forget()` makes the next call probe again. */
export interface CachedProbe<A, T> {
  (arg: A): Promise<T>;
  forget(): void;
}

/** `probe(arg)`, reused for PROBE_CACHE_MS while `keyOf(arg)` stays the same. */
export function cachedProbe<A, T>(keyOf: (arg: A) => string, probe: (arg: A) => Promise<T>): CachedProbe<A, T> {
  let cache: { key: string; at: number; result: Promise<T> } | undefined;
  const cached = (arg: A) => {
    const key = keyOf(arg);
    if (cache && cache.key === key && Date.now() - cache.at < PROBE_CACHE_MS) return cache.result;
    cache = { key, at: Date.now(), result: probe(arg) };
    return cache.result;
  };
  return Object.assign(cached, {
    forget: () => {
      cache = undefined;
    },
  });
}

/** A probe by HTTP request: up on any HTTP answer (its status recorded), down when none came in time. */
export async function httpProbe(timeoutMs: number, request: (signal: AbortSignal) => Promise<Response>): Promise<ProbeResult> {
  try {
    const outcome = await bounded(timeoutMs, async (signal) => {
      const res = await request(signal);
      await res.body?.cancel();
      return res.status;
    });
    return outcome === TIMED_OUT ? { up: false, error: "timeout" } : { up: true, status: outcome };
  } catch {
    return { up: false, error: "unreachable" };
  }
}
