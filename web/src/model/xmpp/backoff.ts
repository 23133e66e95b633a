/**
 * Reconnection delays: exponential back-off with "equal jitter" (half the ceiling plus a random part
 * of the other half), so clients dropped together by a server restart do not all return in one second.
 */
export function backoffDelay(ceiling: number, random: () => number = Math.random): number {
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
