/**
 * Where a catch-up's archive results go in time (XEP-0313 §4.1, results in archive order). Archives
 * stamp whole seconds (Prosody's <delay/>, XEP-0203), the device keeps the milliseconds a message
 * arrived at, so a message the archive has after another of the same second can carry an earlier
 * time. While a read of a scope (a room, or "*" for my own archive) runs, what it adds to a
 * conversation is placed no earlier than the message the read started after, nor earlier than any
 * message of that conversation the read already met: a copy already here (the device's, with its
 * milliseconds) or one it just added. Within a second, the archive's order is the truth. Reads of
 * one scope may overlap (a reconnection's catch-up beside a join's): the floor lasts until the last
 * ends.
 */

/** Archive stamps are whole seconds: only a time within a second below a floor is lifted to it. */
const STAMP_MS = 1000;

interface Read {
  /** The time of the message the reads started after (the latest, if several). */
  after: number;
  /** How many reads of this scope run. */
  reads: number;
  /** Per conversation, the newest time these reads met. */
  met: Map<string, number>;
}

export class CatchUpFloors {
  /** Reads running, per scope. */
  readonly #scopes = new Map<string, Read>();

  /** A read of `scope` starts after a message of time `after` (-Infinity: after nothing here). */
  start(scope: string, after: number): void {
    const s = this.#scopes.get(scope);
    if (s) {
      s.reads++;
      s.after = Math.max(s.after, after);
    } else this.#scopes.set(scope, { after, reads: 1, met: new Map() });
  }

  /** A read of `scope` ended; its floors go once no read of that scope runs. */
  end(scope: string): void {
    const s = this.#scopes.get(scope);
    if (s && --s.reads === 0) this.#scopes.delete(scope);
  }

  /** The time a message of `peer` stamped `at` takes now (`at` itself when no read of its scope runs). */
  place(peer: string, at: number): number {
    const s = this.#readOf(peer);
    if (!s) return at;
    const floor = Math.max(s.after, s.met.get(peer) ?? Number.NEGATIVE_INFINITY);
    return at < floor && at > floor - STAMP_MS ? floor : at;
  }

  /** A running read met a message of `peer` placed at `at` (added, or already here): what it adds next goes after it. */
  met(peer: string, at: number): void {
    const s = this.#readOf(peer);
    if (!s) return;
    const known = s.met.get(peer);
    if (known === undefined || at > known) s.met.set(peer, at);
  }

  /** The running reads a message of `peer` belongs to: its room's, else my own archive's. */
  #readOf(peer: string): Read | undefined {
    return this.#scopes.get(peer) ?? this.#scopes.get("*");
  }
}
