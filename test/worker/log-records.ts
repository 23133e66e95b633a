/**
 * The worker's log records as a console spy saw them. The worker logs one plain object per event
 * (`console.warn({ event: "rejected", ... })`), never a preformatted string, so that Workers Logs
 * indexes every field; a call with anything else than one plain object fails here.
 */
import { expect, type MockInstance } from "vitest";

export type LogRecord = Record<string, unknown> & { event: string };

/** Every record logged through the spies, in call order per spy; with `event`, only those. */
export function logRecords(spies: MockInstance | MockInstance[], event?: string): LogRecord[] {
  const calls = (Array.isArray(spies) ? spies : [spies]).flatMap((s) => s.mock.calls as unknown[][]);
  const records = calls.map((args) => {
    expect(args, "one argument per log call").toHaveLength(1);
    const [record] = args;
    expect(Object.getPrototypeOf(record), `a plain object, not ${typeof record}: ${String(record)}`).toBe(Object.prototype);
    expect(typeof (record as LogRecord).event, "its event name").toBe("string");
    return record as LogRecord;
  });
  return event === undefined ? records : records.filter((r) => r.event === event);
}
