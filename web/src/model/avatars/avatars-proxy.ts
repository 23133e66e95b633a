/**
 * Contacts' avatars and nicknames as the PWA shows them: checked images as data: URLs (the page's CSP
 * allows img-src data:) and nicknames (XEP-0172), shown where the roster has no name. Which hash each
 * contact wants and from where is decided in avatar-choice.ts, loaded with the contact use cases.
 */
import { signal } from "@preact/signals";
import type { AvatarCache } from "./avatar-cache";

export type AvatarSource = "pep" | "vcard";

export class AvatarsProxy {
  /** Bare JID → data: URL of the checked image. */
  readonly images = signal<ReadonlyMap<string, string>>(new Map());
  /** Bare JID → nickname (XEP-0172). */
  readonly nicks = signal<ReadonlyMap<string, string>>(new Map());
  /** Bare JID → the avatar hash it announced last, and where (avatar-choice.ts). */
  readonly wanted = new Map<string, { hash: string; source: AvatarSource }>();
  readonly #cache: () => Promise<AvatarCache>;
  #opened: Promise<AvatarCache> | null = null;

  /** `cache` is called once, on first use (the browser's one loads with the avatar code). */
  constructor(cache: () => Promise<AvatarCache>) {
    this.#cache = cache;
  }

  /** Where this device keeps avatars. */
  cache(): Promise<AvatarCache> {
    this.#opened ??= this.#cache();
    return this.#opened;
  }

  clear(): void {
    this.wanted.clear();
    this.images.value = new Map();
    this.nicks.value = new Map();
  }
}
