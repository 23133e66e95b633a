/**
 * A chunk: a module fetched on first use, kept out of the first load (a dynamic `import()`, which Vite
 * splits off). Fetched once: every caller shares the one fetch while it runs, and the module is kept
 * for synchronous use once it is in. A failed fetch (offline before the service worker holds the
 * chunk, a deploy that replaced it) is forgotten, so the next call tries again.
 */
export interface LazyChunk<T> {
  /** The module, fetched now if it is not in yet. */
  get(): Promise<T>;
  /** The module if it is in already (no fetch), else null. */
  now(): T | null;
}

export function lazyChunk<T>(load: () => Promise<T>): LazyChunk<T> {
  let loaded: T | null = null;
  let loading: Promise<T> | null = null;
  return {
    get: () =>
      (loading ??= load().then(
        (m) => {
          loaded = m;
          return m;
        },
        (err: unknown) => {
          loading = null;
          throw err;
        },
      )),
    now: () => loaded,
  };
}
