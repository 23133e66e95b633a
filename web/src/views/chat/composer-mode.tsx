/**
 * What the composer is doing besides a new message: replying to one (its quote) or editing my last one,
 * with a button (and Escape) to stop.
 */
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { snippet } from "./rich-body";

export type ComposerMode = { kind: "reply" | "edit"; m: ChatMessage } | null;

export function ComposerModeBar({ mode, author, onCancel }: { mode: ComposerMode; author: string; onCancel: () => void }) {
  if (!mode) return null;
  return (
    <div class="composer-mode" data-testid="composer-mode">
      <p class="composer-mode__text">
        {mode.kind === "edit" ? "Editing your message" : `Replying to ${author}`}
        <span class="composer-mode__quote">{snippet(mode.m.body)}</span>
      </p>
      <button type="button" class="btn btn--quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
