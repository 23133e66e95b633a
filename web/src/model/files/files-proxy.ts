/**
 * File sharing state: the account's upload service (XEP-0363 §3, found once per session through
 * XEP-0030), each running upload's progress and its cancel, why an upload failed, and the device's
 * copies of files waiting in the outbox (file-store.ts).
 */
import { type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { UploadService } from "../stanzas/upload";
import type { FileStore } from "./file-store";

/** localStorage key of the "send photos in original size" setting ("1" or "0"). */
export const ORIGINAL_KEY = "porthole.originalPhotos";

/** "unknown": not asked yet this session; "none": the server has no upload service. */
export type ServiceState = UploadService | "unknown" | "none";

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

  /** A new session (or account): the service is asked again. */
  reset(): void {
    for (const c of this.#aborts.values()) c.abort();
    this.#aborts.clear();
    this.#service.value = "unknown";
    this.#progress.value = new Map();
  }
}
