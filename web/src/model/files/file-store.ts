/**
 * Files waiting in the outbox, kept on the device until they are uploaded and sent (W3C Indexed
 * Database API 3.0; Blobs are stored as they are). Its own database, `porthole-files`, beside the
 * history's: the chat message (history-store.ts) says a file waits (`file.local`), this store holds its
 * bytes under the message id, so neither schema depends on the other.
 */

export interface FileStore {
  put(account: string, id: string, blob: Blob): Promise<void>;
  get(account: string, id: string): Promise<Blob | undefined>;
  delete(account: string, id: string): Promise<void>;
  clear(account: string): Promise<void>;
}

const DB = "porthole-files";
const VERSION = 1;
const FILES = "files";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
  });
}

export function indexedDbFileStore(factory: IDBFactory = globalThis.indexedDB): FileStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const req = factory.open(DB, VERSION);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(FILES)) req.result.createObjectStore(FILES);
      };
      req.onsuccess = () => {
        const conn = req.result;
        conn.onversionchange = () => {
          conn.close();
          db = null;
        };
        resolve(conn);
      };
      req.onerror = () => {
        db = null;
        reject(req.error ?? new Error("IndexedDB unavailable"));
      };
    });
    return db;
  };
  const write = async (fn: (s: IDBObjectStore) => void) => {
    const tx = (await open()).transaction(FILES, "readwrite");
    fn(tx.objectStore(FILES));
    await committed(tx);
  };
  return {
    put: (account, id, blob) => write((s) => s.put(blob, [account, id])),
    get: async (account, id) => request((await open()).transaction(FILES).objectStore(FILES).get([account, id])),
    delete: (account, id) => write((s) => s.delete([account, id])),
    clear: (account) => write((s) => s.delete(IDBKeyRange.bound([account], [account, []]))),
  };
}

/** Keeps files in memory only (no IndexedDB; unit tests). */
export function memoryFileStore(): FileStore {
  const files = new Map<string, Blob>();
  const key = (a: string, id: string) => JSON.stringify([a, id]);
  return {
    put: async (a, id, blob) => void files.set(key(a, id), blob),
    get: async (a, id) => files.get(key(a, id)),
    delete: async (a, id) => void files.delete(key(a, id)),
    clear: async (a) => {
      for (const k of [...files.keys()]) if ((JSON.parse(k) as string[])[0] === a) files.delete(k);
    },
  };
}
