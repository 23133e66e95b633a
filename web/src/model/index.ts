/** The model: every proxy, built once per facade. Deps are injectable so tests can use a fake entity. */
import { effect } from "@preact/signals";
import { ArchiveProxy } from "./archive-proxy";
import { type ChatMessage, ChatsProxy } from "./chats-proxy";
import { type ConnectPolicy, pageConnectPolicy } from "./csp";
import { DraftsProxy } from "./drafts-proxy";
import { type HistoryStore, noStore } from "./history-store";
import type { WasBlocked } from "./policy-watch";
import { RosterProxy } from "./roster-proxy";
import type { CreateEntity } from "./xmpp-entity";
import { type Notify, XmppProxy } from "./xmpp-proxy";

export interface ModelDeps {
  createEntity: CreateEntity;
  notify: Notify;
  location?: { protocol: string; host: string };
  fetch?: typeof fetch;
  now?: () => number;
  wasBlocked?: WasBlocked;
  /** navigator.onLine by default (true where there is no navigator). */
  online?: () => boolean;
  /** The page's CSP connect-src; by default read with a HEAD of the page (null when that fails). */
  connectPolicy?: () => Promise<ConnectPolicy | null>;
  /** Where the last address is remembered (never the password); absent in tests. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** This tab's sessionStorage: keeps the XEP-0198 stream resumable across a reload (never credentials). */
  session?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** The device history (IndexedDB in the browser); nothing is kept without one. */
  store?: HistoryStore;
}

/** Which account's history the device is showing, and the chain of its pending writes. */
export interface Device {
  account: string | null;
  /** Resolves once every write queued so far is on disk. */
  saved(): Promise<void>;
  /** Queues a write for the current account (in order; failures are logged, not thrown). */
  write(fn: (store: HistoryStore, account: string) => Promise<void>): void;
}

export interface Model {
  xmpp: XmppProxy;
  roster: RosterProxy;
  chats: ChatsProxy;
  /** Paging back through each chat's server archive. */
  archive: ArchiveProxy;
  /** Unsent text per chat, and the chat open in this tab. */
  drafts: DraftsProxy;
  storage: ModelDeps["storage"];
  store: HistoryStore;
  device: Device;
  now: () => number;
}

function createDevice(store: HistoryStore): Device {
  let last: Promise<void> = Promise.resolve();
  const device: Device = {
    account: null,
    saved: () => last,
    write(fn) {
      const account = device.account;
      if (!account) return;
      last = last.then(() => fn(store, account)).catch((err) => console.warn("device history:", err));
    },
  };
  return device;
}

export function createModel(deps: ModelDeps): Model {
  const now = deps.now ?? Date.now;
  const store = deps.store ?? noStore;
  const device = createDevice(store);
  // Group commit: changes wait while a write is on its way to disk, then go in one transaction, so a
  // burst of 10,000 incoming messages costs a few hundred transactions, not 10,000 (nor 10,000 unread saves).
  const pending = new Map<string, Map<string, ChatMessage>>();
  const chats = new ChatsProxy((m) => {
    const account = device.account;
    if (!account) return;
    let batch = pending.get(account);
    if (!batch) {
      batch = new Map();
      pending.set(account, batch);
      device.write(async (s, acc) => {
        const msgs = [...(pending.get(acc)?.values() ?? [])];
        pending.delete(acc);
        if (msgs.length) await s.putMessages(acc, msgs);
      });
    }
    batch.set(`${m.peer}\n${m.direction}\n${m.id}`, m);
  });
  const unreadFor = new Map<string, Array<[string, number]>>();
  effect(() => {
    const unread = [...chats.unread.value];
    const account = device.account;
    if (!account) return;
    const queued = unreadFor.has(account);
    unreadFor.set(account, unread);
    if (queued) return;
    device.write(async (s, acc) => {
      const latest = unreadFor.get(acc);
      unreadFor.delete(acc);
      if (latest) await s.putMeta(acc, "unread", latest);
    });
  });
  const location = deps.location ?? globalThis.location ?? { protocol: "http:", host: "localhost" };
  const fetcher: typeof fetch = deps.fetch ?? ((...args) => globalThis.fetch(...args));
  // The page itself (any path of this host carries the same policy); without a hash, which is never sent.
  const page = () => globalThis.location?.href.replace(/#.*$/, "") ?? `${location.protocol}//${location.host}/`;
  return {
    xmpp: new XmppProxy({
      createEntity: deps.createEntity,
      notify: deps.notify,
      location,
      fetch: fetcher,
      now,
      wasBlocked: deps.wasBlocked ?? (() => false),
      online: deps.online ?? (() => globalThis.navigator?.onLine ?? true),
      connectPolicy: deps.connectPolicy ?? pageConnectPolicy(fetcher, page),
      session: deps.session,
    }),
    roster: new RosterProxy(),
    archive: new ArchiveProxy(),
    drafts: new DraftsProxy(deps.storage, deps.session),
    chats,
    storage: deps.storage,
    store,
    device,
    now,
  };
}
