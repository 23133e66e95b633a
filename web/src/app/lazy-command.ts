/**
 * Use cases whose code is fetched the first time one runs: the contact use cases travel with the
 * signed-in panes' chunk (precached by the service worker like the rest of the shell, fetched after
 * the first paint), so they stay out of the first load.
 */
import type { Command } from "./facade";

type Chunk = typeof import("../commands/contacts-commands");
let chunk: Promise<Chunk> | null = null;
/** The contact commands (fetched once). */
export const contactCommands = (): Promise<Chunk> => {
  chunk ??= import("./signed-in-panes").then(
    (m) => m.contactCommands,
    (err: unknown) => {
      chunk = null;
      throw err;
    },
  );
  return chunk;
};

export const CONTACT_USE_CASES = [
  "ADD_CONTACT",
  "REMOVE_CONTACT",
  "APPROVE_SUBSCRIPTION",
  "DENY_SUBSCRIPTION",
  "RENAME_CONTACT",
  "DELETE_CHAT",
  "BLOCK_CONTACT",
  "UNBLOCK_CONTACT",
  "RECEIVE_CONTACT_EVENT",
  "SET_MY_AVATAR",
] as const;
type ContactUseCase = (typeof CONTACT_USE_CASES)[number];

export function lazyCommand<K extends ContactUseCase>(name: K): Command<K> {
  return async (body, ctx) => ((await contactCommands()).byNotification[name] as Command<K>)(body, ctx);
}

/**
 * A table of commands fetched on first use (or by `preload`): until it arrives each call waits for it,
 * in call order (they all wait on the one import); once it is there, calls go straight to the command,
 * in the same turn. A failed fetch is tried again by the next call.
 */
export function lazyCommands<T>(load: () => Promise<T>) {
  let table: T | null = null;
  let loading: Promise<T> | null = null;
  const get = (): Promise<T> => {
    loading ??= load().then(
      (t) => {
        table = t;
        return t;
      },
      (err: unknown) => {
        loading = null;
        throw err;
      },
    );
    return loading;
  };
  return {
    preload: (): Promise<unknown> => get().catch(() => {}),
    command<K extends keyof T>(name: K): T[K] {
      const run = (...args: unknown[]) => {
        const call = (t: T) => (t[name] as (...a: unknown[]) => unknown)(...args);
        return table ? call(table) : get().then(call);
      };
      return run as T[K];
    },
  };
}
