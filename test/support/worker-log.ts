/**
 * Reads the worker's log records back from what `wrangler dev` (or Miniflare) prints. The worker logs
 * one plain object per event (`console.warn({ event: "rejected", status: 405, ... })`, so Workers Logs
 * indexes its fields), and workerd prints such an object the way Node's util.inspect does: JavaScript
 * object-literal syntax, single-quoted strings, over several lines when long, and wrangler puts a
 * `▲ [WARNING]` / `✘ [ERROR]` mark before warn and error records. This finds every `{ event: ... }`
 * literal in the text, matches its braces (skipping quoted strings) and evaluates it in an empty
 * context (node:vm): plain data only, from our own worker on 127.0.0.1.
 */
import type { ChildProcess } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
import { runInNewContext } from "node:vm";

export type LogRecord = Record<string, unknown> & { event: string };

const START = /\{\s*event:/g;

/** Index just past the `}` that closes the `{` at `from`, or -1 when the text ends first. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The complete records in `text`, and the index from which the text may still hold a record being printed. */
function scan(output: string): { records: LogRecord[]; rest: number } {
  const text = stripVTControlCharacters(output);
  const records: LogRecord[] = [];
  let rest = Math.max(0, text.length - 16);
  for (const m of text.matchAll(START)) {
    const end = closingBrace(text, m.index);
    if (end < 0) {
      rest = Math.min(rest, m.index);
      break;
    }
    const literal = text.slice(m.index, end);
    let record: unknown;
    try {
      record = runInNewContext(`(${literal})`, Object.create(null), { timeout: 100 });
    } catch (err) {
      throw new Error(`unreadable worker log record (${String(err)}):\n${literal}`);
    }
    if (typeof (record as LogRecord).event === "string") records.push(record as LogRecord);
    rest = Math.max(rest, end);
  }
  return { records, rest: Math.min(rest, text.length) };
}

/** Every complete log record in `output`, in order; with `event`, only those. A record still being printed is left out. */
export function logRecords(output: string, event?: string): LogRecord[] {
  const { records } = scan(output);
  return event === undefined ? records : records.filter((r) => r.event === event);
}

/**
 * Collects, from now on, the records a worker process prints. stdout (info) and stderr (warn, error)
 * are read separately, so that their interleaving cannot cut a record in two; records from both, in
 * arrival order per stream.
 */
export function watchLogRecords(child: ChildProcess): { records: (event?: string) => LogRecord[] } {
  const seen: LogRecord[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (d: Buffer) => {
      pending = stripVTControlCharacters(pending + d.toString());
      const { records, rest } = scan(pending);
      seen.push(...records);
      pending = pending.slice(rest);
    });
  }
  return { records: (event) => (event === undefined ? [...seen] : seen.filter((r) => r.event === event)) };
}
