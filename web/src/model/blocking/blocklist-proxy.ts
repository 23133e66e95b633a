/**
 * The addresses my account blocks (XEP-0191): loaded at each session start, then kept current by the
 * server's pushes, which every resource of mine receives (so another client's block shows here too).
 */
import { signal } from "@preact/signals";

export class BlocklistProxy {
  readonly blocked = signal<ReadonlySet<string>>(new Set());

  has(jid: string): boolean {
    return this.blocked.value.has(jid);
  }

  setAll(jids: readonly string[]): void {
    this.blocked.value = new Set(jids);
  }

  add(jids: readonly string[]): void {
    this.blocked.value = new Set([...this.blocked.value, ...jids]);
  }

  /** No addresses: unblock everything (XEP-0191 §3.5). */
  remove(jids: readonly string[]): void {
    if (!jids.length) {
      this.blocked.value = new Set();
      return;
    }
    const next = new Set(this.blocked.value);
    for (const j of jids) next.delete(j);
    this.blocked.value = next;
  }

  clear(): void {
    this.blocked.value = new Set();
  }
}
