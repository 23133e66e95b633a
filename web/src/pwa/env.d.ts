/** Build-time variables the PWA reads (Vite exposes VITE_* from the environment as import.meta.env). */
interface ImportMetaEnv {
  /** Label of this build, e.g. a release or commit id; shown as <html data-build>. */
  readonly VITE_BUILD_ID?: string;
}
