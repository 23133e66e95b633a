/**
 * One-to-one chats (RFC 6121 §5): messages per contact in time order, unread counts, the open chat,
 * each sent message's delivery state (XEP-0184) and the contact's chat state (XEP-0085): "typing"
 * ends on its own TYPING_EXPIRES_MS after the last composing (a client pauses after ~30 s, XEP-0085 §5.2).
 * No duplicates: a message is known by every id it carries — its own id, its XEP-0359 origin-id and
 * the archive's stanza-id — so a redelivery, a carbon and an archive (XEP-0313) copy all show once.
 * Every change of a message is handed to `persist` (the device history, history-store.ts).
 * A thread is one array changed in place (a new message costs O(1) at the end, never a copy of the
 * thread) plus a version signal that says it changed (`live()`: the chat view renders a window of it).
 * Corrections, retractions and reactions (amendments.ts) change the message they name, or wait for
 * it (kept on the device by `persistPending`) when it is not here yet. A contact's displayed marker
 * (XEP-0333) makes my messages up to the one it names "read".
 */
import { computed, type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { SharedFile } from "../files/shared-file";
import { type Amendment, amended, type PendingAmendment } from "./amendments";
import { CatchUpFloors } from "./catch-up-floors";

/** What finds a message again: its chat and ids. */
export type FileMessageKey = Pick<ChatMessage, "peer" | "id" | "stanzaId" | "originId">;
export type DeliveryState = "queued" | "sending" | "sent" | "delivered" | "read" | "failed";

export interface ChatMessage {
  id: string;
  peer: string;
  direction: "in" | "out";
  body: string;
  at: number;
  /** Only meaningful for outgoing messages. */
  state: DeliveryState;
  /** The archive id my server gave it (XEP-0359 stanza-id), once known. */
  stanzaId?: string;
  /** The sender's XEP-0359 origin-id (ours equal `id`). */
  originId?: string;
  /** Arrival order on this device: breaks ties between equal times (archive stamps are in seconds). */
  seq?: number;
  /** A shared file (XEP-0363 / XEP-0066): the body is its URL once it is uploaded. */
  file?: SharedFile;
  /** XEP-0308: the correction shown instead of the first body (its id and time). */
  edit?: { id: string; at: number };
  /** XEP-0424: when its author retracted it (the body is gone). */
  retracted?: number;
  /** XEP-0425: a room moderator removed it (then `retracted` is set too), with the reason given if any. */
  moderated?: { reason?: string };
  /** XEP-0444: each sender's current set of reactions (ME for mine, amendments.ts). */
  reactions?: Record<string, { id: string; at: number; emojis: string[]; name?: string }>;
  /** XEP-0461: the message this one answers, its author's address, and a quote of it if one came along. */
  replyTo?: { id: string; to: string; quote?: string };
  /** XEP-0333: its sender asked for chat markers. */
  markable?: true;
  /** XEP-0333: a displayed marker was sent for it or a later message (by this device or another of mine). */
  displayed?: true;
  /** A message in a room (XEP-0045 groupchat; `peer` is the room, its archive ids are the room's). */
  room?: true;
  /** In a room: the sender's nickname. */
  nick?: string;
  /** In a room: it mentions my nickname. */
  mention?: true;
  /** In a room that offers them: the author's XEP-0421 occupant id. */
  occupantId?: string;
}

/** One conversation as the chat view reads it: `list` changes in place, `version` says when. */
export interface LiveThread {
  readonly list: readonly ChatMessage[];
  readonly version: ReadonlySignal<number>;
}

interface Thread {
  list: ChatMessage[];
  version: Signal<number>;
}

/** Amendments kept waiting for their message, at most (the oldest are dropped). */
const MAX_PENDING = 1000;

/** A marker changes at most this many of the newest messages (an old chat's first marker stays cheap). */
const MARK_BACK = 500;

/** How long a composing state lasts without a new one. */
export const TYPING_EXPIRES_MS = 30_000;

const byTime = (a: ChatMessage, b: ChatMessage) => a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0);

