/**
 * Gateway mode: puts one RTMPT session's requests back in sequence-number order before they touch
 * the RTMP byte stream. librtmp pipelines POSTs (`/send|idle|close/<id>/<seq>`, seq 0, 1, 2, ...) and
 * the runtime may hand them to the Durable Object in any order, so each request waits for its turn;
 * a replay (seq already served) or a duplicate never runs twice. Pure: no timers, no platform APIs.
 */

export type Turn =
  /** It is this request's turn: do the work, then call `done(seq)`. */
  | "go"
  /** `seq` was already served (a replay). */
  | "stale"
  /** A request with this `seq` is already running or waiting. */
  | "duplicate"
  /** `seq` is further ahead of the next expected one than the window allows. */
  | "too-far"
  /** The session ended while the request waited. */
  | "aborted";

export class Sequencer {
  /** The next sequence number to be served. */
  private nextSeq: number;
  /** The sequence number being served right now, if any. */
  private running: number | null = null;
  private readonly waiting = new Map<number, (turn: Turn) => void>();
  private ended = false;

  constructor(
    first = 0,
    private readonly window = 64,
    /** Called whenever a request starts waiting (lets a held idle poll give way). */
    private readonly onQueued: () => void = () => {},
  ) {
    this.nextSeq = first;
  }

  /**
   * `seq`'s turn: decided at once (a `Turn`: "go" when it may run now, or the reason it never will), or
   * a promise when it has to wait for the requests before it. Deciding at once lets the caller skip
   * what only a waiting request needs (session.ts arms its gap timer only then).
   */
  turn(seq: number): Turn | Promise<Turn> {
    if (this.ended) return "aborted";
    if (seq < this.nextSeq) return "stale";
    if (seq === this.running || this.waiting.has(seq)) return "duplicate";
    if (seq - this.nextSeq > this.window) return "too-far";
    if (seq === this.nextSeq && this.running === null) {
      this.running = seq;
      return "go";
    }
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.onQueued();
    });
  }

  /** Marks `seq` served and lets the next one run if it is already waiting. */
  done(seq: number): void {
    if (this.running !== seq) return;
    this.running = null;
    this.nextSeq = seq + 1;
    const next = this.waiting.get(this.nextSeq);
    if (next) {
      this.waiting.delete(this.nextSeq);
      this.running = this.nextSeq;
      next("go");
    }
  }

  /** Gives up on a waiting request (e.g. its predecessor never came); true if it was waiting. */
  cancel(seq: number, turn: Turn): boolean {
    const resolve = this.waiting.get(seq);
    if (!resolve) return false;
    this.waiting.delete(seq);
    resolve(turn);
    return true;
  }

  /** True while some later request waits behind the one running. */
  hasWaiting(): boolean {
    return this.waiting.size > 0;
  }

  get next(): number {
    return this.nextSeq;
  }

  /** The sequence number being served right now (its turn not yet released), if any. */
  get current(): number | null {
    return this.running;
  }

  /** Ends the session: every waiting request resolves "aborted", later ones too. */
  abort(): void {
    this.ended = true;
    for (const resolve of this.waiting.values()) resolve("aborted");
    this.waiting.clear();
  }
}
