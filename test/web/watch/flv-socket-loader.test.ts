// The watch page's WebSocket-FLV loader (web/src/watch/flv-socket-loader.ts) and what a close code means
// (stream-end.ts): the worker's live Durable Object closes with 1000 when the publisher stopped and 1011
// when the stream's origin was lost (worker/live/live-stream.ts); mpegts.js's own loader drops the code.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// mpegts.js reads `self` (a browser's global) when it loads.
vi.hoisted(() => {
  (globalThis as { self?: unknown }).self ??= globalThis;
});

import mpegts from "mpegts.js";
import { flvSocketLoader } from "../../../web/src/watch/flv-socket-loader";
import { streamEnd } from "../../../web/src/watch/stream-end";

/** A WebSocket the test drives: open, messages, error and close as a browser fires them. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static last: FakeSocket | null = null;
  readyState = FakeSocket.CONNECTING;
  binaryType = "blob";
  closedByPage = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  message(data: unknown): void {
    this.onmessage?.({ data });
  }
  fail(): void {
    this.onerror?.();
    this.end(1006, "");
  }
  end(code: number, reason: string): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason });
  }
  close(): void {
    this.closedByPage = true;
    this.readyState = FakeSocket.CLOSING;
  }
}

const real = globalThis.WebSocket;
beforeEach(() => {
  (globalThis as { WebSocket: unknown }).WebSocket = FakeSocket;
});
afterEach(() => {
  (globalThis as { WebSocket: unknown }).WebSocket = real;
});

/** A loader as mpegts.js's IOController drives it, recording what it reports, in order. */
function loader() {
  const events: string[] = [];
  const Loader = flvSocketLoader((code, reason) => events.push(`close ${code} ${reason}`));
  const l = new Loader({} as never, {} as never);
  l.onDataArrival = (chunk, start, received) => events.push(`data ${chunk.byteLength} at ${start} (${received})`);
  l.onComplete = (from, to) => events.push(`complete ${from}-${to}`);
  l.onError = (type, info) => events.push(`error ${type} ${info.msg}`);
  l.open({ url: "ws://chat.test/live/live/cam.flv", duration: 0 }, { from: 0, to: -1 });
  const ws = FakeSocket.last as FakeSocket;
  return { l, ws, events };
}

describe("the watch page's WebSocket-FLV loader", () => {
  it("passes the binary frames on and says how the worker closed before the end of the data", () => {
    const { l, ws, events } = loader();
    expect(ws.binaryType).toBe("arraybuffer");
    expect(l.status).toBe(mpegts.LoaderStatus.kConnecting);
    ws.open();
    expect(l.status).toBe(mpegts.LoaderStatus.kBuffering);
    ws.message(new ArrayBuffer(13));
    ws.message(new ArrayBuffer(7));
    ws.message("a text frame is not FLV");
    ws.end(1011, "Stream origin lost: closed");
    expect(events).toEqual(["data 13 at 0 (13)", "data 7 at 13 (20)", "close 1011 Stream origin lost: closed", "complete 0-19"]);
    expect(l.status).toBe(mpegts.LoaderStatus.kComplete);
  });

  it("a socket that breaks after it opened ends as closed (1006), not as an error", () => {
    const { ws, events } = loader();
    ws.open();
    ws.fail();
    expect(events).toEqual(["close 1006 ", "complete 0--1"]);
  });

  it("a socket the worker refused (no origin, too many viewers) is an error, and no end", () => {
    const { l, ws, events } = loader();
    ws.fail();
    expect(events).toEqual(["error Exception The stream's WebSocket failed"]);
    expect(l.status).toBe(mpegts.LoaderStatus.kError);
  });

  it("reports nothing once the page aborted it", () => {
    const { l, ws, events } = loader();
    ws.open();
    l.abort();
    expect(ws.closedByPage).toBe(true);
    ws.end(1005, "");
    expect(events).toEqual([]);
  });
});

describe("what a close says", () => {
  it("1000 (the publisher stopped) ended the broadcast; anything else lost the source", () => {
    expect(streamEnd(1000)).toBe("ended");
    for (const code of [1011, 1006, 1008, 1001, 1005]) expect(streamEnd(code), String(code)).toBe("lost");
  });
});