const keysOf = (m: Pick<ChatMessage, "id" | "stanzaId" | "originId">) =>
  [m.stanzaId && `s:${m.stanzaId}`, m.originId && `o:${m.originId}`, m.id && `o:${m.id}`].filter(Boolean) as string[];

export class ChatsProxy {
  /** Bare JID of the chat on screen, or null (roster on screen). */
  readonly active = signal<string | null>(null);
  readonly unread = signal<ReadonlyMap<string, number>>(new Map());
  #pageVisible = true;
  /** Everyone with a conversation, most recent activity first. */
  readonly peers = signal<readonly string[]>([]);
  /** Peers currently typing (XEP-0085 composing). */
  readonly typing = signal<ReadonlySet<string>>(new Set());
  readonly totalUnread = computed(() => {
    let n = 0;
    for (const v of this.unread.value.values()) n += v;
    return n;
  });

  /** Archive reads running that bring old news, not unread messages (readArchiveQuietly). */
  #quietReads = 0;

  readonly #threads = new Map<string, Thread>();
  /** Every id (see keysOf) seen per peer → the message's own id and direction. */
  readonly #seen = new Map<string, Map<string, ChatMessage>>();
  /** Outgoing message id → peer. */
  readonly #outgoing = new Map<string, string>();
  readonly #persist: (m: ChatMessage) => void;
  #lastOut = 0;
  #seq = 0;
  /** Older history being read (load-older.ts): conversation → the archive query's id, and the order it takes. */
  readonly #pagingBack = new Map<string, { query: string; seq: number }>();
  /** Where what a running catch-up adds goes in time (same-second archive stamps). */
  readonly #floors = new CatchUpFloors();
  readonly #firstUnread = new Map<string, ChatMessage>();
  readonly #typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Amendments waiting for their message: `${peer}\n${target id}` → amendments. */
  readonly #pending = new Map<string, PendingAmendment[]>();
  readonly #persistPending: (all: PendingAmendment[]) => void;

  constructor(persist: (m: ChatMessage) => void = () => {}, persistPending: (all: PendingAmendment[]) => void = () => {}) {
    this.#persist = persist;
    this.#persistPending = persistPending;
  }

