// An RTMP origin's socket in memory, for the live tests (as a cloudflare:sockets Socket: opened,
// readable, writable, close): what the client wrote, the messages it sent after the handshake (C0+C1
// and C2, Adobe RTMP specification 1.0 §5.2), and a way to answer or hang up. The real origin
// (nginx-rtmp) is in test/e2e/live-flv.test.ts.
import { ChunkReader, type RtmpMessage } from "../../worker/live/chunk-reader";

/** C0 + C1 + C2: what the client writes before its first chunk. */
const HANDSHAKE_BYTES = 1 + 1536 + 1536;

export class MemoryOrigin {
  /** Every byte the client wrote, handshake included. */
  fromClient: number[] = [];
  closed = false;
  /** The connection is open. */
  readonly opened = Promise.resolve();
  #ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
  readonly #reader = new ChunkReader();
  #parsed = 0;
  readonly #messages: RtmpMessage[] = [];
  readonly readable = new ReadableStream<Uint8Array>({
    start: (c) => {
      this.#ctrl = c;
    },
  });
  readonly writable = new WritableStream<Uint8Array>({
    write: (c) => {
      this.fromClient.push(...c);
    },
  });
  async close() {
    this.closed = true;
  }
  /** The origin sends these bytes to the client, in one read. */
  send(...parts: Array<Uint8Array | number[]>) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    this.#ctrl?.enqueue(all);
  }
  /** The origin ends its side of the connection. */
  hangUp() {
    this.#ctrl?.close();
  }
  /** The messages the client sent after its handshake, so far. */
  clientMessages(): RtmpMessage[] {
    if (this.fromClient.length > HANDSHAKE_BYTES + this.#parsed) {
      const fresh = this.fromClient.slice(HANDSHAKE_BYTES + this.#parsed);
      this.#parsed += fresh.length;
      this.#messages.push(...this.#reader.push(Uint8Array.from(fresh)));
    }
    return this.#messages;
  }
}

/** Waits until `pred` holds, checking every millisecond for about `tries` ms; else throws naming `what`. */
export async function until(what: string, pred: () => boolean | Promise<boolean>, tries = 3000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await pred()) return;
    await scheduler.wait(1);
  }
  throw new Error(`timed out waiting for ${what}`);
}
