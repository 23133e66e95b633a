/**
 * One-to-one chats (RFC 6121 §5): messages per contact, unread counts, the open chat and each sent
 * message's delivery state (XEP-0184 receipts). Incoming messages are deduplicated by stanza id, so a
 * redelivered message (reconnection, offline storage) shows once.
 */
import { computed, type Signal, signal } from "@preact/signals";

export type DeliveryState = "queued" | "sending" | "sent" | "delivered" | "failed";

export interface ChatMessage {
  id: string;
  peer: string;
  direction: "in" | "out";
  body: string;
  at: number;
  /** Only meaningful for outgoing messages. */
  state: DeliveryState;
}

export class ChatsProxy {
  /** Bare JID of the chat on screen, or null (roster on screen). */
  readonly active = signal<string | null>(null);
  readonly unread = signal<ReadonlyMap<string, number>>(new Map());
  /** Everyone with a conversation, most recent activity first. */
  readonly peers = signal<readonly string[]>([]);
  readonly totalUnread = computed(() => {
    let n = 0;
    for (const v of this.unread.value.values()) n += v;
    return n;
  });

  readonly #threads = new Map<string, Signal<readonly ChatMessage[]>>();
  /** Ids seen per peer, for deduplication. */
  readonly #seen = new Map<string, Set<string>>();
  /** Outgoing message id → peer. */
  readonly #outgoing = new Map<string, string>();

  #touch(peer: string): void {
    if (this.peers.value[0] !== peer) this.peers.value = [peer, ...this.peers.value.filter((p) => p !== peer)];
  }

  thread(peer: string): Signal<readonly ChatMessage[]> {
    const t = this.#threads.get(peer) ?? signal<readonly ChatMessage[]>([]);
    this.#threads.set(peer, t);
    return t;
  }

  /** Adds an incoming message; false if it is a duplicate. Counts it unread unless its chat is open. */
  receive(msg: Omit<ChatMessage, "direction" | "state">): boolean {
    if (msg.id) {
      const seen = this.#seen.get(msg.peer) ?? new Set<string>();
      this.#seen.set(msg.peer, seen);
      if (seen.has(msg.id)) return false;
      seen.add(msg.id);
    }
    const t = this.thread(msg.peer);
    t.value = [...t.value, { ...msg, direction: "in", state: "delivered" }];
    this.#touch(msg.peer);
    if (this.active.value !== msg.peer) {
      const unread = new Map(this.unread.value);
      unread.set(msg.peer, (unread.get(msg.peer) ?? 0) + 1);
      this.unread.value = unread;
    }
    return true;
  }

  addOutgoing(msg: Omit<ChatMessage, "direction">): void {
    this.#outgoing.set(msg.id, msg.peer);
    const t = this.thread(msg.peer);
    t.value = [...t.value, { ...msg, direction: "out" }];
    this.#touch(msg.peer);
  }

  setState(id: string, state: DeliveryState): void {
    const peer = this.#outgoing.get(id);
    if (!peer) return;
    const t = this.thread(peer);
    t.value = t.value.map((m) => (m.id === id && m.direction === "out" && m.state !== "delivered" ? { ...m, state } : m));
  }

  /** Outgoing messages waiting for a connection, oldest first. */
  queued(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const t of this.#threads.values())
      for (const m of t.value) if (m.direction === "out" && m.state === "queued") out.push(m);
    return out.sort((a, b) => a.at - b.at);
  }

  open(peer: string): void {
    this.active.value = peer;
    if (this.unread.value.has(peer)) {
      const unread = new Map(this.unread.value);
      unread.delete(peer);
      this.unread.value = unread;
    }
  }

  close(): void {
    this.active.value = null;
  }

  clear(): void {
    this.#threads.clear();
    this.#seen.clear();
    this.#outgoing.clear();
    this.active.value = null;
    this.unread.value = new Map();
    this.peers.value = [];
  }
}
