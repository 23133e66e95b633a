/**
 * File sharing state: the account's upload service (XEP-0363 §3, found once per session through
 * XEP-0030), each running upload's progress and its cancel, why an upload failed, the device's
 * copies of files waiting in the outbox (file-store.ts), and when an upload that could not go (no
 * answer, network cut, a stalled PUT, the service busy) is tried again: after a wait that doubles from
 * `retryBaseMs` up to RETRY_MAX_MS while the session stays up (a reconnection sends the outbox anyway).
 */
import { type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { UploadService } from "../stanzas/upload";
import type { FileStore } from "./file-store";

/** localStorage key of the "send photos in original size" setting ("1" or "0"). */
export const ORIGINAL_KEY = "porthole.originalPhotos";

/** "unknown": not asked yet this session; "none": the server has no upload service. */
export type ServiceState = UploadService | "unknown" | "none";

/** Longest wait between two tries of an upload that could not go. */
export const RETRY_MAX_MS = 120_000;

export class FilesProxy {
  readonly #service = signal<ServiceState>("unknown");
  readonly service: ReadonlySignal<ServiceState> = this.#service;
  readonly #progress = signal<ReadonlyMap<string, number>>(new Map());
  /** Message id → fraction uploaded (0..1) while its PUT runs. */
  readonly progress: ReadonlySignal<ReadonlyMap<string, number>> = this.#progress;
  readonly #errors = signal<ReadonlyMap<string, string>>(new Map());
  /** Message id → why its upload failed (for people). */
  readonly errors: ReadonlySignal<ReadonlyMap<string, string>> = this.#errors;
  readonly #aborts = new Map<string, AbortController>();
  /** First wait before an upload that could not go is tried again. */
  retryBaseMs = 5_000;
  /** A PUT with no upload progress for this long is given up as cut (and tried again later). */
  stallMs = 30_000;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Files being prepared (resized, stored), each by the time it holds in the outbox. */
  readonly #preparing = new Map<symbol, number>();
  #retryWait = 0;
  readonly #original: Signal<boolean>;
  /** Send photos as picked (no resizing, metadata kept): only when the user asks (a setting). */
  readonly original: ReadonlySignal<boolean>;

  constructor(
    readonly store: FileStore,
    private readonly storage?: Pick<Storage, "getItem" | "setItem">,
  ) {
    let saved = false;
    try {
      saved = storage?.getItem(ORIGINAL_KEY) === "1";
    } catch {}
    this.#original = signal<boolean>(saved);
    this.original = this.#original;
  }

  /** Remembers the choice on this device; false when the browser refused to store it. */
  setOriginal(on: boolean): boolean {
    this.#original.value = on;
    try {
      this.storage?.setItem(ORIGINAL_KEY, on ? "1" : "0");
      return !!this.storage;
    } catch {
      return false;
    }
  }

  setService(s: ServiceState): void {
    this.#service.value = s;
  }

  /** An upload of message `id` starts: its progress is 0 and `abort` cancels it. */
  started(id: string): AbortSignal {
    const controller = new AbortController();
    this.#aborts.set(id, controller);
    this.setProgress(id, 0);
    this.setError(id, null);
    return controller.signal;
  }

  setProgress(id: string, fraction: number): void {
    const next = new Map(this.#progress.value);
    next.set(id, fraction);
    this.#progress.value = next;
  }

  ended(id: string): void {
    this.#aborts.delete(id);
    if (!this.#progress.value.has(id)) return;
    const next = new Map(this.#progress.value);
    next.delete(id);
    this.#progress.value = next;
  }

  setError(id: string, message: string | null): void {
    if (message === null && !this.#errors.value.has(id)) return;
    const next = new Map(this.#errors.value);
    if (message === null) next.delete(id);
    else next.set(id, message);
    this.#errors.value = next;
  }

  /** Cancels message `id`'s running upload; false when none runs. */
  abort(id: string): boolean {
    const c = this.#aborts.get(id);
    c?.abort();
    return !!c;
  }

  /**
   * A picked file is being prepared; its message will be written at `at`. Until the returned release
   * runs, nothing written after it leaves the outbox (a text typed meanwhile goes after the photo).
   */
  holdOutbox(at: number): () => void {
    const key = Symbol("preparing");
    this.#preparing.set(key, at);
    return () => this.#preparing.delete(key);
  }

  /** Whether a message written at `at` must wait for a file picked before it that is still being prepared. */
  heldBack(at: number): boolean {
    for (const held of this.#preparing.values()) if (at > held) return true;
    return false;
  }

  /** An upload could not go: `again` runs once after the next wait (a pending one is kept). */
  retryLater(again: () => void): void {
    if (this.#retryTimer) return;
    this.#retryWait = this.#retryWait ? Math.min(this.#retryWait * 2, RETRY_MAX_MS) : this.retryBaseMs;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      again();
    }, this.#retryWait);
  }

  /** An upload went through: the next wait starts short again. */
  uploaded(): void {
    this.#retryWait = 0;
  }

  /** A new session (or account): the service is asked again. */
  reset(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#retryWait = 0;
    for (const c of this.#aborts.values()) c.abort();
    this.#aborts.clear();
    this.#service.value = "unknown";
    this.#progress.value = new Map();
  }
}
