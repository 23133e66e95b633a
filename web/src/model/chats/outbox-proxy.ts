/**
 * The outbox's gate and guard. Queued messages live in their chats (chats-proxy.ts, state "queued");
 * this proxy decides when they may go: only once the session's archive catch-up is done (XEP-0313: a
 * message found in the archive was sent before, and must not be sent twice), and one flush at a time
 * (a flush asked for while one runs makes that one go round again, so nothing queued meanwhile waits).
 */
export class OutboxProxy {
  #synced = false;
  #flushing = false;
  #again = false;

  /** Whether the archive catch-up of this session is done, so queued messages may be sent. */
  get synced(): boolean {
    return this.#synced;
  }

  /** A session started (or ended): hold the outbox until its catch-up is done. */
  hold(): void {
    this.#synced = false;
  }

  /** The catch-up is done: the outbox may go. */
  release(): void {
    this.#synced = true;
  }

  /**
   * Runs `pass` (one walk through the queue; `false` = stop, e.g. went offline) unless a flush is
   * running, which then runs its pass once more instead.
   */
  async flush(pass: () => Promise<boolean>): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return;
    }
    this.#flushing = true;
    try {
      do {
        this.#again = false;
        if (!(await pass())) return;
      } while (this.#again);
    } finally {
      this.#flushing = false;
    }
  }
}
