/**
 * Avatars kept on this device (the browser's Cache Storage): each image once, under its SHA-1
 * (XEP-0084 id, XEP-0153 hash), and per account which contact shows which hash, so avatars show at
 * once after a reload, offline too, and are fetched again only when a contact changes theirs.
 */
import type { AvatarImage } from "../stanzas/avatars";

export interface AvatarCache {
  image(hash: string): Promise<AvatarImage | null>;
  putImage(hash: string, image: AvatarImage): Promise<void>;
  /** Contact bare JID → hash, for one account. */
  index(account: string): Promise<Array<[string, string]>>;
  putIndex(account: string, index: Array<[string, string]>): Promise<void>;
  clear(account: string): Promise<void>;
}

const CACHE = "porthole-avatars";
const imageKey = (hash: string) => `/avatar-cache/image/${hash}`;
const indexKey = (account: string) => `/avatar-cache/index/${encodeURIComponent(account)}`;

/** Cache Storage, where the browser has it (secure contexts); otherwise nothing is kept. */
export function browserAvatarCache(): AvatarCache {
  const storage = globalThis.caches as CacheStorage | undefined;
  const open = () => (storage ? storage.open(CACHE) : Promise.reject(new Error("no Cache Storage")));
  const json = async <T>(key: string): Promise<T | null> => {
    const hit = await (await open()).match(key);
    return hit ? ((await hit.json()) as T) : null;
  };
  const put = async (key: string, value: unknown) => {
    await (await open()).put(key, new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } }));
  };
  return {
    image: (hash) => json<AvatarImage>(imageKey(hash)).catch(() => null),
    putImage: (hash, image) => put(imageKey(hash), image).catch(() => {}),
    index: async (account) => (await json<Array<[string, string]>>(indexKey(account)).catch(() => null)) ?? [],
    putIndex: (account, index) => put(indexKey(account), index).catch(() => {}),
    clear: async (account) => {
      await (await open()).delete(indexKey(account)).catch(() => {});
    },
  };
}

/** Keeps avatars in memory only (unit tests). */
export function memoryAvatarCache(): AvatarCache {
  const images = new Map<string, AvatarImage>();
  const indexes = new Map<string, Array<[string, string]>>();
  return {
    image: async (hash) => images.get(hash) ?? null,
    putImage: async (hash, image) => void images.set(hash, image),
    index: async (account) => indexes.get(account) ?? [],
    putIndex: async (account, index) => void indexes.set(account, index),
    clear: async (account) => void indexes.delete(account),
  };
}
