/**
 * Paging back through one conversation's server archive (XEP-0313 queries filtered by `with`, paged
 * with RSM `before`, XEP-0059 §2.5), one page at a time per chat: where the next page starts (the
 * first archive id of the previous page) and whether the archive's start was reached. The state is
 * for people too: the chat shows "Loading older messages…", "Start of the conversation" or a retry.
 */
import { type ReadonlySignal, signal } from "@preact/signals";

export type OlderState = "more" | "loading" | "complete" | "failed";

export class ArchiveProxy {
  readonly #states = signal<ReadonlyMap<string, OlderState>>(new Map());
  readonly #cursors = new Map<string, string>();

  /** Per chat: "more" until a page says the archive starts there. */
  get states(): ReadonlySignal<ReadonlyMap<string, OlderState>> {
    return this.#states;
  }

  state(peer: string): OlderState {
    return this.#states.value.get(peer) ?? "more";
  }

  /** Claims the next page of `peer`'s archive; false while one is on its way or none is left. */
  begin(peer: string): boolean {
    const s = this.state(peer);
    if (s === "loading" || s === "complete") return false;
    this.#set(peer, "loading");
    return true;
  }

  /** Where the next page ends: the first archive id of the page before, if one was fetched. */
  cursor(peer: string): string | null {
    return this.#cursors.get(peer) ?? null;
  }

  /** A page arrived: `first` is its oldest archive id; `complete` when the archive has nothing older. */
  pageDone(peer: string, page: { first: string | null; complete: boolean }): void {
    if (page.first) this.#cursors.set(peer, page.first);
    this.#set(peer, page.complete || !page.first ? "complete" : "more");
  }

  /** The query failed (offline, server error): the reader may try again. */
  failed(peer: string): void {
    this.#set(peer, "failed");
  }

  /** Another account, or logged out: nothing is known of any archive. */
  clear(): void {
    this.#cursors.clear();
    this.#states.value = new Map();
  }

  #set(peer: string, state: OlderState): void {
    const next = new Map(this.#states.value);
    next.set(peer, state);
    this.#states.value = next;
  }
}
