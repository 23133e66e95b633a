/**
 * What was typed and not sent, per chat, kept on this device (localStorage, one entry per account) so
 * that switching chats, a reload or accepting an update never loses it; and which chat was open in
 * this tab (sessionStorage), so a reload comes back to it. Drafts are message text, kept like the
 * device history (history-store.ts); "log out and forget this device" removes them too.
 */
type KeyValue = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const DRAFTS_KEY = (account: string) => `porthole.drafts.${account}`;
const OPEN_CHAT_KEY = "porthole.openChat";
/** A draft longer than a message can be is not kept whole. */
const MAX_DRAFT = 20_000;

export class DraftsProxy {
  readonly #storage: KeyValue | undefined;
  readonly #session: KeyValue | undefined;
  #account: string | null = null;
  #drafts = new Map<string, string>();

  constructor(storage?: KeyValue, session?: KeyValue) {
    this.#storage = storage;
    this.#session = session;
  }

  /** Reads the drafts of `account` (another account's are left where they are). */
  useAccount(account: string): void {
    this.#account = account;
    this.#drafts = new Map();
    try {
      const saved = JSON.parse(this.#storage?.getItem(DRAFTS_KEY(account)) ?? "{}") as Record<string, unknown>;
      for (const [peer, text] of Object.entries(saved)) if (typeof text === "string" && text) this.#drafts.set(peer, text);
    } catch {
      // A damaged entry is dropped, not fatal.
    }
  }

  draft(peer: string): string {
    return this.#drafts.get(peer) ?? "";
  }

  /** Keeps (or, when empty, drops) the draft of `peer`'s chat. */
  keep(peer: string, text: string): void {
    if (!this.#account) return;
    if (text.trim()) this.#drafts.set(peer, text.slice(0, MAX_DRAFT));
    else if (!this.#drafts.delete(peer)) return;
    const key = DRAFTS_KEY(this.#account);
    try {
      if (this.#drafts.size) this.#storage?.setItem(key, JSON.stringify(Object.fromEntries(this.#drafts)));
      else this.#storage?.removeItem(key);
    } catch {
      // Storage full or refused (QuotaExceededError, private mode): the draft stays in this page.
    }
  }

  /** Logged out: `forget` also removes this account's drafts from the device. */
  signOut(forget: boolean): void {
    if (forget && this.#account) this.#storage?.removeItem(DRAFTS_KEY(this.#account));
    this.#account = null;
    this.#drafts = new Map();
    this.#session?.removeItem(OPEN_CHAT_KEY);
  }

  /** The chat open in this tab, remembered for a reload. */
  rememberOpenChat(peer: string | null): void {
    try {
      if (peer) this.#session?.setItem(OPEN_CHAT_KEY, peer);
      else this.#session?.removeItem(OPEN_CHAT_KEY);
    } catch {
      // Storage full or refused: a reload opens the contact list instead.
    }
  }

  openChatBeforeReload(): string | null {
    return this.#session?.getItem(OPEN_CHAT_KEY) ?? null;
  }
}
