/**
 * Gateway mode: the bytes an RTMP origin sent that the RTMPT client has not polled yet. Replies
 * (polling byte + these bytes, as Red5's RTMPTServlet answers /send and /idle) drain it. Capped: a
 * client that stopped polling must end its session, not grow the buffer without bound.
 */

export class OriginBuffer {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly cap: number) {}

  get size(): number {
    return this.bytes;
  }

  /** Appends origin bytes; false (and nothing kept) when that would exceed the cap. */
  push(chunk: Uint8Array): boolean {
    if (this.bytes + chunk.byteLength > this.cap) return false;
    if (chunk.byteLength > 0) {
      this.chunks.push(chunk);
      this.bytes += chunk.byteLength;
    }
    this.wake();
    return true;
  }

  /** Everything buffered, in order, as one array prefixed by `lead` (the polling byte); empties the buffer. */
  drain(lead: number): Uint8Array {
    const out = new Uint8Array(1 + this.bytes);
    out[0] = lead;
    let at = 1;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    this.chunks = [];
    this.bytes = 0;
    return out;
  }

  /** Resolves at the next push or `wake()`, or after `ms` (then it stops waiting: nothing piles up). */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }

  /** How many callers wait in `changed()` (for tests). */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Releases everyone waiting in `changed()` (data arrived, a request queued, the origin ended). */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
