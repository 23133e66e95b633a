/**
 * Keeps a XEP-0198 session resumable across a page reload (§5): the resumption id, my full JID, the
 * count of stanzas handled (h), the outbound count already acknowledged and the stanzas sent but not yet
 * acknowledged, in sessionStorage (this tab only, gone when it closes). Never credentials. Saving null
 * forgets it: at logout, and when the server refuses the resumption (<failed/>).
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

/** The stream management state of `address` in this tab's sessionStorage. */
export function sessionSmStore(storage: Pick<Storage, "getItem" | "setItem" | "removeItem">, address: string): SmStore {
  const key = `porthole.sm:${address}`;
  return {
    load() {
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
      try {
        if (!state) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify({ ...state, queue: state.queue.map(toTree) }));
      } catch {
        // Storage full or unavailable: the next reload simply starts a new session.
      }
    },
  };
}
