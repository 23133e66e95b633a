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
  chunk ??= import("./signed-in-panes").then((m) => m.contactCommands);
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
