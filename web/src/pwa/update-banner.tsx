/** The "Update available — Reload" banner (pwa/update-state.ts); a polite live region, no auto-reload. */
import { useEffect } from "preact/hooks";
import type { UpdateState } from "./update-state";
import "./update-banner.css";

export interface UpdateBannerProps {
  state: UpdateState;
  onAccept: () => void;
  onDismiss: () => void;
}

/** On <html> while the banner shows: the app makes room for it (update-banner.css). */
export const SHOWN_CLASS = "pwa-update-shown";

export function UpdateBanner({ state, onAccept, onDismiss }: UpdateBannerProps) {
  const shown = state !== "current";
  useEffect(() => {
    document.documentElement.classList.toggle(SHOWN_CLASS, shown);
  }, [shown]);
  if (!shown) return null;
  const text = state === "activated-elsewhere" ? "Porthole was updated in another tab" : "Update available";
  return (
    <div class="pwa-update" role="status" aria-live="polite" data-state={state}>
      <span class="pwa-update__text">{text}</span>
      <span aria-hidden="true"> — </span>
      <button type="button" class="pwa-update__reload" onClick={onAccept} disabled={state === "applying"}>
        {state === "applying" ? "Reloading…" : "Reload"}
      </button>
      {state !== "applying" && (
        <button type="button" class="pwa-update__later" onClick={onDismiss}>
          Later
        </button>
      )}
    </div>
  );
}
