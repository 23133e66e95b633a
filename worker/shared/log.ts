/**
 * The worker's one log record shape: one plain object per event, `{ event, ...fields }`, never a
 * preformatted string, so that Workers Logs indexes every field (and `wrangler tail` and Logpush show
 * it as JSON). Never bodies, never secrets: callers pass only what an operator needs.
 */

export type LogLevel = "info" | "warn" | "error";

/** Logs `event` with `fields` at `level` (info: it went as intended; warn: refused; error: broken). */
export function logEvent(event: string, fields: Record<string, unknown> = {}, level: LogLevel = "info"): void {
  console[level]({ event, ...fields });
}
