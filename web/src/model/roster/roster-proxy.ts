/**
 * The roster (RFC 6121 §2) with live presence (§4) and pending inbound subscription requests (§3).
 * Built for thousands of contacts: items and presences live in plain maps; one `version` signal is
 * bumped at most once per microtask, so a burst of 5,000 presences costs one pass, not 5,000. The
 * (collator) sort by name is cached and redone only when items change; presence changes only
 * re-bucket that order by availability, in linear time.
 */
import { computed, signal } from "@preact/signals";
import type { Availability, Presence, RosterItem, RosterRemoval, Show } from "../stanzas/stanzas";

export interface Contact {
  jid: string;
  /** Roster name, or the JID when none. */
  name: string;
  subscription: RosterItem["subscription"];
  ask: boolean;
  availability: Availability;
  status: string;
}

interface ResourcePresence {
  show: "available" | Show;
  status: string;
  priority: number;
}

const RANK: Record<Availability, number> = { chat: 0, available: 0, away: 1, xa: 2, dnd: 3, offline: 4 };

export class RosterProxy {
  /** Bumped whenever items or presences change (coalesced per microtask). */
  readonly version = signal(0);
  /** Bare JIDs asking to see my presence, oldest first. */
  readonly requests = signal<readonly string[]>([]);
  /** All contacts, sorted: available first, then by name. */
  readonly contacts = computed(() => {
    this.version.value;
    return this.#snapshot();
  });

  /**
   * Names I gave contacts that are no longer in the roster (removed here, or on another device while
   * this one was away): their conversations keep showing the name, across reloads (kept on the device).
   */
  readonly formerNames = signal<ReadonlyMap<string, string>>(new Map());

  readonly #items = new Map<string, RosterItem>();
  readonly #presence = new Map<string, Map<string, ResourcePresence>>();
  #pending = false;
  /** Items sorted by display name; null when items changed since. */
  #byName: RosterItem[] | null = null;

  #bump(): void {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      this.version.value++;
    });
  }

  #snapshot(): Contact[] {
    if (!this.#byName) {
      const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
      this.#byName = [...this.#items.values()].sort(
        (a, b) => collator.compare(a.name || a.jid, b.name || b.jid) || (a.jid < b.jid ? -1 : 1),
      );
    }
    const buckets: Contact[][] = [[], [], [], [], []];
    for (const item of this.#byName) {
      const best = this.#best(item.jid);
      const availability = best ? best.show : "offline";
      buckets[RANK[availability]]?.push({
        jid: item.jid,
        name: item.name || item.jid,
        subscription: item.subscription,
        ask: item.ask,
        availability,
        status: best?.status ?? "",
      });
    }
    return buckets.flat();
  }

  #best(jid: string): ResourcePresence | null {
    let best: ResourcePresence | null = null;
    for (const p of this.#presence.get(jid)?.values() ?? []) {
      if (!best || p.priority > best.priority || (p.priority === best.priority && RANK[p.show] < RANK[best.show])) best = p;
    }
    return best;
  }

  get(jid: string): RosterItem | undefined {
    return this.#items.get(jid);
  }

  /** Every roster item (to keep on the device). */
  items(): RosterItem[] {
    return [...this.#items.values()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** Replaces the whole roster (a roster get result). */
  setAll(items: RosterItem[]): void {
    const kept = new Set(items.map((i) => i.jid));
    this.#keepNames([...this.#items.values()].filter((i) => !kept.has(i.jid)));
    this.#items.clear();
    for (const item of items) this.#items.set(item.jid, item);
    this.#byName = null;
    this.#bump();
  }

  /** Applies a roster push: an added/updated item or a removal. */
  apply(update: RosterItem | RosterRemoval): void {
    if ("removed" in update) {
      const gone = this.#items.get(update.jid);
      if (gone) this.#keepNames([gone]);
      this.#items.delete(update.jid);
      this.#presence.delete(update.jid);
    } else {
      this.#items.set(update.jid, update);
    }
    this.#byName = null;
    this.#bump();
  }

  /** Applies an availability presence (available / unavailable) from one resource. */
  applyPresence(p: Presence): void {
    if (p.type === "unavailable") {
      const resources = this.#presence.get(p.bare);
      if (!resources) return;
      resources.delete(p.resource);
      if (!resources.size) this.#presence.delete(p.bare);
    } else if (p.type === "available") {
      const resources = this.#presence.get(p.bare) ?? new Map<string, ResourcePresence>();
      this.#presence.set(p.bare, resources);
      resources.set(p.resource, { show: p.show, status: p.status, priority: p.priority });
    } else {
      return;
    }
    this.#bump();
  }

  addRequest(jid: string): void {
    if (!this.requests.value.includes(jid)) this.requests.value = [...this.requests.value, jid];
  }

  removeRequest(jid: string): void {
    if (this.requests.value.includes(jid)) this.requests.value = this.requests.value.filter((j) => j !== jid);
  }

  /** Forget every presence (the session ended; a new one will bring fresh presences). */
  clearPresence(): void {
    this.#presence.clear();
    this.#bump();
  }

  /** The former names kept on the device (device history meta "formerNames"). */
  loadFormerNames(entries: ReadonlyArray<readonly [string, string]>): void {
    this.formerNames.value = new Map(entries);
  }

  #keepNames(gone: readonly RosterItem[]): void {
    const named = gone.filter((i) => i.name && i.name !== i.jid);
    if (!named.length) return;
    const next = new Map(this.formerNames.value);
    for (const i of named) next.set(i.jid, i.name);
    this.formerNames.value = next;
  }

  clear(): void {
    this.formerNames.value = new Map();
    this.#items.clear();
    this.#byName = null;
    this.#presence.clear();
    this.requests.value = [];
    this.#bump();
  }
}
