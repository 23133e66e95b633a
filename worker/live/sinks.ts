/**
 * The two ways a viewer receives the FLV bytes (viewer.ts `ViewerSink`): a WebSocket (RFC 6455) whose
 * every binary message carries FLV bytes (the header first, then whole tags), with `bufferedAmount` as
 * its backlog; or an HTTP response body (HTTP-FLV, `video/x-flv`, streamed without a length), whose
 * backlog is what its stream queue holds because the network has not taken it yet.
 */
import type { ViewerSink } from "./viewer";

export class WebSocketSink implements ViewerSink {
  readonly kind = "websocket";
  constructor(private readonly ws: WebSocket) {}

  send(bytes: Uint8Array): void {
    try {
      this.ws.send(bytes);
    } catch {
      // Closing or closed: the close event removes the viewer.
    }
  }

  buffered(): number {
    return typeof this.ws.bufferedAmount === "number" ? this.ws.bufferedAmount : 0;
  }

  close(code: number, reason: string): void {
    try {
      this.ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

/** The HTTP body's own queue: below this many bytes it asks for more (desiredSize > 0). */
const HTTP_HIGH_WATER = 64 * 1024;

export class HttpSink implements ViewerSink {
  readonly kind = "http";
  readonly readable: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private ended = false;

  constructor(onCancel: () => void) {
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c;
        },
        cancel: () => {
          this.ended = true;
          onCancel();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: HTTP_HIGH_WATER }),
    );
  }

  send(bytes: Uint8Array): void {
    if (this.ended || !this.controller) return;
    try {
      this.controller.enqueue(bytes);
    } catch {
      this.ended = true;
    }
  }

  /** Bytes queued in the body that the network has not taken: highWaterMark minus desiredSize. */
  buffered(): number {
    const desired = this.controller?.desiredSize ?? HTTP_HIGH_WATER;
    return Math.max(0, HTTP_HIGH_WATER - desired);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.controller?.close();
    } catch {
      // Already errored or cancelled.
    }
  }
}
