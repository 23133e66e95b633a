/**
 * The device history on the raw IndexedDB API (W3C Indexed Database API 3.0): per account, every
 * chat message (including the outbox: outgoing messages still "queued"), the roster, unread counts,
 * the newest archive id (XEP-0313 catch-up point) and the saved session (SCRAM keys, never the
 * password). Keys start with the account, so one key range reads or clears one account.
 */
import type { ChatMessage } from "./chats-proxy";
import type { ScramKeys } from "./scram-sha-1";
import type { RosterItem } from "./stanzas";

/** What resumes a session after a reload without asking for the password again. */
export interface SavedSession {
  address: string;
  /** The WebSocket URL that worked (RFC 7395). */
  service: string;
  scram: ScramKeys;
}

export interface Meta {
  roster: RosterItem[];
  unread: Array<[string, number]>;
  session: SavedSession;
}

export interface DeviceHistory {
  messages: ChatMessage[];
  meta: Partial<Meta>;
}

export interface HistoryStore {
  load(account: string): Promise<DeviceHistory>;
  putMessage(account: string, msg: ChatMessage): Promise<void>;
  /** Several messages in one transaction (what arrived since the last write: group commit). */
  putMessages(account: string, msgs: readonly ChatMessage[]): Promise<void>;
  putMeta<K extends keyof Meta>(account: string, key: K, value: Meta[K]): Promise<void>;
  deleteMeta(account: string, key: keyof Meta): Promise<void>;
  /** Forgets everything this device holds for the account. */
  clear(account: string): Promise<void>;
}

const DB = "porthole";
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

export function indexedDbStore(factory: IDBFactory = globalThis.indexedDB): HistoryStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const req = factory.open(DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(MESSAGES, { keyPath: ["account", "peer", "direction", "id"] });
        req.result.createObjectStore(META, { keyPath: ["account", "key"] });
      };
      req.onsuccess = () => resolve(req.result);
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
    putMessage: (account, msg) => write([MESSAGES], (tx) => tx.objectStore(MESSAGES).put({ ...msg, account })),
    putMessages: (account, msgs) =>
      write([MESSAGES], (tx) => {
        const store = tx.objectStore(MESSAGES);
        for (const msg of msgs) store.put({ ...msg, account });
      }),
    putMeta: (account, key, value) => write([META], (tx) => tx.objectStore(META).put({ account, key, value })),
    deleteMeta: (account, key) => write([META], (tx) => tx.objectStore(META).delete([account, key])),
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
  putMessage: async () => {},
  putMessages: async () => {},
  putMeta: async () => {},
  deleteMeta: async () => {},
  clear: async () => {},
};
