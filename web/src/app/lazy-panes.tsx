/**
 * The signed-in panes as a chunk of their own: fetched once the page is idle after its first paint
 * (or at once when a session is already signed in), so the first load stays within its budget and
 * the panes are there by the time a login completes. Until the chunk arrives the pane area is empty
 * and marked busy, and the app bar's menu button is there but disabled.
 */
import { useEffect, useState } from "preact/hooks";

type Panes = typeof import("./signed-in-panes");
let loaded: Panes | null = null;
let loading: Promise<Panes> | null = null;

/** Starts fetching the panes' chunk (idempotent). */
export function preloadPanes(): Promise<Panes> {
  loading ??= import("./signed-in-panes").then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

export function LazyPanes({ activeChat }: { activeChat: string | null }) {
  const [panes, setPanes] = useState(loaded);
  useEffect(() => {
    if (!panes) void preloadPanes().then(setPanes);
  }, [panes]);
  if (!panes) return <main class="panes" aria-busy="true" />;
  return <panes.SignedInPanes activeChat={activeChat} />;
}

/** The app bar's menu (views/account/account-menu.tsx), from the same chunk. */
export function LazyAccountMenu() {
  const [panes, setPanes] = useState(loaded);
  useEffect(() => {
    if (!panes) void preloadPanes().then(setPanes);
  }, [panes]);
  if (!panes)
    return (
      <button type="button" class="btn btn--quiet" disabled aria-label="Menu">
        …
      </button>
    );
  return <panes.AccountMenu />;
}
