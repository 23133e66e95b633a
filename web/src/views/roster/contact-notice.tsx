/**
 * The confirmation of the last contact use case (added, denied, removed, renamed, blocked, deleted…),
 * read out politely and dismissable; it goes by itself after a while.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { useNotification } from "../../app/facade-context";

const SHOWN_MS = 8000;
const notice = signal<string | null>(null);

export function ContactNotice() {
  useNotification("CONTACT_DONE", ({ message }) => {
    notice.value = message;
  });
  const text = notice.value;
  useEffect(() => {
    if (!text) return;
    const timer = setTimeout(() => {
      notice.value = null;
    }, SHOWN_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <div class="contact-notice" role="status" data-testid="contact-notice">
      {text ? (
        <>
          <span class="contact-notice__text">{text}</span>
          <button
            type="button"
            class="btn btn--quiet"
            aria-label="Dismiss"
            onClick={() => {
              notice.value = null;
            }}
          >
            ×
          </button>
        </>
      ) : null}
    </div>
  );
}
