/**
 * The signed-in panes as a chunk of their own: fetched once the page is idle after its first paint
 * (or at once when a session is already signed in), so the first load stays within its budget and
 * the panes are there by the time a login completes. Until the chunk arrives the pane area is empty
 * and marked busy, and the app bar's menu button is there but disabled. A failed fetch (offline
 * before the service worker has the chunk, a deploy that replaced it) is said, and tried again when
 * the device is back online or when asked.
 */
import { useEffect, useState } from "preact/hooks";
import { lazyChunk } from "../shared/lazy-chunk";

type Panes = typeof import("./signed-in-panes");
const panesChunk = lazyChunk(() => import("./signed-in-panes"));

/** Starts fetching the panes' chunk (idempotent while it loads or once loaded; a failure may be retried). */
export const preloadPanes = (): Promise<Panes> => panesChunk.get();

/** The panes' chunk once it is there, whether its fetch failed, and a way to try again. */
function usePanes(): { panes: Panes | null; failed: boolean; retry: () => void } {
  const [panes, setPanes] = useState(panesChunk.now());
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (panes) return;
    let live = true;
    setFailed(false);
    preloadPanes().then(
      (m) => live && setPanes(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [panes, attempt]);
  useEffect(() => {
    if (!failed) return;
    const again = () => setAttempt((n) => n + 1);
    addEventListener("online", again);
    return () => removeEventListener("online", again);
  }, [failed]);
  return { panes, failed, retry: () => setAttempt((n) => n + 1) };
}

export function LazyPanes({ activeChat }: { activeChat: string | null }) {
  const { panes, failed, retry } = usePanes();
  if (panes) return <panes.SignedInPanes activeChat={activeChat} />;
  if (failed)
    return (
      <main class="panes">
        <p class="panes__problem" role="alert">
          The chat could not be loaded.{" "}
          <button type="button" class="btn" onClick={retry}>
            Try again
          </button>
        </p>
      </main>
    );
  return <main class="panes" aria-busy="true" />;
}

/** The app bar's menu (views/account/account-menu.tsx), from the same chunk. */
export function LazyAccountMenu() {
  const { panes } = usePanes();
  if (!panes)
    return (
      <button type="button" class="btn btn--quiet" disabled aria-label="Menu">
        …
      </button>
    );
  return <panes.AccountMenu />;
}
