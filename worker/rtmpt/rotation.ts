/**
 * Which origins a new RTMPT session tries, in both modes: every configured origin once, starting at
 * `start` and wrapping around (the start spreads sessions over the origins; the rest is the failover
 * order). Pure. The bound on how many origins there can be is the session tag's one hex digit.
 */

/** RTMPT_ORIGINS holds at most this many origins (a proxy-mode tag names its origin in one hex digit, proxy/session-tags.ts). */
export const MAX_ORIGINS = 16;

/** `items` starting at `start` (any integer, taken modulo the length) and wrapping around. */
export function rotation<T>(items: readonly T[], start: number): T[] {
  const n = items.length;
  const first = ((start % n) + n) % n;
  return Array.from({ length: n }, (_, i) => items[(first + i) % n] as T);
}
