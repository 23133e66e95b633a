/**
 * The one way the worker bounds a wait (an upstream's answer, a TCP connect, a probe): race the work
 * against a timer, clear the timer either way, and on timeout abort the signal the work was given, so
 * a fetch() made with it stops too. Work that does not take the signal (a socket's `opened`) is simply
 * no longer awaited; the caller decides what to do with it.
 */

export const TIMED_OUT = "timeout";

/** The outcome of `work`, or TIMED_OUT after `ms`; a rejection of `work` before then is rethrown. */
export async function bounded<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T | typeof TIMED_OUT> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      // Settle first: work that rejects at once on abort (as a fetch may) must not win the race.
      resolve(TIMED_OUT);
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
