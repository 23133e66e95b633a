/**
 * Keeps a XEP-0198 session resumable across a page reload (§5): the resumption id, my full JID, the
 * count of stanzas handled (h), the outbound count already acknowledged and the stanzas sent but not yet
 * acknowledged, in sessionStorage (this tab only, gone when it closes). Never credentials. Saving null
 * forgets it: at logout, and when the server refuses the resumption (<failed/>).
 * Every handled stanza changes h, so writes are grouped: the newest state is written once the burst of
 * stanzas has been handled (a task later), before the page goes away (pagehide: a reload) and before
 * any load in this page, instead of once per stanza (a room's thousand join presences were a thousand
 * JSON copies and sessionStorage writes). Forgetting (null) is written at once.
 */
import { type Element, xml } from "@xmpp/xml";

export interface SmState {
  id: string;
  jid: string;
  inbound: number;
  acked: number;
  queue: Element[];
}

export interface SmStore {
  load(): SmState | null;
  save(state: SmState | null): void;
}

type Tree = { n: string; a: Record<string, string>; c: Array<Tree | string> };

const toTree = (el: Element): Tree => ({
  n: el.name,
  a: { ...el.attrs } as Record<string, string>,
  c: el.children.map((c) => (typeof c === "string" ? c : toTree(c as Element))),
});
const fromTree = (t: Tree): Element => xml(t.n, t.a, ...t.c.map((c) => (typeof c === "string" ? c : fromTree(c))));

type Storage3 = Pick<Storage, "getItem" | "setItem" | "removeItem">;
/** States saved and not written yet, by storage key (one per account): only the newest is kept. */
const pending = new Map<string, { storage: Storage3; state: SmState }>();
let onPageHide = false;

function writeNow(key: string): void {
  const waiting = pending.get(key);
  if (!waiting) return;
  pending.delete(key);
  const { storage, state } = waiting;
  try {
    storage.setItem(key, JSON.stringify({ ...state, queue: state.queue.map(toTree) }));
  } catch {
    // Storage full or unavailable: the next reload simply starts a new session.
  }
}

/** Writes every state still waiting, now (the page is going away). */
export function flushSmStores(): void {
  for (const key of [...pending.keys()]) writeNow(key);
}

/** The stream management state of `address` in this tab's sessionStorage. */
export function sessionSmStore(storage: Storage3, address: string): SmStore {
  const key = `porthole.sm:${address}`;
  return {
    load() {
      writeNow(key);
      try {
        const raw = JSON.parse(storage.getItem(key) ?? "null");
        if (!raw || typeof raw.id !== "string" || !raw.id || !Array.isArray(raw.queue)) return null;
        return {
          id: raw.id,
          jid: String(raw.jid ?? ""),
          inbound: Number(raw.inbound) || 0,
          acked: Number(raw.acked) || 0,
          queue: raw.queue.map(fromTree),
        };
      } catch {
        return null;
      }
    },
    save(state) {
      if (state) {
        const scheduled = pending.has(key);
        pending.set(key, { storage, state });
        if (scheduled) return;
        setTimeout(() => writeNow(key), 0);
        if (!onPageHide && typeof addEventListener === "function") {
          onPageHide = true;
          addEventListener("pagehide", flushSmStores);
        }
        return;
      }
      pending.delete(key);
      try {
        storage.removeItem(key);
      } catch {
        // Unavailable storage holds nothing to forget.
      }
    },
  };
}
