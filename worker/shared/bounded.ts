/**
 * The one way the worker bounds a wait (an upstream's answer, a TCP connect, a probe): race the work
 * against a timer, clear the timer either way, and on timeout abort the signal the work was given, so
 * a fetch() made with it stops too. Work that does not take the signal (a socket's `opened`) is simply
 * no longer awaited; the caller decides what to do with it. `abortAfter` is the same bound for work that
 * settles as soon as its signal aborts (a fetch() rejects then): no race, no second promise per call.
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

/**
 * The outcome of `work`, or TIMED_OUT when `ms` passed first and its signal was aborted; for work that
 * settles once its signal aborts (a fetch(): on the hot path of every proxied request, so no race).
 * A rejection of `work` before the timeout is rethrown; any rejection after it is the timeout.
 */
export async function abortAfter<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T | typeof TIMED_OUT> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ms);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (timedOut) return TIMED_OUT;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