  #touch(peer: string): void {
    if (this.peers.value[0] !== peer) this.peers.value = [peer, ...this.peers.value.filter((p) => p !== peer)];
  }

  #thread(peer: string): Thread {
    let t = this.#threads.get(peer);
    if (!t) {
      t = { list: [], version: signal(0) };
      this.#threads.set(peer, t);
    }
    return t;
  }

  /** The messages with `peer` in time order, without a copy, for the chat view (which renders a window of it). */
  live(peer: string): LiveThread {
    return this.#thread(peer);
  }

  #find(m: Pick<ChatMessage, "peer" | "id" | "stanzaId" | "originId">): ChatMessage | undefined {
    const seen = this.#seen.get(m.peer);
    for (const k of keysOf(m)) {
      const hit = seen?.get(k);
      if (hit) return hit;
    }
    return undefined;
  }

  #index(m: ChatMessage): void {
    const seen = this.#seen.get(m.peer) ?? new Map<string, ChatMessage>();
    this.#seen.set(m.peer, seen);
    for (const k of keysOf(m)) seen.set(k, m);
    if (m.direction === "out") this.#outgoing.set(m.id, m.peer);
  }

  #replace(old: ChatMessage, next: ChatMessage): void {
    const t = this.#thread(old.peer);
    // Changes (receipts, archive ids) are about recent messages: search from the end.
    const i = t.list.lastIndexOf(old);
    if (i >= 0) {
      t.list[i] = next;
      t.version.value++;
    }
    this.#index(next);
    this.#persist(next);
  }

  /**
   * Adds a message (live, carbon or archive copy) in time order; false if it is already known. A known
   * message learns its archive id; an outgoing one found in the archive was sent (never send it again).
   * `query`: the archive query an archive result answers (XEP-0313 queryid): a page of older history
   * is told from a catch-up running beside it by that alone, and only archive results say where in
   * the archive's order a read has come to (a live message arriving meanwhile does not).
   */
  add(msg: ChatMessage, countUnread = msg.direction === "in", query?: string): boolean {
    const older = query === undefined ? undefined : this.#pagingBack.get(msg.peer);
    const isOlder = older !== undefined && older.query === query;
    const readForward = query !== undefined && !isOlder;
    const known = this.#find(msg);
    if (known) {
      const sentNow = known.direction === "out" && (known.state === "queued" || known.state === "sending");
      if (readForward) this.#floors.met(known.peer, known.at);
      if ((msg.stanzaId && !known.stanzaId) || sentNow) {
        this.#replace(known, { ...known, stanzaId: known.stanzaId ?? msg.stanzaId, state: sentNow ? "sent" : known.state });
      }
      return false;
    }
    // Older history arrives oldest first, and each of its messages is older than everything here: on a
    // tie of times (archives stamp whole seconds) it goes before what the chat already shows.
    msg = this.#withPending({ ...msg, seq: isOlder ? ++older.seq : ++this.#seq });
    // A catch-up reads what the archive has after a message: stamped in whole seconds (Prosody), a later
    // message of the same second can seem older than it, or than a copy here it met on the way. It is
    // not: it goes after them, in archive order (catch-up-floors.ts). A page read backwards meanwhile
    // (older history) is older by definition and keeps its place.
    if (!isOlder) {
      const at = this.#floors.place(msg.peer, msg.at);
      if (at !== msg.at) msg = { ...msg, at };
      if (readForward) this.#floors.met(msg.peer, msg.at);
    }
    const t = this.#thread(msg.peer);
    const { list } = t;
    let i = list.length;
    while (i > 0 && byTime(list[i - 1] as ChatMessage, msg) > 0) i--;
    if (i === list.length) list.push(msg);
    else list.splice(i, 0, msg);
    t.version.value++;
    this.#index(msg);
    this.#touch(msg.peer);
    this.#persist(msg);
    if (countUnread && (this.active.value !== msg.peer || !this.#pageVisible)) {
      const unread = new Map(this.unread.value);
      unread.set(msg.peer, (unread.get(msg.peer) ?? 0) + 1);
      this.unread.value = unread;
    }
    return true;
  }

  /**
   * While a page of `peer`'s older history is being fetched (load-older.ts) by the archive query
   * `query`, what that query brings is ordered before what the chat already shows at the same time
   * (anything else added meanwhile, live or a catch-up, is not); `null` ends it.
   */
  pageBack(peer: string, query: string | null): void {
    if (query === null) {
      this.#pagingBack.delete(peer);
      return;
    }
    let lowest = 0;
    for (const m of this.#thread(peer).list) lowest = Math.min(lowest, m.seq ?? 0);
    this.#pagingBack.set(peer, { query, seq: lowest - 1_000_000 });
  }

  /**
   * Runs an archive read whose results are old news (a new device's newest page, older history): the
   * archive messages it brings are not counted unread.
   */
  async readArchiveQuietly<T>(read: () => Promise<T>): Promise<T> {
    this.#quietReads++;
    try {
      return await read();
    } finally {
      this.#quietReads--;
    }
  }

  /** Whether an archive message arriving now counts unread (no quiet read is running). */
  archiveCountsUnread(): boolean {
    return this.#quietReads === 0;
  }

  /** Adds an incoming message; false if it is a duplicate. Counts it unread unless its chat is open. */
  receive(msg: Omit<ChatMessage, "direction" | "state">): boolean {
    return this.add({ ...msg, direction: "in", state: "delivered" });
  }

  /** Adds one of my messages; its time is kept strictly increasing, so the outbox order is the typing order. */
  addOutgoing(msg: Omit<ChatMessage, "direction">, reserved = false): void {
    if (!reserved) this.#lastOut = Math.max(msg.at, this.#lastOut + 1);
    this.add({ originId: msg.id, ...msg, at: reserved ? msg.at : this.#lastOut, direction: "out" }, false);
  }

  /**
   * Takes the next time of my own messages for one that is written later (a file still being prepared),
   * so it keeps its place before what is written meanwhile; add it with `addOutgoing(msg, true)`.
   */
  reserveOutgoing(now: number): number {
    this.#lastOut = Math.max(now, this.#lastOut + 1);
    return this.#lastOut;
  }

  /** `from`: the bare JID the news came from (a receipt); ignored unless it is the message's addressee. */
  setState(id: string, state: DeliveryState, from?: string): void {
    const peer = this.#outgoing.get(id);
    if (from !== undefined && from !== peer) return;
    const m = peer ? this.#seen.get(peer)?.get(`o:${id}`) : undefined;
    if (m?.direction !== "out" || m.state === "delivered" || m.state === "read" || m.state === state) return;
    this.#replace(m, { ...m, state });
  }

  /** One of my messages with a file learns its uploaded URL, which becomes its body. */
  setFile(id: string, file: SharedFile): void {
    const peer = this.#outgoing.get(id);
    const m = peer ? this.#seen.get(peer)?.get(`o:${id}`) : undefined;
    if (m?.direction !== "out") return;
    this.#replace(m, { ...m, file, body: file.url ?? m.body });
  }

  /** What a HEAD told of a file message's size and type, kept with it (and on the device). */
  setFileDetails(key: FileMessageKey, details: Pick<SharedFile, "size" | "type">): void {
    const known = this.#find(key);
    if (!known?.file?.url) return;
    const file = { ...known.file, ...details };
    if (file.size === known.file.size && file.type === known.file.type) return;
    this.#replace(known, { ...known, file });
  }

  /** A message by its own id (outgoing ones), or undefined. */
  outgoing(id: string): ChatMessage | undefined {
    const peer = this.#outgoing.get(id);
    return peer ? this.#seen.get(peer)?.get(`o:${id}`) : undefined;
  }

  setTyping(peer: string, typing: boolean): void {
    clearTimeout(this.#typingTimers.get(peer));
    this.#typingTimers.delete(peer);
    if (typing)
      this.#typingTimers.set(
        peer,
        setTimeout(() => this.setTyping(peer, false), TYPING_EXPIRES_MS),
      );
    if (this.typing.value.has(peer) === typing) return;
    const next = new Set(this.typing.value);
    if (typing) next.add(peer);
    else next.delete(peer);
    this.typing.value = next;
  }

  /** Outgoing messages waiting for a connection, oldest first. */
  queued(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const t of this.#threads.values())
      for (const m of t.list) if (m.direction === "out" && m.state === "queued") out.push(m);
    return out.sort(byTime);
  }

  /** The newest id of my own archive known (where an archive catch-up starts); rooms have their own. */
  lastStanzaId(): string | null {
    return this.newestArchived()?.stanzaId ?? null;
  }

  /** The newest archive id of one room's own archive known (where its catch-up starts). */
  lastRoomStanzaId(room: string): string | null {
    return this.newestArchived(room)?.stanzaId ?? null;
  }

  /** The newest message here with an id of my own archive, or of `room`'s own archive. */
  newestArchived(room?: string): ChatMessage | null {
    if (room !== undefined) {
      const list = this.#threads.get(room)?.list ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i] as ChatMessage;
        if (m.room && m.stanzaId) return m;
      }
      return null;
    }
    let best: ChatMessage | null = null;
    for (const t of this.#threads.values())
      for (const m of t.list) if (m.stanzaId && !m.room && (!best || m.at >= best.at)) best = m;
    return best;
  }

  /**
   * A catch-up of `scope` (a room, or "*" for my own archive) starts reading what came after a message
   * of time `after` (-Infinity: after nothing here, the newest page); until it ends (`null`), what it
   * adds is never placed before that message, nor before a message here it met (catch-up-floors.ts).
   */
  catchingUp(scope: string, after: number | null): void {
    if (after === null) this.#floors.end(scope);
    else this.#floors.start(scope, after);
  }

  /**
   * Shows the history kept on this device (before any connection). A message that was being sent when
   * the page went away goes back to the outbox; the archive check decides whether it left.
   */
  load(messages: readonly ChatMessage[], unread: ReadonlyMap<string, number>): void {
    const sorted = [...messages].sort(byTime);
    const changed = new Set<Thread>();
    const touched: string[] = [];
    for (const m of sorted) {
      this.#seq = Math.max(this.#seq, m.seq ?? 0);
      const msg = this.#withPending(m.direction === "out" && m.state === "sending" ? { ...m, state: "queued" as const } : m);
      if (this.#find(msg)) continue;
      const t = this.#thread(msg.peer);
      t.list.push(msg);
      changed.add(t);
      touched.push(msg.peer);
      this.#index(msg);
      if (msg.direction === "out") this.#lastOut = Math.max(this.#lastOut, msg.at);
    }
    // Most recent activity first, as #touch would leave it after adding them one by one.
    const newest = new Set(touched.reverse());
    if (newest.size) this.peers.value = [...newest, ...this.peers.value.filter((p) => !newest.has(p))];
    for (const t of changed) t.version.value++;
    this.unread.value = new Map([...unread].filter(([p, n]) => n > 0 && !!this.#threads.get(p)?.list.length));
  }

  /** The message of `peer`'s conversation known by `id` (its id, origin-id or archive id). */
  lookup(peer: string, id: string): ChatMessage | undefined {
    return this.#find({ peer, id, stanzaId: id });
  }

  /**
   * Applies a correction, retraction or reaction to the message of `peer`'s conversation named by
   * `target`, or keeps it until that message arrives (older history, a later page of a catch-up).
   */
  amend(peer: string, target: string, amendment: Amendment): void {
    const m = this.lookup(peer, target);
    if (m) {
      const next = amended(m, amendment);
      if (next) this.#replace(m, next);
      return;
    }
    const key = `${peer}\n${target}`;
    const list = this.#pending.get(key) ?? [];
    if (list.some((p) => p.amendment.id === amendment.id && p.amendment.kind === amendment.kind)) return;
    list.push({ peer, target, amendment });
    this.#pending.set(key, list);
    this.#prunePending();
    this.#persistPending(this.pendingAmendments());
  }

  /** Every amendment still waiting for its message (what the device keeps). */
  pendingAmendments(): PendingAmendment[] {
    return [...this.#pending.values()].flat();
  }

  /** The waiting amendments kept on the device (before load()). */
  loadPending(all: readonly PendingAmendment[]): void {
    for (const p of all) {
      const key = `${p.peer}\n${p.target}`;
      const list = this.#pending.get(key) ?? [];
      if (list.some((q) => q.amendment.id === p.amendment.id && q.amendment.kind === p.amendment.kind)) continue;
      this.#pending.set(key, [...list, p]);
    }
  }

  /** At most MAX_PENDING amendments wait: the oldest go first. */
  #prunePending(): void {
    let all = this.pendingAmendments();
    if (all.length <= MAX_PENDING) return;
    all = all.sort((a, b) => a.amendment.at - b.amendment.at).slice(-MAX_PENDING);
    this.#pending.clear();
    this.loadPending(all);
  }

  /** `m` with the amendments that waited for it applied, oldest first (they are then done). */
  #withPending(m: ChatMessage): ChatMessage {
    if (!this.#pending.size) return m;
    const found: PendingAmendment[] = [];
    for (const id of new Set([m.id, m.originId, m.stanzaId])) {
      const key = `${m.peer}\n${id}`;
      const list = id ? this.#pending.get(key) : undefined;
      if (!list) continue;
      found.push(...list);
      this.#pending.delete(key);
    }
    if (!found.length) return m;
    let next = m;
    for (const p of found.sort((a, b) => a.amendment.at - b.amendment.at)) next = amended(next, p.amendment) ?? next;
    this.#persistPending(this.pendingAmendments());
    return next;
  }

  /**
   * The contact displayed my message `id` (XEP-0333): it and my earlier messages to them are "read".
   * Only a marker in that contact's own conversation (`peer` is who sent it) reaches their messages.
   */
  markRead(peer: string, id: string): void {
    const m = this.lookup(peer, id);
    if (m?.direction !== "out") return;
    const list = this.#thread(peer).list;
    for (let i = list.lastIndexOf(m); i >= 0 && i > list.length - MARK_BACK; i--) {
      const o = list[i] as ChatMessage;
      if (o.direction !== "out") continue;
      if (o.state === "read") break;
      if (o.state === "sent" || o.state === "delivered") this.#replace(o, { ...o, state: "read" });
    }
  }

  /**
   * The contact's messages up to `id` were displayed (a marker sent by this or another device of mine):
   * none of them needs a marker any more. Returns the newest of them that asked for markers and had none.
   */
  markDisplayed(peer: string, id: string): ChatMessage | null {
    const m = this.lookup(peer, id);
    if (m?.direction !== "in") return null;
    const list = this.#thread(peer).list;
    let newest: ChatMessage | null = null;
    for (let i = list.lastIndexOf(m); i >= 0 && i > list.length - MARK_BACK; i--) {
      const o = list[i] as ChatMessage;
      if (o.direction !== "in") continue;
      if (o.displayed) break;
      if (o.markable && !newest) newest = o;
      this.#replace(o, { ...o, displayed: true });
    }
    return newest;
  }

  /** The first message that was unread when `peer`'s chat was last opened (the log opens there). */
  firstUnreadAtOpen(peer: string): ChatMessage | null {
    return this.#firstUnread.get(peer) ?? null;
  }

  /**
   * The page went to the background or came back (Page Visibility). While it is hidden, a message in
   * the open chat is not seen, so it counts unread; back in view, the open chat's unread are read, and
   * its log shows where they start.
   */
  setPageVisible(visible: boolean): void {
    this.#pageVisible = visible;
    const peer = this.active.value;
    if (visible && peer && this.unread.value.has(peer)) this.open(peer);
  }

  open(peer: string): void {
    this.active.value = peer;
    const count = this.unread.value.get(peer) ?? 0;
    const list = this.#thread(peer).list;
    const first = count > 0 ? list[Math.max(0, list.length - count)] : undefined;
    if (first) this.#firstUnread.set(peer, first);
    else this.#firstUnread.delete(peer);
    if (this.unread.value.has(peer)) {
      const unread = new Map(this.unread.value);
      unread.delete(peer);
      this.unread.value = unread;
    }
  }

  close(): void {
    this.active.value = null;
  }

  /** Forgets one conversation (its messages, unread count and typing), as if it never happened. */
  forget(peer: string): void {
    const t = this.#threads.get(peer);
    if (t?.list.length) {
      for (const m of t.list) this.#outgoing.delete(m.id);
      t.list.length = 0;
      t.version.value++;
    }
    this.#seen.delete(peer);
    this.#firstUnread.delete(peer);
    if (this.active.value === peer) this.active.value = null;
    if (this.unread.value.has(peer)) this.unread.value = new Map([...this.unread.value].filter(([p]) => p !== peer));
    this.peers.value = this.peers.value.filter((p) => p !== peer);
    this.setTyping(peer, false);
  }

  clear(): void {
    // Emptied in place: a view still holding a thread sees it empty, and later messages in it.
    for (const t of this.#threads.values()) {
      if (!t.list.length) continue;
      t.list.length = 0;
      t.version.value++;
    }
    this.#seen.clear();
    this.#outgoing.clear();
    this.#pending.clear();
    this.active.value = null;
    this.unread.value = new Map();
    this.peers.value = [];
    for (const t of this.#typingTimers.values()) clearTimeout(t);
    this.#typingTimers.clear();
    this.typing.value = new Set();
  }
}
