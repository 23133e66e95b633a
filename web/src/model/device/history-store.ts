/**
 * The device history on the raw IndexedDB API (W3C Indexed Database API 3.0): per account, every
 * chat message (including the outbox: outgoing messages still "queued"), the roster, unread counts,
 * the amendments waiting for their message, the newest archive id (XEP-0313 catch-up point) and the saved session (SCRAM keys, never the
 * password). Keys start with the account, so one key range reads or clears one account.
 * Several tabs share the database: when another tab opens it at a newer version (an update), this one
 * closes its connection at once (`versionchange`, so the upgrade never waits on it) and says so in
 * `status`; when this tab's own upgrade waits for an older tab that does not let go (`blocked`), it
 * says that too, until the old tab closes.
 */
import { type ReadonlySignal, signal } from "@preact/signals";
import type { ScramKeys } from "../auth/scram-sha-1";
import type { PendingAmendment } from "../chats/amendments";
import type { ChatMessage } from "../chats/chats-proxy";
import type { SavedRoom } from "../rooms/rooms-proxy";
import type { RosterItem } from "../stanzas/stanzas";

/** What resumes a session after a reload without asking for the password again. */
export interface SavedSession {
  address: string;
  /**
   * The WebSocket URL that worked (RFC 7395) when it is another host's (explicit or XEP-0156); null for
   * this host's own, whose path is read again from its host-meta at each resume (own-endpoint.ts), so
   * a changed XMPP_WEBSOCKET_PATH is followed. Sessions saved before kept this host's full URL too:
   * any URL on this page's host is taken as this host's own (the worker serves one WebSocket path).
   */
  service: string | null;
  scram: ScramKeys;
}

export interface Meta {
  roster: RosterItem[];
  unread: Array<[string, number]>;
  session: SavedSession;
  /** Corrections, retractions and reactions whose message is not on the device yet (amendments.ts). */
  amendments: PendingAmendment[];
  /** The rooms I am in (XEP-0045) and which of them are muted. */
  rooms: SavedRoom[];
  mutedRooms: string[];
  /** Names of contacts no longer in the roster, kept for their conversations (roster-proxy.ts). */
  formerNames: Array<[string, string]>;
}

export interface DeviceHistory {
  messages: ChatMessage[];
  meta: Partial<Meta>;
}

/** "replaced": another tab upgraded the database, this one must reload; "blocked": an older tab holds it. */
export type StoreStatus = "open" | "replaced" | "blocked";

export interface HistoryStore {
  /** Absent for a store that keeps nothing. */
  readonly status?: ReadonlySignal<StoreStatus>;
  load(account: string): Promise<DeviceHistory>;
  /** Several messages in one transaction (what arrived since the last write: group commit). */
  putMessages(account: string, msgs: readonly ChatMessage[]): Promise<void>;
  putMeta<K extends keyof Meta>(account: string, key: K, value: Meta[K]): Promise<void>;
  deleteMeta(account: string, key: keyof Meta): Promise<void>;
  /** Forgets everything this device holds for the account. */
  clear(account: string): Promise<void>;
  /** Forgets one conversation's messages. */
  deleteChat?(account: string, peer: string): Promise<void>;
}

const DB = "porthole";
const VERSION = 1;
const MESSAGES = "messages";
const META = "meta";

function done(req: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if ("oncomplete" in req) {
      req.oncomplete = () => resolve();
      req.onabort = req.onerror = () => reject(req.error ?? new Error("IndexedDB transaction failed"));
    } else {
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
    }
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return done(req).then(() => req.result);
}

/** Every key of one account: [account] ≤ key < [account, []] (arrays sort after strings). */
const accountRange = (account: string) => IDBKeyRange.bound([account], [account, []]);

/** `version` only for tests (a newer build's upgrade); the page uses VERSION. */
export function indexedDbStore(factory: IDBFactory = globalThis.indexedDB, version = VERSION): HistoryStore {
  const status = signal<StoreStatus>("open");
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    if (status.value === "replaced") return Promise.reject(new Error("Porthole was updated in another tab: reload."));
    db ??= new Promise((resolve, reject) => {
      const req = factory.open(DB, version);
      req.onupgradeneeded = () => {
        const names = req.result.objectStoreNames;
        if (!names.contains(MESSAGES))
          req.result.createObjectStore(MESSAGES, { keyPath: ["account", "peer", "direction", "id"] });
        if (!names.contains(META)) req.result.createObjectStore(META, { keyPath: ["account", "key"] });
      };
      req.onblocked = () => {
        status.value = "blocked";
      };
      req.onsuccess = () => {
        const conn = req.result;
        conn.onversionchange = () => {
          conn.close();
          db = null;
          status.value = "replaced";
        };
        status.value = "open";
        resolve(conn);
      };
      req.onerror = () => {
        db = null;
        reject(req.error ?? new Error("IndexedDB unavailable"));
      };
    });
    return db;
  };
  const write = async (stores: string[], fn: (tx: IDBTransaction) => void) => {
    const tx = (await open()).transaction(stores, "readwrite");
    fn(tx);
    await done(tx);
  };
  return {
    status,
    async load(account) {
      const tx = (await open()).transaction([MESSAGES, META], "readonly");
      const [rows, metas] = await Promise.all([
        result(tx.objectStore(MESSAGES).getAll(accountRange(account))),
        result(tx.objectStore(META).getAll(accountRange(account))),
      ]);
      const messages = (rows as Array<ChatMessage & { account?: string }>).map(({ account: _, ...m }) => m);
      const meta: Partial<Meta> = {};
      for (const row of metas as Array<{ key: keyof Meta; value: never }>) meta[row.key] = row.value;
      return { messages, meta };
    },
    putMessages: (account, msgs) =>
      write([MESSAGES], (tx) => {
        const store = tx.objectStore(MESSAGES);
        for (const msg of msgs) store.put({ ...msg, account });
      }),
    putMeta: (account, key, value) => write([META], (tx) => tx.objectStore(META).put({ account, key, value })),
    deleteMeta: (account, key) => write([META], (tx) => tx.objectStore(META).delete([account, key])),
    deleteChat: (account, peer) =>
      write([MESSAGES], (tx) => tx.objectStore(MESSAGES).delete(IDBKeyRange.bound([account, peer], [account, peer, []]))),
    clear: (account) =>
      write([MESSAGES, META], (tx) => {
        tx.objectStore(MESSAGES).delete(accountRange(account));
        tx.objectStore(META).delete(accountRange(account));
      }),
  };
}

/** A store that keeps nothing (no IndexedDB: private modes of some browsers, unit tests by default). */
export const noStore: HistoryStore = {
  load: async () => ({ messages: [], meta: {} }),
  putMessages: async () => {},
  putMeta: async () => {},
  deleteMeta: async () => {},
  clear: async () => {},
};
